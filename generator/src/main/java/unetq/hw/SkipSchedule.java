package unetq.hw;

import unetq.golden.UNetTopology;

/**
 * Skip-buffer depths by analysis of the row schedule, not by simulation. Every block of the
 * streaming U-Net needs a bounded look-ahead of input rows to produce output row r:
 * <pre>
 *   3x3 conv (same):  min(r + 1, h - 1)      2x2 max-pool:  2r + 1
 *   bilinear x2 up:   min(ceil(r / 2), h - 1)  concat:        r of both inputs
 * </pre>
 * Composing them along the down-and-up path from the skip's fork to its concat gives, for skip
 * row r, the last row of the skip stream the fork must already have passed on before the concat
 * can take row r. The skip buffer holds the rows in between: depth = (max over r of that lead) + 1
 * rows of the level's width, plus a few beats of pipeline registers.
 */
public final class SkipSchedule {
    /** Beats held in pipeline registers between the fork and the concat beyond the row lead. */
    public static final int PIPELINE_SLACK = 8;

    private final UNetTopology topology;
    private final int height;
    private final int width;

    public SkipSchedule(UNetTopology topology, int height, int width) {
        topology.requireSize(height, width);
        this.topology = topology;
        this.height = height;
        this.width = width;
    }

    int rows(int level) {
        return height >> level;
    }

    int cols(int level) {
        return width >> level;
    }

    private int conv(int level, int r) {
        return Math.min(r + 1, rows(level) - 1);
    }

    /** Last row of the encoder output of {@code level} (its skip stream) needed to produce row r of the decoder output of {@code level}. */
    private int decoderNeedsEncoder(int level, int r) {
        // dec{l}b <- dec{l}a <- concat(up(deeper), skip{l})
        int concatRow = conv(level, conv(level, r));
        return Math.max(concatRow, upNeedsEncoder(level, concatRow));
    }

    /** Last row of the encoder output of {@code level} needed for row r of the upsampled deeper output at {@code level}. */
    private int upNeedsEncoder(int level, int r) {
        int deeperRow = Math.min((r + 1) / 2, rows(level + 1) - 1); // ceil(r / 2), clamped
        // the row of enc{l+1}b's output needed: at the bottom the upsampler reads it directly,
        // above it dec{l+1}b needs it through its own convs and concat
        int encRowAtNext = level + 1 == topology.levels() - 1 ? deeperRow : decoderNeedsEncoder(level + 1, deeperRow);
        int pooledRow = conv(level + 1, conv(level + 1, encRowAtNext));     // enc{l+1}a, b read pooled rows
        return 2 * pooledRow + 1;                                           // the max-pool reads the skip stream
    }

    /** Rows of lead of the skip stream over its consumer at {@code level}: max over r of needed - r. */
    public int leadRows(int level) {
        if (level < 0 || level >= topology.levels() - 1) {
            throw new IllegalArgumentException("levels with a skip: 0.." + (topology.levels() - 2));
        }
        int lead = 0;
        for (int r = 0; r < rows(level); r++) {
            lead = Math.max(lead, upNeedsEncoder(level, r) - r);
        }
        return lead;
    }

    /** FIFO depth of the skip buffer at {@code level}, in pixels. */
    public int depth(int level) {
        return (leadRows(level) + 1) * cols(level) + PIPELINE_SLACK;
    }
}
