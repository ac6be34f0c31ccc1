package unetq.cli;

import java.io.PrintWriter;

/**
 * Progress of a Verilator run, at most every {@value #INTERVAL_SECONDS} s: frames, pixels out, cycles
 * and an ETA (from the pixels out once there are some, before that from the expected cycles).
 */
final class SimulationProgress {
    static final double INTERVAL_SECONDS = 5;

    private final PrintWriter out;
    private final int frames;
    private final long pixelsPerFrame;
    private final double expectedCycles;
    private final long start = System.nanoTime();
    private long last = start;

    SimulationProgress(PrintWriter out, int frames, long pixelsPerFrame, double expectedCycles) {
        this.out = out;
        this.frames = frames;
        this.pixelsPerFrame = pixelsPerFrame;
        this.expectedCycles = expectedCycles;
    }

    /** Called by the run at every output and heartbeat; prints when the interval has passed. */
    void at(long outputs, long cycle) {
        long now = System.nanoTime();
        if ((now - last) / 1e9 < INTERVAL_SECONDS) {
            return;
        }
        last = now;
        double elapsed = (now - start) / 1e9;
        long total = frames * pixelsPerFrame;
        double done = outputs > 0 ? (double) outputs / total : Math.min(0.99, cycle / expectedCycles);
        String eta = done <= 0 ? "-" : Progress.duration(elapsed * (1 - done) / done);
        out.printf("  simulation: frame %d/%d, %,d/%,d pixels out, %,d cycles, %s, ETA %s%n",
                Math.min(frames, outputs / pixelsPerFrame + 1), frames, outputs, total, cycle, Progress.duration(elapsed), eta);
        out.flush();
    }
}
