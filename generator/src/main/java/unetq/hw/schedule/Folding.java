package unetq.hw.schedule;

import unetq.hw.block.MacForm;

/**
 * How a conv layer is built (FINN's names): PE output channels and SIMD input channels per cycle.
 * The layer's input stream carries SIMD channels a beat (SIMD divides Cin) and its output stream PE
 * (PE divides Cout); a pixel takes (Cout/PE)·(9·Cin/SIMD) cycles. {@code mac} says where the
 * products go (packed into DSPs where the formats allow, falling back to one per DSP, then to
 * LUTs); {@code requantInLuts} builds the requantizers' BatchNorm product from LUTs.
 */
public record Folding(int pe, int simd, boolean requantInLuts, MacForm.Kind mac) {
    public Folding {
        if (pe < 1 || simd < 1) {
            throw new IllegalArgumentException("PE and SIMD must be >= 1, got PE=" + pe + " SIMD=" + simd);
        }
        if (mac == null) {
            throw new IllegalArgumentException("no MAC form");
        }
    }

    /** Products packed into DSPs where they fit, requantizer products in DSPs. */
    public Folding(int pe, int simd) {
        this(pe, simd, false, MacForm.Kind.PACKED);
    }

    public Folding withRequantInLuts() {
        return new Folding(pe, simd, true, mac);
    }

    public Folding withMac(MacForm.Kind kind) {
        return new Folding(pe, simd, requantInLuts, kind);
    }

    /** Checks the folding against a layer; the message says what would divide. */
    public Folding requireFits(int outChannels, int inChannels) {
        if (outChannels % pe != 0) {
            throw new IllegalArgumentException("PE=" + pe + " must divide the " + outChannels + " output channels");
        }
        if (inChannels % simd != 0) {
            throw new IllegalArgumentException("SIMD=" + simd + " must divide the " + inChannels + " input channels");
        }
        return this;
    }

    /** Output-channel groups (neuron fold, NF). */
    public int outputGroups(int outChannels) {
        return outChannels / pe;
    }

    /** Beats per window and group (synapse fold, SF): 9 taps x Cin/SIMD. */
    public int beatsPerGroup(int inChannels) {
        return 9 * (inChannels / simd);
    }

    /** Cycles per output pixel: NF x SF. */
    public long cyclesPerPixel(int outChannels, int inChannels) {
        return (long) outputGroups(outChannels) * beatsPerGroup(inChannels);
    }

    @Override
    public String toString() {
        return "PE " + pe + " SIMD " + simd + (mac == MacForm.Kind.PACKED ? "" : ", products " + mac)
                + (requantInLuts ? ", requantizer product in LUTs" : "");
    }
}
