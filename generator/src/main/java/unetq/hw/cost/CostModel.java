package unetq.hw.cost;

import unetq.verilog.MemoryStyle;
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
        Resources r = nonMemory(block, s, family);
        for (Structure.MemoryUse m : s.memories()) {
            r = r.plus(memory(m, family, m.style()));
        }
        return new Resources(r.luts(), Math.max(0, r.ffs()), r.bram18(), r.lutram(), r.dsps());
    }

    /** A block's logic, registers and DSPs: everything but its memories. */
    public static Resources nonMemory(HardwareBlock block, Structure s, Device.Family family) {
        long luts = family == Device.Family.ICE40 ? Math.round(block.ice40LogicLuts()) : block.logicLuts();
        return new Resources(luts, s.registerBits() - block.redundantRegisterBits(), 0, 0, block.dsps(family));
    }

    /**
     * One memory (all its copies) in {@code style}; for {@link MemoryStyle#AUTO}, where Yosys puts it.
     * Flip-flops may be negative: a block RAM's output register holds the read register the RTL declares.
     */
    public static Resources memory(Structure.MemoryUse m, Device.Family family, MemoryStyle style) {
        Memory mem = new Memory(m.name(), m.depth(), m.width());
        Resources r;
        if (style != MemoryStyle.AUTO) { // placed by the design (MemoryPlacement): cost what was asked
            r = switch (style) {
                case ROM_LOGIC -> new Resources(romLogicLuts(m.depth(), m.width()), 0, 0, 0, 0);
                case ROM_BLOCK -> MemoryMapping.blockRam(mem, family);
                case RAM_BLOCK -> MemoryMapping.ramBlock(mem, family);
                case RAM_DISTRIBUTED -> m.oneAddress() ? MemoryMapping.oneAddress(mem, family) : MemoryMapping.distributed(mem);
                case AUTO -> throw new IllegalStateException();
            };
        } else if (m.rom() && (family == Device.Family.ICE40 ? m.bits() < 4096
                : m.bits() <= ROM_BRAM_MIN_BITS_PER_BLOCK * MemoryMapping.blockRam(mem, family).bram18())) {
            // iCE40: one SB_RAM40_4K holds 4 kbit; smaller ROMs assumed in logic (not measured yet)
            long luts = romLogicLuts(m.depth(), m.width());
            r = new Resources(family == Device.Family.ICE40 ? Math.round(luts * ICE40_LUT_FACTOR) : luts, 0, 0, 0, 0);
        } else {
            // a memory read and written at one address is single-port LUTRAM while small; Yosys puts a
            // large one (the max-pool's row of 800 x 14) in block RAM like any other
            boolean lutram = family == Device.Family.ICE40 ? MemoryMapping.of(mem, family).bram18() == 0
                    : MemoryMapping.oneAddressInLutram(mem);
            r = m.rom() ? MemoryMapping.blockRam(mem, family)
                    : m.oneAddress() && lutram ? MemoryMapping.oneAddress(mem, family)
                    : MemoryMapping.of(mem, family);
        }
        long ff = r.ffs() - (r.bram18() > 0 ? m.readRegisterBits() : 0); // the block RAM's own output register holds them
        long lutram = family == Device.Family.ICE40 ? 0 : r.lutram(); // iCE40 has no distributed RAM
        // block RAMs stacked in depth: the read data passes a mux over them (2610 x 192 bits, three deep: 267 LUTs)
        long stackMux = r.bram18() > 0 && family != Device.Family.ICE40 ? (long) m.width() * (MemoryMapping.depthTiles(mem) - 1) / 2 : 0;
        return new Resources(r.luts() + stackMux, ff, r.bram18(), lutram, 0).times(m.copies());
    }

    /**
     * LUT6s of a ROM left in logic ({@code rom_style = "logic"}), per output bit as Yosys 0.23 builds it
     * (measured on 64-bit ROMs of random words, registered read, depth 8 to 2304): one LUT6 per 64
     * entries (MUXF7/F8 join four), plus about a quarter more for the wider mux trees past 256 entries
     * (512: 9.2 per bit, 1152: 23.3, 2304: 43.6); 0.8 per bit up to 8 entries; a one-entry ROM is a
     * constant.
     */
    public static long romLogicLuts(long depth, int width) {
        if (depth <= 1) {
            return 0;
        }
        if (depth <= 8) {
            return Math.round(0.8 * width);
        }
        long leaves = (depth + 63) / 64;
        double perBit = leaves + (leaves > 4 ? leaves / 4.0 : 0);
        return Math.round(perBit * width);
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
