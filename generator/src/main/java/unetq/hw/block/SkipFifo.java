package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.List;
import unetq.golden.Bits;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.Rtl;
import unetq.hw.cost.Device;
import unetq.hw.cost.MemoryMapping;

/**
 * The skip buffer: a FIFO holding {@code depth} beats in all, {@code depth - 1} entries in block
 * RAM plus a registered output. (Simulation watches its occupancy from outside: the design's
 * simulation wrapper counts its handshakes.)
 */
public final class SkipFifo implements HardwareBlock {
    private final String name;
    private final int bits;
    private final int depth;
    private final int entries;

    /** @param depth beats held in all (memory and output register), at least 2 */
    public SkipFifo(String name, int bits, int depth) {
        if (bits < 1 || depth < 2) {
            throw new IllegalArgumentException("FIFO needs a data width >= 1 and a depth >= 2");
        }
        this.name = name;
        this.bits = bits;
        this.depth = depth;
        this.entries = depth - 1;
    }

    /** Width of the {@code max_occupancy} port: counts 0 .. depth beats. */
    public int occupancyBits() {
        return Bits.unsignedWidth(depth);
    }

    @Override
    public List<Memory> memories() {
        return List.of(new Memory(name + ".mem", entries, bits));
    }

    /**
     * Fitted on Yosys xc7: pointers, counters and the occupancy maximum (about 55 LUTs), plus the
     * read mux over block RAMs stacked in depth (2610 x 192 bits: three deep, 267 LUTs measured).
     */
    @Override
    public long logicLuts() {
        Memory m = memories().get(0);
        boolean block = MemoryMapping.of(m, Device.Family.XC7).bram18() > 0;
        return 55 + (block ? bits * (MemoryMapping.depthTiles(m) - 1) / 2 : 0);
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
        int ab = Bits.indexWidth(entries);
        int cb = Bits.unsignedWidth(entries);
        Module.Builder m = Module.builder(name).description(
                "SkipFifo: " + depth + " beats of " + bits + " bits: " + entries + " in block RAM + an output register.");
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
        return List.of(m.build());
    }
}
