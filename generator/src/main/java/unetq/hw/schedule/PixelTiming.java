package unetq.hw.schedule;

import java.util.HashMap;
import java.util.Map;
import unetq.hw.graph.Dataflow;

/**
 * A timed model of the dataflow graph's pixel schedule: the cycle at which every pixel of every
 * stream is out, for {@code frames} frames whose input arrives at the design's own pace (one frame
 * per bound, as a camera delivers it), with unbounded skip buffers. A max-plus recurrence over
 * {@link PixelRules} in the graph's order, node by node:
 * <pre>
 *   t(i) = max(t(i-1) + interval, max over inputs of in(need(i)) + latency)
 * </pre>
 * and one coupling: a concat feeds a conv whose window buffer holds only a bounded lead of input
 * pixels, so the concat's pixel i waits until the conv has started window i - lead. From it,
 * {@link #skipPeak}: how many skip pixels the fork has passed that the concat has not yet taken, at
 * most - the occupancy a skip buffer must allow so that it never holds the encoder back.
 */
final class PixelTiming {
    private final Dataflow graph;
    private final int frames;
    private final long bound;
    private final Map<String, long[]> times = new HashMap<>();

    PixelTiming(Dataflow graph, long bound, int frames) {
        this.graph = graph;
        this.frames = frames;
        this.bound = bound;
        for (Dataflow.Node n : graph.nodes()) {
            if (n.kind() == Dataflow.Kind.CONV && times.containsKey(n.out().name())) {
                continue; // computed with its concat
            }
            compute(n);
        }
    }

    private void compute(Dataflow.Node n) {
        if (n.kind() == Dataflow.Kind.INPUT) {
            Dataflow.Stream s = n.out();
            int pixels = (int) s.pixels();
            long[] t = new long[frames * pixels];
            for (int i = 0; i < t.length; i++) {
                t[i] = i * bound / pixels;
            }
            times.put(s.name(), t);
            return;
        }
        if (n.kind() == Dataflow.Kind.CONCAT) {
            concatThenConv(n);
            return;
        }
        if (n.kind() == Dataflow.Kind.THRESHOLD) {
            return;
        }
        Dataflow.Stream out = n.kind() == Dataflow.Kind.FORK ? n.outputs().get("a") : n.out();
        long[] t = stage(n, out, null, 0);
        for (Dataflow.Stream s : n.outputs().values()) {
            times.put(s.name(), t);
        }
    }

    /**
     * The recurrence for node {@code n}'s output {@code out}; when {@code room} is given, pixel i also
     * waits for {@code room[i - lead]} (a consumer's buffer).
     */
    private long[] stage(Dataflow.Node n, Dataflow.Stream out, long[] room, int lead) {
        int pixels = (int) out.pixels();
        long[] t = new long[frames * pixels];
        long interval = PixelRules.interval(n);
        long latency = PixelRules.latency(n);
        long prologue = n.kind() == Dataflow.Kind.UPSAMPLE ? n.in().beatsPerPixel() : 0;
        long prev = Long.MIN_VALUE / 2;
        for (int i = 0; i < t.length; i++) {
            int f = i / pixels;
            int p = i % pixels;
            long ready = prev + interval + (prologue > 0 && p % out.width() == 0 ? prologue : 0);
            for (Map.Entry<String, Dataflow.Stream> e : n.inputs().entrySet()) {
                Dataflow.Stream in = e.getValue();
                int need = f * (int) in.pixels() + PixelRules.need(n, e.getKey(), p);
                ready = Math.max(ready, times.get(in.name())[need] + latency);
            }
            if (room != null && i - lead >= 0) {
                ready = Math.max(ready, room[i - lead]);
            }
            t[i] = ready;
            prev = ready;
        }
        return t;
    }

    /**
     * A concat and the conv it feeds, together: the conv's window buffer takes concat pixel i once
     * window i - lead has started (its output time less its cycles per pixel).
     */
    private void concatThenConv(Dataflow.Node cat) {
        Dataflow.Node conv = graph.consumer(cat.out()).getKey();
        while (conv.kind() == Dataflow.Kind.ADAPTER) { // an adapter between them passes pixels through
            conv = graph.consumer(conv.out()).getKey();
        }
        int lead = PixelRules.windowLead(conv);
        long cpp = conv.block().cyclesPerOutput();
        int pixels = (int) cat.out().pixels();
        long[] catT = new long[frames * pixels];
        long[] convT = new long[frames * pixels];
        times.put(cat.out().name(), catT);
        long catInterval = PixelRules.interval(cat);
        long convLatency = PixelRules.latency(conv);
        int h = conv.in().height();
        int w = conv.in().width();
        long prevCat = Long.MIN_VALUE / 2;
        long prevConv = Long.MIN_VALUE / 2;
        int convDone = 0;
        for (int i = 0; i < catT.length; i++) {
            int f = i / pixels;
            int p = i % pixels;
            long ready = prevCat + catInterval;
            for (Map.Entry<String, Dataflow.Stream> e : cat.inputs().entrySet()) {
                Dataflow.Stream in = e.getValue();
                ready = Math.max(ready, times.get(in.name())[f * (int) in.pixels() + p] + 1);
            }
            int window = i - lead;
            if (window >= 0) {
                // windows up to 'window' only need concat pixels before i: fill the conv's times that far
                for (; convDone <= window; convDone++) {
                    int cf = convDone / pixels;
                    int cp = convDone % pixels;
                    long in = catT[cf * pixels + PixelRules.window(h, w, cp)];
                    prevConv = Math.max(prevConv + cpp, in + convLatency);
                    convT[convDone] = prevConv;
                }
                ready = Math.max(ready, convT[window] - cpp);
            }
            catT[i] = ready;
            prevCat = ready;
        }
        for (; convDone < convT.length; convDone++) {
            int cf = convDone / pixels;
            int cp = convDone % pixels;
            long in = catT[cf * pixels + PixelRules.window(h, w, cp)];
            prevConv = Math.max(prevConv + cpp, in + convLatency);
            convT[convDone] = prevConv;
        }
        times.put(conv.out().name(), convT);
    }

    /** Most skip pixels of FIFO {@code fifo} pushed by the fork and not yet taken by the concat. */
    long skipPeak(Dataflow.Node fifo, Dataflow.Node concat) {
        long[] pushed = times.get(fifo.in().name());
        long[] taken = times.get(concat.out().name());
        long peak = 0;
        int count = 0;
        for (int p = 0; p < taken.length; p++) {
            while (count < pushed.length && pushed[count] < taken[p]) {
                count++;
            }
            peak = Math.max(peak, count - p);
        }
        return peak;
    }

    /** Cycles between the last outputs of the last two frames (one frame: its last output). */
    long cyclesPerFrame() {
        Dataflow.Node thr = graph.nodes(Dataflow.Kind.THRESHOLD).get(0);
        long[] t = times.get(thr.in().name());
        int n = (int) thr.in().pixels();
        return frames == 1 ? t[t.length - 1] : t[frames * n - 1] - t[(frames - 1) * n - 1];
    }

    /** Cycle of the last output pixel of the last frame. */
    long lastOutput() {
        Dataflow.Node thr = graph.nodes(Dataflow.Kind.THRESHOLD).get(0);
        long[] t = times.get(thr.in().name());
        return t[t.length - 1];
    }
}
