package unetq.hw.block;

import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.List;
import unetq.golden.Bits;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.Rtl;

/**
 * A wrapping counter 0 .. count-1 of an RTL block. A counter of one value is no logic at all: no
 * register, {@link #first()} and {@link #last()} are constant 1 and {@link #plus} adds nothing, so a
 * block written once for any count emits no degenerate register when a count is 1.
 */
final class Counter {
    private final Expr reg;
    private final int count;
    private final int bits;

    private Counter(Expr reg, int count, int bits) {
        this.reg = reg;
        this.count = count;
        this.bits = bits;
    }

    /** Declares the counter's register in {@code m} (none when {@code count} is 1). */
    static Counter of(Module.Builder m, String name, int count, String comment) {
        if (count < 1) {
            throw new IllegalArgumentException("counter " + name + " needs a count >= 1");
        }
        int bits = Bits.indexWidth(count);
        return new Counter(count == 1 ? null : m.reg(name, bits, comment), count, bits);
    }

    Expr first() {
        return reg == null ? Expr.bit(true) : reg.eq(Rtl.u(bits, 0));
    }

    Expr last() {
        return reg == null ? Expr.bit(true) : reg.eq(Rtl.u(bits, count - 1L));
    }

    /** The value at {@code bits} bits (a constant 0 for a count of one). */
    Expr value(int width) {
        return reg == null ? Rtl.u(width, 0) : Rtl.zext(reg, bits, width);
    }

    /** {@code base + counter} at {@code width} bits; just {@code base} for a count of one. */
    Expr plus(Expr base, int width) {
        return reg == null ? base : base.plus(Rtl.zext(reg, bits, width));
    }

    /** A label to compare with in a case statement. */
    Expr label(long v) {
        return Rtl.u(bits, v);
    }

    Expr reg() {
        return reg;
    }

    int count() {
        return count;
    }

    /** Adds {@code if (rst) c <= 0; else if (step) c <= c == last ? 0 : c + 1}. */
    void advance(Module.Builder m, Expr rst, Expr step) {
        if (reg != null) {
            m.always("clk", List.of(when(rst, List.of(nb(reg, Rtl.u(bits, 0))), List.of(
                    when(step, nb(reg, Rtl.wrapIncrement(reg, bits, count - 1L)))))));
        }
    }
}
