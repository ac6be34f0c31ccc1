package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.List;
import unetq.verilog.Expr;
import unetq.verilog.Module;

/**
 * Duplicates a stream to two consumers (the skip connection's fork). Eager: each output takes the
 * beat when it is ready; a flag remembers which side already has it, and the input is released
 * when both have. No beat is lost or duplicated whatever the two readies do.
 */
public final class StreamFork implements HardwareBlock {
    private final String name;
    private final int bits;

    public StreamFork(String name, int bits) {
        if (bits < 1) {
            throw new IllegalArgumentException("fork needs a data width >= 1");
        }
        this.name = name;
        this.bits = bits;
    }

    @Override
    public long logicLuts() {
        return 5;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Module> modules() {
        Module.Builder m = Module.builder(name).description("StreamFork: one " + bits + "-bit stream to two consumers, eager.");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "");
        Expr inReady = m.output("in_ready", 1, "released when both outputs have the beat");
        Expr inData = m.input("in_data", bits, "");
        Expr aValid = m.output("a_valid", 1, "");
        Expr aReady = m.input("a_ready", 1, "");
        Expr aData = m.output("a_data", bits, "");
        Expr bValid = m.output("b_valid", 1, "");
        Expr bReady = m.input("b_ready", 1, "");
        Expr bData = m.output("b_data", bits, "");
        Expr aDone = m.reg("a_done", 1, "output a already took the current beat");
        Expr bDone = m.reg("b_done", 1, "output b already took the current beat");
        m.assign(aValid, inValid.and(aDone.not()));
        m.assign(bValid, inValid.and(bDone.not()));
        m.assign(aData, inData);
        m.assign(bData, inData);
        Expr aHas = m.wire("a_has", 1, "a has the beat by the end of this cycle");
        Expr bHas = m.wire("b_has", 1, "");
        m.assign(aHas, aDone.or(aReady));
        m.assign(bHas, bDone.or(bReady));
        m.assign(inReady, aHas.and(bHas));
        m.always("clk", List.of(
                when(rst.or(inValid.and(inReady)), List.of(nb(aDone, bit(false)), nb(bDone, bit(false))), List.of(
                        when(inValid, nb(aDone, aHas), nb(bDone, bHas))))));
        return List.of(m.build());
    }
}
