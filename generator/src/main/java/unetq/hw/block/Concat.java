package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.num;
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
 * Channel concat [a, b] of two streams of channel groups, the RTL twin of {@link Ops#concat}: per
 * pixel it passes Ca/g beats of a, then Cb/g beats of b, each code brought to the common format
 * exactly (sign extension, and a left shift of the operand with fewer fraction bits). Both inputs
 * carry g channels a beat (width adapters in front make them so); one beat a cycle.
 */
public final class Concat implements HardwareBlock {
    private final String name;
    private final int channelsA;
    private final QFormat formatA;
    private final int channelsB;
    private final QFormat formatB;
    private final int group;

    public Concat(String name, int channelsA, QFormat formatA, int channelsB, QFormat formatB, int group) {
        if (channelsA < 1 || channelsB < 1 || group < 1 || channelsA % group != 0 || channelsB % group != 0) {
            throw new IllegalArgumentException("concat needs a group dividing the channels of both inputs");
        }
        this.name = name;
        this.channelsA = channelsA;
        this.formatA = formatA;
        this.channelsB = channelsB;
        this.formatB = formatB;
        this.group = group;
    }

    /** The beat select, its counter and the output register's input mux. */
    @Override
    public long logicLuts() {
        return (long) group * outputBits() * 4 / 5 + 20;
    }

    /**
     * An operand with fewer fraction bits than the output is shifted in with zeros and sign copies:
     * synthesis drops or merges those output-register bits.
     */
    @Override
    public long redundantRegisterBits() {
        return 0;
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

    public int outWordBits() {
        return group * outputBits();
    }

    /** Cycles per pixel: one a beat. */
    @Override
    public long cyclesPerOutput() {
        return (channelsA + channelsB) / group;
    }

    private Expr align(Module.Builder m, String tag, QFormat from, Expr in) {
        int fb = from.hardwareBits();
        int ob = outputBits();
        int shift = outputFormat().fracBits() - from.fracBits();
        Expr out = m.wire(tag + "_aligned", group * ob, from.describe() + " codes in the common format");
        m.lanes(tag + "_c", group, tag + "_lane", c -> {
            Expr code = in.part(c.times(num(fb)), fb);
            Expr widened = shift == 0 ? Rtl.sext(code, fb, ob) : Expr.concat(Rtl.sext(code, fb, ob - shift), Rtl.u(shift, 0));
            return List.of(new ModuleItem.ContinuousAssign(out.part(c.times(num(ob)), ob), widened));
        });
        return out;
    }

    @Override
    public List<Module> modules() {
        int ab = group * formatA.hardwareBits();
        int bb = group * formatB.hardwareBits();
        int ob = outWordBits();
        int ga = channelsA / group;
        int total = (channelsA + channelsB) / group;
        Module.Builder m = Module.builder(name).description(
                "Concat: [" + channelsA + " x " + formatA.describe() + ", " + channelsB + " x " + formatB.describe() + "] -> "
                        + (channelsA + channelsB) + " x " + outputFormat().describe() + ", " + group + " a beat: " + ga
                        + " beats of a, then " + (total - ga) + " of b, a pixel.");
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
        Expr outData = m.output("out_data", ob, group + " codes of " + outputBits() + " bits");
        Expr a = align(m, "a", formatA, aData);
        Expr b = align(m, "b", formatB, bData);
        Counter beat = Counter.of(m, "beat", total, "beat of the pixel: a's first, then b's");
        Expr fromA = m.wire("from_a", 1, "");
        m.assign(fromA, beat.value(unetq.golden.Bits.indexWidth(total)).lt(Rtl.u(unetq.golden.Bits.indexWidth(total), ga)));
        Expr outValidQ = m.reg("out_valid_q", 1, "");
        Expr outDataQ = m.reg("out_data_q", ob, "");
        Expr en = m.wire("en", 1, "");
        m.assign(en, outValidQ.not().or(outReady));
        Expr take = m.wire("take", 1, "");
        m.assign(take, en.and(mux(fromA, aValid, bValid)));
        m.assign(aReady, en.and(fromA));
        m.assign(bReady, en.and(fromA.not()));
        m.always("clk", List.of(
                when(take, nb(outDataQ, mux(fromA, a, b))),
                when(rst, List.of(nb(outValidQ, bit(false))), List.of(when(en, nb(outValidQ, take))))));
        beat.advance(m, rst, take);
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return List.of(m.build());
    }
}
