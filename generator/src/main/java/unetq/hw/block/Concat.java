package unetq.hw.block;

import static unetq.verilog.Expr.num;
import static unetq.verilog.Expr.ref;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.List;
import unetq.golden.Ops;
import unetq.golden.QFormat;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;

/**
 * Channel concat [a, b] of two pixel streams, the RTL twin of {@link Ops#concat}: both operands are
 * brought to the common format exactly (sign extension, and a left shift of the operand with fewer
 * fraction bits). A pixel leaves when both inputs offer theirs.
 */
public final class Concat implements HardwareBlock {
    private final String name;
    private final int channelsA;
    private final QFormat formatA;
    private final int channelsB;
    private final QFormat formatB;

    public Concat(String name, int channelsA, QFormat formatA, int channelsB, QFormat formatB) {
        if (channelsA < 1 || channelsB < 1) {
            throw new IllegalArgumentException("concat needs channels on both inputs");
        }
        this.name = name;
        this.channelsA = channelsA;
        this.formatA = formatA;
        this.channelsB = channelsB;
        this.formatB = formatB;
    }

    /** Wiring and one handshake: 2 LUTs measured. */
    @Override
    public long logicLuts() {
        return 2;
    }

    /**
     * An operand with fewer fraction bits than the output is shifted in with zeros and sign copies:
     * synthesis drops or merges those output-register bits (measured: 112 of 673 for 16 x Q6.0
     * beside 32 x Q8.4).
     */
    @Override
    public long redundantRegisterBits() {
        int out = outputBits();
        long r = 0;
        if (formatA.fracBits() < outputFormat().fracBits()) {
            r += (long) channelsA * (out - formatA.hardwareBits());
        }
        if (formatB.fracBits() < outputFormat().fracBits()) {
            r += (long) channelsB * (out - formatB.hardwareBits());
        }
        return r;
    }

    @Override
    public String name() {
        return name;
    }

    public QFormat outputFormat() {
        return Ops.concatFormat(formatA, formatB);
    }

    public int outputBits() {
        return outputFormat().hardwareBits();
    }

    private ModuleItem align(String tag, int channels, QFormat from, Expr in, Expr out, int offsetChannels) {
        int fb = from.hardwareBits();
        int ob = outputBits();
        int shift = outputFormat().fracBits() - from.fracBits();
        Expr g = ref("g_" + tag);
        Expr code = ref("code");
        Expr widened = shift == 0 ? Rtl.sext(code, fb, ob) : Expr.concat(Rtl.sext(code, fb, ob - shift), Rtl.u(shift, 0));
        return new ModuleItem.GenerateFor("g_" + tag, channels, tag, List.of(
                new ModuleItem.Net(ModuleItem.NetKind.WIRE, "code", fb, false, 0, ""),
                new ModuleItem.ContinuousAssign(code, in.part(g.times(num(fb)), fb)),
                new ModuleItem.ContinuousAssign(out.part(g.plus(num(offsetChannels)).times(num(ob)), ob), widened)));
    }

    @Override
    public List<Module> modules() {
        int ab = channelsA * formatA.hardwareBits();
        int bb = channelsB * formatB.hardwareBits();
        int ob = (channelsA + channelsB) * outputBits();
        Module.Builder m = Module.builder(name).description(
                "Concat: [" + channelsA + " x " + formatA.describe() + ", " + channelsB + " x " + formatB.describe() + "] -> "
                        + (channelsA + channelsB) + " x " + outputFormat().describe() + ".");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr aValid = m.input("in_valid", 1, "first operand (the upsampled stream)");
        Expr aReady = m.output("in_ready", 1, "");
        Expr aData = m.input("in_data", ab, "");
        Expr bValid = m.input("skip_valid", 1, "second operand (the skip stream)");
        Expr bReady = m.output("skip_ready", 1, "");
        Expr bData = m.input("skip_data", bb, "");
        Expr outValid = m.output("out_valid", 1, "");
        Expr outReady = m.input("out_ready", 1, "");
        Expr outData = m.output("out_data", ob, "channels of a, then of b, each " + outputBits() + " bits");
        Expr joined = m.wire("joined", ob, "");
        m.add(align("a", channelsA, formatA, aData, joined, 0));
        m.add(align("b", channelsB, formatB, bData, joined, channelsA));
        Expr outValidQ = m.reg("out_valid_q", 1, "");
        Expr outDataQ = m.reg("out_data_q", ob, "");
        Expr take = m.wire("take", 1, "both operands present and room at the output");
        m.assign(take, aValid.and(bValid).and(outValidQ.not().or(outReady)));
        m.assign(aReady, take);
        m.assign(bReady, take);
        m.always("clk", List.of(
                when(take, nb(outDataQ, joined)),
                Rtl.validRegister(rst, outValidQ, take, outReady)));
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return List.of(m.build());
    }
}
