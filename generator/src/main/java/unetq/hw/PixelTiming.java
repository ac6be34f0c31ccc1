package unetq.hw;

import java.util.Map;
import unetq.golden.UNetTopology;

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
            encB[l] = conv(conv(in, l, "enc" + l + "a"), l, "enc" + l + "b");
        }
        concat = new long[levels - 1][];
        long[] deeper = encB[levels - 1];
        for (int l = levels - 2; l >= 0; l--) {
            long[] up = up(deeper, l);
            long[][] catAndA = concatThenConv(up, encB[l], l, "dec" + l + "a");
            concat[l] = catAndA[0];
            deeper = conv(catAndA[1], l, "dec" + l + "b");
        }
        headOut = conv(deeper, 0, "head");
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

    private long[] conv(long[] in, int level, String layer) {
        int h = rows(level);
        int w = cols(level);
        int n = pixels(level);
        long c = cpp(layer);
        long[] out = new long[in.length];
        long prev = 0;
        for (int i = 0; i < out.length; i++) {
            int base = i / n * n;
            int p = i - base;
            prev = Math.max(prev, in[base + SkipSchedule.windowNeeds(h, w, p / w, p % w)] + 2) + c;
            out[i] = prev;
        }
        return out;
    }

    /** Max-pool from level {@code level} to level + 1. */
    private long[] pool(long[] in, int level) {
        int w = cols(level + 1);
        int n = pixels(level + 1);
        int nIn = pixels(level);
        long[] out = new long[frames * n];
        long prev = Long.MIN_VALUE / 2;
        for (int i = 0; i < out.length; i++) {
            int f = i / n;
            int p = i - f * n;
            prev = Math.max(prev + 1, in[f * nIn + SkipSchedule.poolNeeds(w, p)] + 1);
            out[i] = prev;
        }
        return out;
    }

    /** Upsampler from level + 1 (h x w) to {@code level} (2h x 2w). */
    private long[] up(long[] in, int level) {
        int h = rows(level + 1);
        int w = cols(level + 1);
        int nIn = pixels(level + 1);
        int wOut = cols(level);
        int n = pixels(level);
        long[] out = new long[frames * n];
        long prev = Long.MIN_VALUE / 2;
        for (int i = 0; i < out.length; i++) {
            int f = i / n;
            int p = i - f * n;
            prev = Math.max(prev + 1, in[f * nIn + SkipSchedule.upNeeds(h, w, p / wOut, p % wOut)] + 2);
            out[i] = prev;
        }
        return out;
    }

    /** The concat and the conv after it, computed together: the concat may run at most two rows ahead of the conv. */
    private long[][] concatThenConv(long[] up, long[] skip, int level, String layer) {
        int h = rows(level);
        int w = cols(level);
        int n = pixels(level);
        long c = cpp(layer);
        long[] cat = new long[up.length];
        long[] out = new long[up.length];
        int done = 0; // conv outputs computed so far
        long prevCat = Long.MIN_VALUE / 2;
        long prevOut = 0;
        for (int i = 0; i < cat.length; i++) {
            int reads = i - 2 * w; // the line buffer takes pixel i once this many columns are read
            long room = Long.MIN_VALUE / 2;
            if (reads >= 0) {
                while (done <= reads) { // output 'reads' needs concat pixels < i only
                    int base = done / n * n;
                    int p = done - base;
                    prevOut = Math.max(prevOut, cat[base + SkipSchedule.windowNeeds(h, w, p / w, p % w)] + 2) + c;
                    out[done++] = prevOut;
                }
                room = out[reads] - c; // the read starts the MAC on that window
            }
            prevCat = Math.max(Math.max(prevCat + 1, up[i]), Math.max(skip[i] + 1, room));
            cat[i] = prevCat;
        }
        while (done < out.length) {
            int base = done / n * n;
            int p = done - base;
            prevOut = Math.max(prevOut, cat[base + SkipSchedule.windowNeeds(h, w, p / w, p % w)] + 2) + c;
            out[done++] = prevOut;
        }
        return new long[][] {cat, out};
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
