package unetq.hw.cost;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import unetq.hw.block.HardwareBlock;

/**
 * Capacities of the devices unetq sizes designs for, from the vendors' product tables (Xilinx
 * DS180 7-series and DS891 UltraScale+ overviews; Lattice iCE40 UltraPlus and LP/HX data sheets).
 * Block RAM in 18-kbit units (RAMB36 = 2); on iCE40 in 4-kbit SB_RAM40_4K blocks. LUTs are LUT6
 * on Xilinx, LUT4 on iCE40. The UP5K's four 256-kbit SPRAMs and the U250's UltraRAM are not used.
 */
public enum Device {
    XC7Z020("xc7z020", Family.XC7, 53_200, 106_400, 280, 220),
    XC7A35T("xc7a35t", Family.XC7, 20_800, 41_600, 100, 90),
    XC7A100T("xc7a100t", Family.XC7, 63_400, 126_800, 270, 240),
    XCZU3EG("xczu3eg", Family.XCUP, 70_560, 141_120, 432, 360),
    XCU250("xcu250", Family.XCUP, 1_728_000, 3_456_000, 5_376, 12_288),
    ICE40UP5K("ice40up5k", Family.ICE40, 5_280, 5_280, 30, 8, new Ice40Package("up5k", "sg48", 39, "icebreaker.pcf")),
    ICE40HX8K("ice40hx8k", Family.ICE40, 7_680, 7_680, 32, 0, new Ice40Package("hx8k", "ct256", 206, null));

    /** Synthesis families: the cost model and the Yosys flow differ per family. */
    public enum Family { XC7, XCUP, ICE40 }

    /**
     * The iCE40 part unetq places and routes for: nextpnr-ice40's device option and package, the
     * package's user I/O pins, and the board pin file of {@code constraints/} for it (null: none,
     * pins left to the placer). UP5K in the SG48 package as on the iCEBreaker; HX8K in CT256.
     */
    public record Ice40Package(String nextpnrDevice, String name, int ioPins, String boardPcf) {
    }

    private final String id;
    private final Family family;
    private final long luts;
    private final long ffs;
    private final long bram;
    private final long dsps;
    private final Ice40Package ice40Package;

    Device(String id, Family family, long luts, long ffs, long bram, long dsps) {
        this(id, family, luts, ffs, bram, dsps, null);
    }

    Device(String id, Family family, long luts, long ffs, long bram, long dsps, Ice40Package ice40Package) {
        this.ice40Package = ice40Package;
        this.id = id;
        this.family = family;
        this.luts = luts;
        this.ffs = ffs;
        this.bram = bram;
        this.dsps = dsps;
    }

    public String id() {
        return id;
    }

    public Family family() {
        return family;
    }

    /**
     * LUT4s per product bit (a·b of an a x b product) when an iCE40 without DSPs (HX8K) builds
     * multipliers from logic, as Yosys {@code synth_ice40} without {@code -dsp} does: one AND and
     * about one adder bit per partial-product bit, plus the adder tree. Measured once, on
     * {@code random:2-4} W2A2 16x16: its 11 DSP products (803 product bits) cost 2,177 more LUT4
     * without {@code -dsp} than with (docs/hardware.md, "DSPs", gives the commands).
     */
    public static final double ICE40_LUTS_PER_PRODUCT_BIT = 2.7;

    /**
     * A block's estimate on this device: its family's, except that a device without DSP slices
     * builds the products from LUTs.
     */
    public Resources estimate(HardwareBlock block) {
        Resources r = block.resources(family);
        if (dsps > 0 || r.dsps() == 0) {
            return r;
        }
        long logic = Math.round(block.dspProductBits(family) * ICE40_LUTS_PER_PRODUCT_BIT);
        return new Resources(r.luts() + logic, r.ffs(), r.bram18(), r.lutram(), 0);
    }

    /**
     * User I/O pins of the package unetq builds for, or 0 where a design's streams stay on chip
     * (Zynq: AXI4-Stream to a DMA).
     */
    public int ioPins() {
        return ice40Package == null ? 0 : ice40Package.ioPins();
    }

    /** The iCE40 part nextpnr places and routes for; empty for other families. */
    public java.util.Optional<Ice40Package> ice40Package() {
        return java.util.Optional.ofNullable(ice40Package);
    }

    /** Whether the products of a design may use DSP slices ({@code synth_ice40 -dsp}). */
    public boolean hasDsps() {
        return dsps > 0;
    }

    /** The device's resources as a {@link Resources} (LUTRAM shares the LUTs: reported as 0). */
    public Resources capacity() {
        return new Resources(luts, ffs, bram, 0, dsps);
    }

    /** What of {@code r} exceeds this device, and by how much ("LUT needs 89182 of 5280 (+83902), ..."); empty when it fits. */
    public String overflow(Resources r) {
        StringBuilder sb = new StringBuilder();
        over(sb, "LUT", r.luts() + r.lutram(), luts);
        over(sb, "FF", r.ffs(), ffs);
        over(sb, "BRAM18", r.bram18(), bram);
        over(sb, "DSP", r.dsps(), dsps);
        return sb.toString();
    }

    private static void over(StringBuilder sb, String what, long need, long have) {
        if (need > have) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%s needs %d of %d (%+d)", what, need, have, need - have));
        }
    }

    /** Whether every resource of {@code r} (LUTs as logic + LUTRAM) is within this device. */
    public boolean fits(Resources r) {
        return overflow(r).isEmpty();
    }

    /** How far {@code r} overshoots this device: its largest fill ratio over LUT, FF, block RAM and DSP. */
    public double worstFill(Resources r) {
        return Math.max(Math.max((double) (r.luts() + r.lutram()) / luts, (double) r.ffs() / ffs),
                Math.max((double) r.bram18() / bram, dsps == 0 ? (r.dsps() == 0 ? 0 : Double.MAX_VALUE) : (double) r.dsps() / dsps));
    }

    /** By name, case-insensitive; the error lists the known devices. */
    public static Device byId(String name) {
        for (Device d : values()) {
            if (d.id.equalsIgnoreCase(name.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown device '" + name + "'; known: " + known());
    }

    public static String known() {
        return Arrays.stream(values()).map(Device::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
