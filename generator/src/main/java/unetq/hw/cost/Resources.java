package unetq.hw.cost;

/**
 * FPGA resources of a block or design: logic LUTs (LUT6 on 7-series, LUT4 on iCE40; LUTs used as
 * memory not included), flip-flops, 18-kbit block RAMs (a RAMB36 counts as two; on iCE40 one
 * SB_RAM40_4K counts as one), LUTs used as memory (LUTRAM) and DSP slices (DSP48E1, SB_MAC16).
 */
public record Resources(long luts, long ffs, long bram18, long lutram, long dsps) {
    public static final Resources NONE = new Resources(0, 0, 0, 0, 0);

    public Resources plus(Resources o) {
        return new Resources(luts + o.luts, ffs + o.ffs, bram18 + o.bram18, lutram + o.lutram, dsps + o.dsps);
    }

    public Resources times(long n) {
        return new Resources(luts * n, ffs * n, bram18 * n, lutram * n, dsps * n);
    }
}
