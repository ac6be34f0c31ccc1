package unetq.hw.schedule;

import java.util.Map;
import java.util.function.IntUnaryOperator;
import unetq.golden.UNetTopology;
import unetq.hw.graph.UNetAccelerator;

/**
 * A timed model of the streaming U-Net's pixel schedule: the cycle at which every pixel of every
 * stream becomes available, when the input arrives at the design's own pace (one frame per
 * slowest-layer bound, as a camera would deliver it) and the skip buffers are unbounded. It is a
 * max-plus recurrence over the same look-ahead rules as {@link SkipSchedule} (each block emits a
 * pixel when its last needed input is in and it has finished the previous pixel):
 * <pre>
 *   conv:      t(i) = max(t(i-1), in(need(i)) + 2) + cycles per pixel   (registered window read)
 *   pool, up:  t(i) = max(t(i-1) + 1, in(need(i)) + 1 or 2)
 *   concat:    t(i) = max(t(i-1) + 1, up(i), skip(i), decA(i - 2W) )   (the next conv's line buffer
 *                                                                       holds at most two rows)
 * </pre>
 * From it, {@link #skipPeak(int)}: how many skip pixels the fork has passed but the concat not
 * yet taken, at most - the occupancy a skip buffer must allow so that it never holds the encoder
 * back while the decoder works at full rate.
 */
final class PixelTiming {
    private final UNetTopology topology;
    private final int height;
    private final int width;
    private final int frames;
    private final Map<String, Long> cyclesPerPixel;
    private final long[][] encB;
    private final long[][] concat;
    private final long[] headOut;
    private final long bound;

    PixelTiming(UNetTopology topology, int height, int width, Map<String, Long> cyclesPerPixel, int frames) {
        this.topology = topology;
        this.height = height;
        this.width = width;
        this.frames = frames;
        this.cyclesPerPixel = cyclesPerPixel;
        int levels = topology.levels();
        long bound = 1;
        for (UNetTopology.ConvSpec s : topology.convs()) {
            int l = UNetAccelerator.level(s.name());
            bound = Math.max(bound, cpp(s.name()) * pixels(l));
        }
        this.bound = bound;
        long[] src = new long[frames * pixels(0)];
        for (int i = 0; i < src.length; i++) {
            src[i] = i * bound / pixels(0);
        }
        encB = new long[levels][];
        long[] in = src;
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                in = pool(encB[l - 1], l - 1);
            }
            encB[l] = conv(conv(in, l, "enc" + l + "a").all(), l, "enc" + l + "b").all();
        }
        concat = new long[levels - 1][];
        long[] deeper = encB[levels - 1];
        for (int l = levels - 2; l >= 0; l--) {
            long[] up = up(deeper, l);
            long[][] catAndA = concatThenConv(up, encB[l], l, "dec" + l + "a");
            concat[l] = catAndA[0];
            deeper = conv(catAndA[1], l, "dec" + l + "b").all();
        }
        headOut = conv(deeper, 0, "head").all();
    }

    private long cpp(String conv) {
        Long c = cyclesPerPixel.get(conv);
        if (c == null) {
            throw new IllegalArgumentException("no cycles per pixel for layer " + conv);
        }
        return c;
    }

    private int rows(int level) {
        return height >> level;
    }

    private int cols(int level) {
        return width >> level;
    }

    private int pixels(int level) {
        return rows(level) * cols(level);
    }

    /**
     * One block of the recurrence, filled in index order (so a consumer can ask for a prefix):
     * {@code t(i) = max(t(i-1) + interval, in(need(i)) + latency)}.
     */
    private static final class Stage {
        final long[] t;
        private final long[] in;
        private final IntUnaryOperator need;
        private final long interval;
        private final long latency;
        private int done;

        Stage(long[] in, int length, IntUnaryOperator need, long interval, long latency) {
            this.t = new long[length];
            this.in = in;
            this.need = need;
            this.interval = interval;
            this.latency = latency;
        }

        long[] upTo(int last) {
            for (; done <= last; done++) {
                long prev = done == 0 ? Long.MIN_VALUE / 2 : t[done - 1];
                t[done] = Math.max(prev + interval, in[need.applyAsInt(done)] + latency);
            }
            return t;
        }

        long[] all() {
            return upTo(t.length - 1);
        }
    }

    /** A rule on one frame's pixels (output p of {@code nOut} -> input of {@code nIn}), applied frame by frame. */
    private static IntUnaryOperator perFrame(int nOut, int nIn, IntUnaryOperator rule) {
        return i -> i / nOut * nIn + rule.applyAsInt(i % nOut);
    }

    /** A conv at {@code level}: its window's rule, then its cycles per pixel (registered window read: + 2). */
    private Stage conv(long[] in, int level, String layer) {
        int h = rows(level);
        int w = cols(level);
        long c = cpp(layer);
        return new Stage(in, in.length, perFrame(pixels(level), pixels(level), p -> SkipSchedule.windowNeeds(h, w, p / w, p % w)),
                c, 2 + c);
    }

    /** Max-pool from level {@code level} to level + 1. */
    private long[] pool(long[] in, int level) {
        int w = cols(level + 1);
        int n = pixels(level + 1);
        return new Stage(in, frames * n, perFrame(n, pixels(level), p -> SkipSchedule.poolNeeds(w, p)), 1, 1).all();
    }

    /** Upsampler from level + 1 (h x w) to {@code level} (2h x 2w). */
    private long[] up(long[] in, int level) {
        int h = rows(level + 1);
        int w = cols(level + 1);
        int wOut = cols(level);
        int n = pixels(level);
        return new Stage(in, frames * n, perFrame(n, pixels(level + 1), p -> SkipSchedule.upNeeds(h, w, p / wOut, p % wOut)),
                1, 2).all();
    }

    /** The concat and the conv after it, computed together: the concat may run at most two rows ahead of the conv. */
    private long[][] concatThenConv(long[] up, long[] skip, int level, String layer) {
        long[] cat = new long[up.length];
        Stage conv = conv(cat, level, layer); // reads the concat's times as they are filled in
        int w = cols(level);
        long c = cpp(layer);
        long prevCat = Long.MIN_VALUE / 2;
        for (int i = 0; i < cat.length; i++) {
            int reads = i - 2 * w; // the line buffer takes pixel i once this many columns are read
            // output 'reads' needs concat pixels < i only; its read starts the MAC on that window
            long room = reads >= 0 ? conv.upTo(reads)[reads] - c : Long.MIN_VALUE / 2;
            prevCat = Math.max(Math.max(prevCat + 1, up[i]), Math.max(skip[i] + 1, room));
            cat[i] = prevCat;
        }
        return new long[][] {cat, conv.all()};
    }

    /** Most skip pixels at {@code level} passed by the fork and not yet taken by the concat. */
    long skipPeak(int level) {
        long[] pushed = encB[level];
        long[] taken = concat[level];
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

    /** The slowest layer's cycles per frame: the input's pace. */
    long bound() {
        return bound;
    }

    /** Cycle of the last output pixel of the last frame. */
    long lastOutput() {
        return headOut[headOut.length - 1];
    }

    /** Cycles between the last outputs of the last two frames (one frame: its last output). */
    long cyclesPerFrame() {
        int n = pixels(0);
        return frames == 1 ? lastOutput() : headOut[frames * n - 1] - headOut[(frames - 1) * n - 1];
    }
}
