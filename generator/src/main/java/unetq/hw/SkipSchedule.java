package unetq.hw;

import unetq.golden.UNetTopology;

/**
 * Skip-buffer depths by analysis of the pixel schedule, not by simulation. Each block needs a
 * bounded look-ahead on its input to emit output pixel (r, c) (raster order; h x w is the input's
 * size, clamped at the edges):
 * <pre>
 *   3x3 conv (sliding window):  (r + 1, c + 1)
 *   2x2 max-pool:               (2r + 1, 2c + 1)
 *   bilinear x2 (rows stage):   row 0: (0, x); odd rows 2y-1: (y, x); even rows 2y and the last row replay
 *                               row y from the buffers, so they need all of it: (y, w - 1)
 *   bilinear x2 (columns stage): x = c / 2 + 1 (the pair 2x, 2x+1 leaves when pixel x + 1 arrives)
 *   concat:                     (r, c) of both inputs
 * </pre>
 * Composing these from the concat at level l down through the pool, the deeper levels and back up
 * to the upsampler gives, for each skip pixel p the concat wants, the last pixel q of the same skip
 * stream the fork must already have passed to the pool path. The skip buffer must hold q - p + 1
 * pixels: the maximum over every p of a frame is the lead. The depth adds {@link #MARGIN_ROWS}
 * (measured, see there) and a few beats held by pipeline registers.
 */
public final class SkipSchedule {
    /** Beats held in pipeline registers between the fork and the concat beyond the analysed lead. */
    public static final int PIPELINE_SLACK = 8;

    private final UNetTopology topology;
    private final int height;
    private final int width;
    private final int[] leads;

    public SkipSchedule(UNetTopology topology, int height, int width) {
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
     * Last pixel of the skip stream at {@code level} (the fork's output) needed before the
     * upsampler at {@code level} can emit its pixel (r, c).
     */
    private int upNeedsSkip(int level, int r, int c) {
        int h = rows(level + 1);
        int w = cols(level + 1);
        int y;
        boolean wholeRow;
        if (r == 0) {
            y = 0;
            wholeRow = false;
        } else if (r == 2 * h - 1) {
            y = h - 1;
            wholeRow = true;
        } else if (r % 2 == 1) {
            y = (r + 1) / 2;
            wholeRow = false;
        } else {
            y = r / 2;
            wholeRow = true;
        }
        int x = wholeRow ? w - 1 : Math.min(c / 2 + 1, w - 1);
        // the deeper stream: enc{L-1}b at the bottom, else dec{l+1}b; both ultimately need rows of enc{l+1}b
        int deeper = level + 1 == topology.levels() - 1 ? index(level + 1, y, x) : decoderNeedsEncoder(level + 1, y, x);
        // enc{l+1}b output pixel 'deeper' needs (through enc{l+1}b and enc{l+1}a) pooled pixel ...
        int er = deeper / w;
        int ec = deeper % w;
        int pr = Math.min(Math.min(er + 1, h - 1) + 1, h - 1);
        int pc = Math.min(Math.min(ec + 1, w - 1) + 1, w - 1);
        // ... which the max-pool makes from skip pixel (2 pr + 1, 2 pc + 1)
        return index(level, 2 * pr + 1, 2 * pc + 1);
    }

    /** Last pixel of enc{level}b's output needed for pixel (r, c) of dec{level}b's output. */
    private int decoderNeedsEncoder(int level, int r, int c) {
        int h = rows(level);
        int w = cols(level);
        int cr = Math.min(Math.min(r + 1, h - 1) + 1, h - 1); // dec{l}b, dec{l}a: concat pixel needed
        int cc = Math.min(Math.min(c + 1, w - 1) + 1, w - 1);
        return Math.max(index(level, cr, cc), upNeedsSkip(level, cr, cc));
    }

    /** Pixels the skip stream at {@code level} must run ahead of its consumer, at most. */
    public int lead(int level) {
        return leads[level];
    }

    /** The lead in rows of the level (rounded up), for reports. */
    public int leadRows(int level) {
        return (leads[level] + cols(level) - 1) / cols(level);
    }

    /** FIFO depth of the skip buffer at {@code level}, in pixels. */
    public int depth(int level) {
        return leads[level] + 1 + MARGIN_ROWS * cols(level) + PIPELINE_SLACK;
    }

    /**
     * Rows added to the analysed lead. EMPIRICAL, not yet derived: the lead above is a pure data
     * dependency and a lower bound; measured on a tiny U-Net at 64x64, depth = lead + 1, + 1 row
     * and + 2 rows per level deadlock, + 8 rows runs (docs/hardware.md). The missing term is the
     * coupling through the upsampler, which takes input only while it emits odd rows, so a deep
     * path can run ahead of its concat only by its own small buffers.
     */
    public static final int MARGIN_ROWS = 8;
}
