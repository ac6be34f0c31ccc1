package unetq.hw.cost;

import unetq.hw.block.Memory;
import unetq.hw.block.SkipFifo;

/**
 * Where Yosys puts an inferred memory (one write port, one registered read port) and what it
 * costs, per family. 7-series: distributed RAM (RAM32M: 32 x 6 bits, RAM64M: 64 x 3 bits, four
 * LUTs each) for small memories, else the cheapest tiling of RAMB18 (16K x 1 ... 512 x 36) or
 * RAMB36 (32K x 1 ... 512 x 72) aspect ratios, counted in 18-kbit units. iCE40: SB_RAM40_4K
 * (256 x 16 ... 2048 x 2). The distributed/block boundary is Yosys 0.23's, measured (see
 * docs/estimation.md); the tiling rule reproduces its block counts on the memories measured.
 */
public final class MemoryMapping {
    private static final int[][] RAMB18 = {{16384, 1}, {8192, 2}, {4096, 4}, {2048, 9}, {1024, 18}, {512, 36}};
    private static final int[][] RAMB36 = {{32768, 1}, {16384, 2}, {8192, 4}, {4096, 9}, {2048, 18}, {1024, 36}, {512, 72}};
    private static final int[][] ICE40 = {{256, 16}, {512, 8}, {1024, 4}, {2048, 2}};
    /**
     * Yosys 0.23's boundary on 7-series, measured with SkipFifo probes: every memory of depth <= 64
     * becomes distributed RAM (even 50 x 448 bits: 150 RAM64M); deeper ones do up to 2,304 bits
     * (256 x 9, 512 x 4 and 128 x 16 did) and block RAM from 3,072 (256 x 12, 128 x 24 did).
     */
    static final long XC7_LUTRAM_MAX_DEPTH = 64;
    /** memory_libmap's cost of one SB_RAM40_4K ({@code cost 64} in Yosys's ice40/brams.txt), in bits of flip-flops. */
    static final long ICE40_BLOCK_COST = 64;
    static final long XC7_LUTRAM_MAX_BITS = 2304;

    private MemoryMapping() {
    }

    /**
     * Resources of one memory on the family (block RAM or LUTRAM; control logic not included).
     * iCE40 has no distributed RAM: Yosys's memory_libmap weighs a SB_RAM40_4K at 64 against about
     * one per bit in flip-flops, so a memory goes to block RAM only when its blocks cost less than
     * its bits (measured with synth_ice40 on 20 shapes: 16 x 4 = 64 bits and 4 x 32 = 128 bits in
     * two 16-bit-wide blocks stay in flip-flops, 16 x 5 = 80 bits takes a block); in flip-flops a
     * memory costs its bits in FFs and about as many LUT4s for the write enables and read mux.
     */
    public static Resources of(Memory m, Device.Family family) {
        if (family == Device.Family.ICE40) {
            long blocks = tiles(m, ICE40, 1);
            return ICE40_BLOCK_COST * blocks < m.bits() ? new Resources(0, 0, blocks, 0, 0)
                    : new Resources(m.bits(), m.bits(), 0, 0, 0);
        }
        if (m.depth() <= XC7_LUTRAM_MAX_DEPTH || m.bits() <= XC7_LUTRAM_MAX_BITS) {
            long luts = m.depth() <= 32 ? 4 * ceil(m.width(), 6) : 4 * ceil(m.depth(), 64) * ceil(m.width(), 3);
            return new Resources(0, 0, 0, luts, 0);
        }
        return new Resources(0, 0, xc7BlockRams(m, false), 0, 0);
    }

    /** A RAM placed in block RAM ({@code ram_style = "block"}): the cheapest tiling. */
    public static Resources ramBlock(Memory m, Device.Family family) {
        if (family == Device.Family.ICE40) {
            return new Resources(0, 0, tiles(m, ICE40, 1), 0, 0);
        }
        return new Resources(0, 0, xc7BlockRams(m, false), 0, 0);
    }

    /**
     * A simple-dual-port RAM placed in 7-series distributed RAM ({@code ram_style = "distributed"}):
     * the cheaper of banks of RAM32M (32 x 6 bits) and RAM64M (64 x 3 bits), four LUTs each, plus a
     * read mux over the banks, about one LUT per bit for every three banks past the first.
     * Measured: 72 x 192 takes 96 RAM32M and 195 LUTs of mux (3 banks).
     */
    public static Resources distributed(Memory m) {
        long best = Long.MAX_VALUE;
        long bestMux = 0;
        for (int[] prim : new int[][] {{32, 6}, {64, 3}}) {
            long banks = ceil(m.depth(), prim[0]);
            long cells = banks * ceil(m.width(), prim[1]);
            if (4 * cells < best) {
                best = 4 * cells;
                bestMux = m.width() * ceil(banks - 1, 3);
            }
        }
        return new Resources(bestMux, 0, 0, best, 0);
    }

    /** A memory forced into block RAM (a large ROM): the cheapest tiling. */
    public static Resources blockRam(Memory m, Device.Family family) {
        if (family == Device.Family.ICE40) {
            return new Resources(0, 0, tiles(m, ICE40, 1), 0, 0);
        }
        return new Resources(0, 0, xc7BlockRams(m, true), 0, 0);
    }

    /** RAMB18 units of the cheapest 7-series block-RAM layout: by aspect ratio, or banks side by side. */
    private static long xc7BlockRams(Memory m, boolean rom) {
        return Math.min(Math.min(tiles(m, RAMB18, 1), tiles(m, RAMB36, 2)), banksSideBySide(m, rom));
    }

    /**
     * RAMB18 units when 512-row banks of a deeper memory sit side by side in the rows of
     * simple-dual-port blocks (512 x 36 RAMB18, 512 x 72 RAMB36), as Yosys's memory_libmap does:
     * the high address bits pick the bank, through the byte write enables (9-bit lanes: a written
     * word takes whole lanes) and a read mux; a ROM needs no lanes and packs bits. Measured: a
     * 1245 x 40 FIFO in two RAMB36 (3 banks x 5 lanes = 135 of 144 bits), a 1536 x 24 weight ROM in
     * one (3 x 24 = 72 bits), where tiling by aspect ratio needs 5 and 3 RAMB18.
     */
    static long banksSideBySide(Memory m, boolean rom) {
        long banks = ceil(m.depth(), 512);
        if (banks < 2) {
            return Long.MAX_VALUE;
        }
        long rowBits = rom ? banks * m.width() : banks * ceil(m.width(), 9) * 9;
        return Math.min(ceil(rowBits, 36), 2 * ceil(rowBits, 72));
    }

    /**
     * A memory read and written at one address (the max-pool's half-row buffer): Yosys 0.23 keeps it
     * in single-port distributed RAM on 7-series (RAM32M: 32 x 8 bits; RAM64X1S, RAM128X1S,
     * RAM256X1S: one, two, four LUTs a bit, their bank mux inside), while {@link #oneAddressInLutram}.
     */
    public static Resources oneAddress(Memory m, Device.Family family) {
        if (family == Device.Family.ICE40) {
            return of(m, family);
        }
        long luts = m.depth() <= 32 ? 4 * ceil(m.width(), 8) : ceil(m.depth(), 64) * m.width();
        return new Resources(0, 0, 0, luts, 0);
    }

    /**
     * Whether Yosys 0.23 keeps a one-address memory in distributed RAM on 7-series (max-pool probes:
     * 128 x 28 and 128 x 56 and 256 x 14 did, 256 x 28 and 512 x 28 took a RAMB18).
     */
    public static boolean oneAddressInLutram(Memory m) {
        return m.depth() <= 128 || m.depth() <= 256 && m.bits() <= 4096;
    }

    /**
     * Block RAMs stacked in depth by the cheapest 7-series tiling of {@code m} (1 when one block
     * holds the whole depth): the read data then passes a mux of that many inputs.
     */
    public static long depthTiles(Memory m) {
        long best = Long.MAX_VALUE;
        long tiles = 1;
        for (int[][] modes : new int[][][] {RAMB18, RAMB36}) {
            int units = modes == RAMB18 ? 1 : 2;
            for (int[] mode : modes) {
                long cost = units * ceil(m.depth(), mode[0]) * ceil(m.width(), mode[1]);
                if (cost < best) {
                    best = cost;
                    tiles = ceil(m.depth(), mode[0]);
                }
            }
        }
        return tiles;
    }

    private static long tiles(Memory m, int[][] modes, int units) {
        long best = Long.MAX_VALUE;
        for (int[] mode : modes) {
            best = Math.min(best, units * ceil(m.depth(), mode[0]) * ceil(m.width(), mode[1]));
        }
        return best;
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }
}
