package unetq.cli;

import java.io.PrintWriter;

/** Progress of long work as "label: done/total unit, elapsed, ETA" lines, at most one per interval (and the last). */
final class Progress {
    private final PrintWriter out;
    private final String label;
    private final long total;
    private final String unit;
    private final double intervalSeconds;
    private final long start = System.nanoTime();
    private long lastPrint = start;

    /** One line per step. */
    Progress(PrintWriter out, String label, long total, String unit) {
        this(out, label, total, unit, 0);
    }

    Progress(PrintWriter out, String label, long total, String unit, double intervalSeconds) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.intervalSeconds = intervalSeconds;
    }

    /** Reports {@code done} of the total; {@code detail} is appended when not empty. */
    void step(long done, String detail) {
        long now = System.nanoTime();
        if (done < total && (now - lastPrint) / 1e9 < intervalSeconds) {
            return;
        }
        lastPrint = now;
        double elapsed = (now - start) / 1e9;
        String eta = done >= total ? "done" : done == 0 ? "ETA -" : "ETA " + duration(elapsed * (total - done) / done);
        out.printf("  %s: %d/%d %s%s, %s, %s%n", label, done, total, unit, detail.isEmpty() ? "" : " (" + detail + ")",
                duration(elapsed), eta);
        out.flush();
    }

    void step(long done) {
        step(done, "");
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? String.format("%d min %02d s", s / 60, s % 60)
                : String.format("%d h %02d min", s / 3600, s % 3600 / 60);
    }
}
