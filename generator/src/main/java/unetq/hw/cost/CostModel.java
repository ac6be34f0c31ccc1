package unetq.hw.cost;

import unetq.verilog.Structure;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.Memory;

/**
 * The resource estimate of a block: the storage part read off its syntax tree (flip-flops,
 * memories mapped by {@link MemoryMapping}, ROMs in block RAM or logic) plus the logic LUTs and
 * DSPs its own formula states ({@link HardwareBlock#logicLuts}, {@link HardwareBlock#dsps}).
 * The LUT coefficients were fitted to Yosys 0.23 {@code synth_xilinx} on the blocks of
 * {@code unetq sweep estimates} and are checked by it (docs/estimation.md). iCE40 LUT4 counts use
 * the 7-series formulas scaled by {@link #ICE40_LUT_FACTOR}: a first approximation, its error is
 * published but not yet fitted.
 */
public final class CostModel {
    /**
     * Yosys (memory_libmap's costs) puts a ROM in block RAM only when it fills its blocks well: more
     * than this many bits per 18-kbit block of its cheapest tiling, else logic. Measured between
     * 9,216 (576 x 32 in 2 blocks: logic) and 12,288 (768 x 48 in 3 blocks: block RAM); 216 x 192
     * (6,912 per block) stayed in logic too.
     */
    static final long ROM_BRAM_MIN_BITS_PER_BLOCK = 10_240;
    /** LUT4 per LUT6 of logic on iCE40 (first approximation). */
    public static final double ICE40_LUT_FACTOR = 1.6;

    private CostModel() {
    }

    public static Resources estimate(HardwareBlock block, Device.Family family) {
        Structure s = Structure.of(block.modules(), block.name());
        long ff = s.registerBits();
        long bram = 0;
        long lutram = 0;
        double romLuts = 0;
        long memoryLuts = 0;
        for (Structure.MemoryUse m : s.memories()) {
            Memory mem = new Memory(m.name(), m.depth(), m.width());
            // iCE40: one SB_RAM40_4K holds 4 kbit; smaller ROMs assumed in logic (not measured yet)
            if (m.rom() && (family == Device.Family.ICE40 ? m.bits() < 4096
                    : m.bits() <= ROM_BRAM_MIN_BITS_PER_BLOCK * MemoryMapping.blockRam(mem, family).bram18())) {
                romLuts += m.copies() * romLogicLuts(m.depth(), m.width());
                continue;
            }
            Resources r = m.rom() ? MemoryMapping.blockRam(mem, family)
                    : m.oneAddress() ? MemoryMapping.oneAddress(mem, family) : MemoryMapping.of(mem, family);
            if (r.bram18() > 0) {
                ff -= m.readRegisterBits() * m.copies(); // the block RAM's own output register holds them
            }
            bram += r.bram18() * m.copies();
            lutram += r.lutram() * m.copies();
            memoryLuts += r.luts() * m.copies(); // a memory built from flip-flops (iCE40, tiny)
            ff += r.ffs() * m.copies();
        }
        ff -= block.redundantRegisterBits();
        double luts = block.logicLuts() + romLuts;
        if (family == Device.Family.ICE40) {
            luts = block.ice40LogicLuts() + romLuts * ICE40_LUT_FACTOR + memoryLuts;
            lutram = 0; // iCE40 has no distributed RAM: small memories become SB_RAM40_4K or logic
        }
        return new Resources(Math.round(luts), Math.max(0, ff), bram, lutram, block.dsps(family));
    }

    /**
     * LUT6s of a ROM left in logic: every output bit is its own function of the address, one LUT6
     * per 64 entries (MUXF7/F8 join up to four), two bits per LUT6 up to 32 entries (a LUT6 has
     * two outputs over five shared inputs); a one-entry ROM is a constant.
     */
    static long romLogicLuts(long depth, int width) {
        if (depth <= 1) {
            return 0;
        }
        return depth <= 32 ? (width + 1) / 2 : width * ((depth + 63) / 64);
    }

    /**
     * DSP slices of one signed a x b product, as Yosys's {@code mul2dsp} splits it: 7-series maps
     * products of at least 9 result bits to DSP48E1 (25 x 18), iCE40 with {@code -dsp} those of at
     * least 11 to SB_MAC16 (16 x 16); a wider operand is cut into full-width pieces, and a last
     * piece narrower than 2 bits stays in LUTs ({@code DSP_*_MINWIDTH=2}).
     */
    public static long dspsPerProduct(int a, int b, Device.Family family) {
        int wide = Math.max(a, b);
        int narrow = Math.min(a, b);
        boolean ice40 = family == Device.Family.ICE40;
        if (a < 2 || b < 2 || a + b < (ice40 ? 11 : 9)) {
            return 0;
        }
        if (ice40) {
            return pieces(wide, 16) * pieces(narrow, 16);
        }
        return (long) ceil(wide, 25) * ceil(narrow, 18);
    }

    /** Pieces of at least 2 bits an operand of {@code bits} is cut into at {@code max} bits each. */
    private static long pieces(int bits, int max) {
        return bits / max + (bits % max >= 2 ? 1 : 0);
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
