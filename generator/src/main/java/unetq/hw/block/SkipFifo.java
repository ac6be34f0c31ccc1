package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.ArrayList;
import java.util.List;
import unetq.golden.Bits;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.Rtl;

/**
 * The skip buffer: a FIFO holding at least {@code depth} beats, in a memory plus a registered
 * output. Beats narrower than block RAM's widths are packed {@code pack} to a memory word (a
 * 7-bit beat wastes two of every nine bits; five of them fill 35 of 36): a gather in front and a
 * split behind ({@link WidthAdapter}s of one beat), so the memory holds ceil(depth / pack) words.
 * The pack divides the beats of a frame, so no beat of a frame waits for the next frame's to fill
 * its word. (Simulation watches the occupancy from outside: the design's simulation wrapper counts
 * its handshakes.)
 */
public final class SkipFifo implements HardwareBlock {
    private final String name;
    private final int bits;
    private final int depth;
    private final int pack;
    private final int entries;

    /** @param depth beats held in all (memory and output register), at least 2 */
    public SkipFifo(String name, int bits, int depth) {
        this(name, bits, depth, 1);
    }

    /** @param pack beats per memory word (1: none) */
    public SkipFifo(String name, int bits, int depth, int pack) {
        if (bits < 1 || depth < 2 || pack < 1) {
            throw new IllegalArgumentException("FIFO needs a data width >= 1, a depth >= 2 and a pack >= 1");
        }
        this.name = name;
        this.bits = bits;
        this.depth = depth;
        this.pack = pack;
        this.entries = pack == 1 ? depth - 1 : (depth + pack - 1) / pack;
    }

    /** Block RAM data widths (one RAMB18 port: 1 .. 36 bits; a RAMB36 in simple dual port: 72). */
    private static final int[] BRAM_WIDTHS = {1, 2, 4, 9, 18, 36, 72};

    /**
     * Beats per memory word for a FIFO of {@code depth} beats of {@code bits}, {@code frameBeats}
     * beats a frame: the pack up to 8 dividing the frame whose word fills block RAM's widths best
     * (1 when the FIFO is small enough for LUTs, or nothing fills better).
     */
    public static int bestPack(int bits, int depth, long frameBeats) {
        if ((long) depth * bits <= 8 * 1024) {
            return 1;
        }
        int best = 1;
        double bestFill = fill(bits);
        for (int k = 2; k <= 8; k++) {
            if (frameBeats % k == 0 && fill(k * bits) > bestFill + 1e-9) {
                best = k;
                bestFill = fill(k * bits);
            }
        }
        return best;
    }

    /** Share of block RAM bits a word of {@code w} bits uses: w over the narrowest port width (or multiple of 36) that holds it. */
    static double fill(int w) {
        for (int b : BRAM_WIDTHS) {
            if (w <= b) {
                return (double) w / b;
            }
        }
        return (double) w / (36.0 * ((w + 35) / 36));
    }

    public int pack() {
        return pack;
    }

    /**
     * Beats it can hold at most: the memory's words and output register, and with packing what the
     * gather (a word less one beat, and its output word) and the split (a word) hold (at least
     * {@link #depth()}).
     */
    public long capacity() {
        return pack == 1 ? depth : (long) (entries + 1) * pack + (2L * pack - 1) + pack;
    }

    @Override
    public List<Memory> memories() {
        return List.of(new Memory(name + ".mem", entries, pack * bits));
    }

    /** Fitted on Yosys xc7: pointers and counters (about 55 LUTs), and with packing the gather and the split. */
    @Override
    public long logicLuts() {
        long core = 55; // the read mux over block RAMs stacked in depth is the memory's (CostModel.memory)
        return pack == 1 ? core : core + gather().logicLuts() + split().logicLuts();
    }

    private WidthAdapter gather() {
        return new WidthAdapter(name + "_gather", 1, pack, bits);
    }

    private WidthAdapter split() {
        return new WidthAdapter(name + "_split", pack, 1, bits);
    }

    @Override
    public String name() {
        return name;
    }

    public int depth() {
        return depth;
    }

    @Override
    public List<Module> modules() {
        if (pack == 1) {
            return List.of(core(name, bits));
        }
        List<Module> modules = new ArrayList<>(gather().modules());
        modules.addAll(split().modules());
        int wb = pack * bits;
        modules.add(core(name + "_words", wb));
        Module.Builder m = Module.builder(name).description("SkipFifo: " + depth + " beats of " + bits + " bits, " + pack
                + " to a word of the memory (" + entries + " words of " + wb + " bits).");
        m.input("clk", 1, "clock");
        m.input("rst", 1, "synchronous reset, active high");
        m.input("in_valid", 1, "");
        m.output("in_ready", 1, "");
        m.input("in_data", bits, "");
        m.output("out_valid", 1, "");
        m.input("out_ready", 1, "");
        m.output("out_data", bits, "");
        for (String w : new String[] {"g", "q"}) {
            m.wire(w + "_valid", 1, "");
            m.wire(w + "_ready", 1, "");
            m.wire(w + "_data", wb, "");
        }
        m.add(new unetq.verilog.ModuleItem.Instance(gather().name(), "u_gather", java.util.Map.of(),
                StreamPorts.clocked().stream("in", "in").stream("out", "g").map(), pack + " beats to a word"));
        m.add(new unetq.verilog.ModuleItem.Instance(name + "_words", "u_words", java.util.Map.of(),
                StreamPorts.clocked().stream("in", "g").stream("out", "q").map(), "the words"));
        m.add(new unetq.verilog.ModuleItem.Instance(split().name(), "u_split", java.util.Map.of(),
                StreamPorts.clocked().stream("in", "q").stream("out", "out").map(), "a word to " + pack + " beats"));
        modules.add(m.build());
        return modules;
    }

    /** The FIFO of memory words: entries in the memory plus an output register. */
    private Module core(String moduleName, int bits) {
        int ab = Bits.indexWidth(entries);
        int cb = Bits.unsignedWidth(entries);
        Module.Builder m = Module.builder(moduleName).description(pack == 1
                ? "SkipFifo: " + depth + " beats of " + bits + " bits: " + entries + " in the memory + an output register."
                : "The skip FIFO's words: " + entries + " of " + bits + " bits in the memory + an output register.");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "");
        Expr inReady = m.output("in_ready", 1, "");
        Expr inData = m.input("in_data", bits, "");
        Expr outValid = m.output("out_valid", 1, "");
        Expr outReady = m.input("out_ready", 1, "");
        Expr outData = m.output("out_data", bits, "");
        Expr mem = m.memory("mem", bits, entries, "");
        Expr wp = m.reg("wp", ab, "write pointer");
        Expr rp = m.reg("rp", ab, "read pointer");
        Expr stored = m.reg("stored", cb, "entries in the memory");
        Expr outValidQ = m.reg("out_valid_q", 1, "");
        Expr outDataQ = m.reg("out_data_q", bits, "");
        Expr inFire = m.wire("in_fire", 1, "");
        Expr pop = m.wire("pop", 1, "move the oldest entry to the output register");
        m.assign(inReady, stored.ne(Rtl.u(cb, entries)));
        m.assign(inFire, inValid.and(inReady));
        m.assign(pop, stored.ne(Rtl.u(cb, 0)).and(outValidQ.not().or(outReady)));
        m.always("clk", List.of(
                when(inFire, nb(mem.at(wp), inData), nb(wp, Rtl.wrapIncrement(wp, ab, entries - 1L))),
                when(pop, nb(outDataQ, mem.at(rp)), nb(rp, Rtl.wrapIncrement(rp, ab, entries - 1L))),
                nb(stored, stored.plus(Rtl.zext(inFire, 1, cb)).minus(Rtl.zext(pop, 1, cb))),
                when(rst, List.of(nb(wp, Rtl.u(ab, 0)), nb(rp, Rtl.u(ab, 0)), nb(stored, Rtl.u(cb, 0)),
                        nb(outValidQ, bit(false))), List.of(
                        when(pop, List.of(nb(outValidQ, bit(true))), List.of(when(outReady, nb(outValidQ, bit(false)))))))));
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return m.build();
    }
}
