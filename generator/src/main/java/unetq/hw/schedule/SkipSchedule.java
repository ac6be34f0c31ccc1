package unetq.hw.schedule;

import java.util.Map;
import unetq.golden.UNetTopology;
import unetq.hw.block.SlidingWindow;

/**
 * Skip-buffer depths by analysis of the pixel schedule, not by simulation. Each block needs a
 * bounded look-ahead on its input to emit output pixel (r, c) (raster order; h x w is the input's
 * size, clamped at the edges):
 * <pre>
 *   3x3 conv (sliding window):  (r + 1, c + 1); the row's last window (r + 2, 0)
 *   2x2 max-pool:               (2r + 1, 2c + 1)
 *   bilinear x2 (rows stage):   row 0: (0, x); odd rows 2y-1: (y, x); even rows 2y and the last row replay
 *                               row y from the buffers, so they need all of it: (y, w - 1)
 *   bilinear x2 (columns stage): x = c / 2 + 1 (the pair 2x, 2x+1 leaves when pixel x + 1 arrives)
 *   concat:                     (r, c) of both inputs
 * </pre>
 * Composing these from the concat at level l down through the pool, the deeper levels and back up
 * to the upsampler gives, for each skip pixel p the concat wants, the last pixel q of the same skip
 * stream the fork must already have passed to the pool path. The skip buffer must hold q - p + 1
 * pixels: the maximum over every p of a frame is the lead. A smaller buffer deadlocks.
 *
 * <p>The lead is a data dependency; it ignores time. The deep path takes time to compute what it
 * has received (a bottom-level conv may spend thousands of cycles per pixel), and all that time
 * the encoder above keeps producing at the frame's pace. {@link PixelTiming} runs the same rules
 * as a max-plus recurrence with each layer's cycles per pixel and the input at the design's pace;
 * the most skip pixels it finds in flight is the timed peak. The depth is the larger of the two
 * plus a few beats held by pipeline registers: deep enough never to hold the encoder back (so the
 * slowest layer never starves), no deeper than a full-rate schedule fills.
 */
public final class SkipSchedule {
    /** Beats held in pipeline registers between the fork and the concat beyond the analysed lead. */
    public static final int PIPELINE_SLACK = 8;
    /** Cap on the frames the timed model runs (a frame far shorter than the network's latency needs many). */
    static final int MAX_MODEL_FRAMES = 64;

    private final UNetTopology topology;
    private final int height;
    private final int width;
    private final int[] leads;
    private final long[] peaks;
    private final long modelCyclesPerFrame;

    /**
     * @param cyclesPerPixel each conv's cycles per output pixel at its folding (by layer name)
     */
    public SkipSchedule(UNetTopology topology, int height, int width, Map<String, Long> cyclesPerPixel) {
        topology.requireSize(height, width);
        this.topology = topology;
        this.height = height;
        this.width = width;
        this.leads = new int[topology.levels() - 1];
        for (int l = 0; l < leads.length; l++) {
            int lead = 0;
            for (int r = 0; r < rows(l); r++) {
                for (int c = 0; c < cols(l); c++) {
                    lead = Math.max(lead, upNeedsSkip(l, r, c) - (r * cols(l) + c));
                }
            }
            leads[l] = lead;
        }
        // run enough frames that every frame in flight at once is in the model, plus two in steady state
        PixelTiming first = new PixelTiming(topology, height, width, cyclesPerPixel, 1);
        int frames = (int) Math.min(MAX_MODEL_FRAMES, 2 + (first.lastOutput() + first.bound() - 1) / first.bound());
        PixelTiming timing = new PixelTiming(topology, height, width, cyclesPerPixel, frames);
        this.peaks = new long[leads.length];
        for (int l = 0; l < leads.length; l++) {
            peaks[l] = timing.skipPeak(l);
        }
        this.modelCyclesPerFrame = timing.cyclesPerFrame();
    }

    private int rows(int level) {
        return height >> level;
    }

    private int cols(int level) {
        return width >> level;
    }

    /** Linear index (raster order) of a pixel at a level. */
    private int index(int level, int r, int c) {
        return r * cols(level) + c;
    }

    /**
     * Last input pixel (linear index) a {@link SlidingWindow} over an h x w image must have taken
     * before it emits window (r, c). It emits window (r, c) when it reads column c + 1 of row r,
     * which needs the pixel below it, (r + 1, c + 1); the row's last window leaves with the next
     * row's first read, which needs (r + 2, 0) - one pixel further, but through a max-pool that is
     * two rows more. The last two rows need only their own row; the frame's last window is flushed.
     */
    static int windowNeeds(int h, int w, int r, int c) {
        if (c < w - 1) {
            return Math.min(r + 1, h - 1) * w + c + 1;
        }
        if (r + 1 < h) {
            return Math.min(r + 2, h - 1) * w;
        }
        return h * w - 1;
    }

    /** Last pixel a 3x3 conv layer (window then MACs) on an h x w image needs for output pixel i. */
    private static int convNeeds(int h, int w, int i) {
        return windowNeeds(h, w, i / w, i % w);
    }

    /** Last input pixel (at the finer level, 2h x 2w) the max-pool needs for its output pixel i (h x w). */
    static int poolNeeds(int w, int i) {
        return (2 * (i / w) + 1) * 2 * w + 2 * (i % w) + 1;
    }

    /**
     * Last input pixel an upsampler from h x w must have taken before it emits its pixel (r, c) of
     * 2h x 2w: row 0 and the odd rows 2y-1 take row y as they leave ((y, c/2 + 1) through the
     * columns stage), even rows and the last row replay row y, so they need all of it.
     */
    static int upNeeds(int h, int w, int r, int c) {
        boolean replay = r == 2 * h - 1 || (r > 0 && r % 2 == 0);
        int y = r == 2 * h - 1 ? h - 1 : (r + 1) / 2;
        int x = replay ? w - 1 : Math.min(c / 2 + 1, w - 1);
        return y * w + x;
    }

    /**
     * Last pixel of the skip stream at {@code level} (the fork's output) needed before the
     * upsampler at {@code level} can emit its pixel (r, c).
     */
    private int upNeedsSkip(int level, int r, int c) {
        int h = rows(level + 1);
        int w = cols(level + 1);
        int in = upNeeds(h, w, r, c);
        // the deeper stream: enc{L-1}b at the bottom, else dec{l+1}b; both ultimately need pixels of enc{l+1}b
        int deeper = level + 1 == topology.levels() - 1 ? in : decoderNeedsEncoder(level + 1, in / w, in % w);
        // enc{l+1}b and enc{l+1}a back to the pooled stream, then the max-pool back to the skip stream
        int pooled = convNeeds(h, w, convNeeds(h, w, deeper));
        return poolNeeds(w, pooled);
    }

    /** Last pixel of enc{level}b's output needed for pixel (r, c) of dec{level}b's output. */
    private int decoderNeedsEncoder(int level, int r, int c) {
        int h = rows(level);
        int w = cols(level);
        int cat = convNeeds(h, w, convNeeds(h, w, index(level, r, c))); // dec{l}b, dec{l}a: concat pixel needed
        return Math.max(cat, upNeedsSkip(level, cat / w, cat % w));
    }

    /** Skip connections: one per level but the bottom. */
    public int levels() {
        return leads.length;
    }

    /** Pixels the skip stream at {@code level} must run ahead of its consumer, at most. */
    public int lead(int level) {
        return leads[level];
    }

    /** The lead in rows of the level (rounded up), for reports. */
    public int leadRows(int level) {
        return (leads[level] + cols(level) - 1) / cols(level);
    }

    /** Skip pixels the timed model ({@link PixelTiming}) has in flight at once, at most: the rate-aware need. */
    public long timedPeak(int level) {
        return peaks[level];
    }

    /** Cycles per frame the timed model predicts in steady state (input at the design's pace). */
    public long modelCyclesPerFrame() {
        return modelCyclesPerFrame;
    }

    /**
     * Capacity of the skip buffer at {@code level}, in pixels (memory plus output register): the
     * larger of the dependency lead + 1 (less deadlocks) and the timed peak (less holds the encoder
     * back and costs throughput), plus the beats pipeline registers hold.
     */
    public int depth(int level) {
        return (int) Math.max(leads[level] + 1L, peaks[level]) + PIPELINE_SLACK;
    }
}
