package unetq.hw.schedule;

import unetq.hw.block.Requantizer;
import unetq.hw.cost.DspBudget;

/**
 * How a conv layer is built: PE output channels x SIMD window elements per cycle (FINN's names;
 * SIMD runs over the flattened window, 9 taps x Cin, so it must divide 9*Cin), and whether its
 * requantizers build the BatchNorm product from LUTs instead of a DSP ({@link DspBudget}).
 */
public record Folding(int pe, int simd, boolean requantInLuts) {
    public Folding {
        if (pe < 1 || simd < 1) {
            throw new IllegalArgumentException("PE and SIMD must be >= 1, got PE=" + pe + " SIMD=" + simd);
        }
    }

    /** Requantizer products in DSPs (where the cost model puts them). */
    public Folding(int pe, int simd) {
        this(pe, simd, false);
    }

    public Folding withRequantInLuts() {
        return new Folding(pe, simd, true);
    }

    /** Checks the folding against a layer; the message says what would divide. */
    public Folding requireFits(int outChannels, int fanIn) {
        if (outChannels % pe != 0) {
            throw new IllegalArgumentException("PE=" + pe + " must divide the " + outChannels + " output channels");
        }
        if (fanIn % simd != 0) {
            throw new IllegalArgumentException("SIMD=" + simd + " must divide the window size " + fanIn);
        }
        return this;
    }

    /** Output-channel groups (neuron fold). */
    public int outputGroups(int outChannels) {
        return outChannels / pe;
    }

    /** Beats per window and group (synapse fold). */
    public int beatsPerGroup(int fanIn) {
        return fanIn / simd;
    }

    /** Cycles per output pixel: (Cout/PE) * (9*Cin/SIMD). */
    public long cyclesPerPixel(int outChannels, int fanIn) {
        return (long) outputGroups(outChannels) * beatsPerGroup(fanIn);
    }
}
