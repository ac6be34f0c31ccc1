package unetq.verilog;

import static unetq.verilog.Expr.lit;

import java.util.List;

/** Small RTL idioms with explicit widths, so generated code is clean under {@code verilator -Wall}. */
public final class Rtl {
    private Rtl() {
    }

    /** Sign-extends (or keeps) a {@code from}-bit signed value to {@code to} bits; truncation is refused. */
    public static Expr sext(Expr e, int from, int to) {
        if (to < from) {
            throw new IllegalArgumentException("sext from " + from + " to " + to + " bits would truncate");
        }
        if (to == from) {
            return e;
        }
        return Expr.concat(new Expr.Replicate(to - from, msb(e, from)), e);
    }

    /** Zero-extends a {@code from}-bit value to {@code to} bits. */
    public static Expr zext(Expr e, int from, int to) {
        if (to < from) {
            throw new IllegalArgumentException("zext from " + from + " to " + to + " bits would truncate");
        }
        return to == from ? e : Expr.concat(lit(to - from, 0), e);
    }

    /** Resizes a signed value: sign-extends when growing, keeps the low bits when shrinking. */
    public static Expr resizeSigned(Expr e, int from, int to) {
        return to >= from ? sext(e, from, to) : e.slice(to - 1, 0);
    }

    /** The top bit of a {@code width}-bit value, selected on the underlying vector (Verilog-2005 has no select-of-select). */
    private static Expr msb(Expr e, int width) {
        if (width == 1) {
            return e;
        }
        if (e instanceof Expr.Ref) {
            return e.slice(width - 1, width - 1);
        }
        if (e instanceof Expr.Slice s) {
            return s.target().slice(s.hi(), s.hi());
        }
        if (e instanceof Expr.PartSelect p) {
            return p.target().at(p.base().plus(Expr.num(p.width() - 1L)));
        }
        throw new IllegalArgumentException("cannot take the sign bit of " + VerilogWriter.expr(e)
                + ": give it a wire first");
    }

    /** Unsigned literal of a given width. */
    public static Expr u(int width, long value) {
        return lit(width, value);
    }

    /** Sum of terms as a balanced adder tree: depth log2(n), for the tools and for the syntax tree's recursion. */
    public static Expr sum(List<Expr> terms) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("sum of no terms");
        }
        List<Expr> level = terms;
        while (level.size() > 1) {
            List<Expr> next = new java.util.ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                next.add(level.get(i).plus(level.get(i + 1)));
            }
            if (level.size() % 2 == 1) {
                next.add(level.get(level.size() - 1));
            }
            level = next;
        }
        return level.get(0);
    }

    /**
     * {@code (a + b) mod modulus} for {@code width}-bit unsigned a and b whose sum is below 2·modulus:
     * declares the sum ({@code name}) and, unless the modulus is 2^width, the sum less the modulus
     * ({@code name_less}), and returns the one that is in range.
     */
    public static Expr addMod(Module.Builder m, String name, Expr a, Expr b, int width, long modulus) {
        if (modulus == 1L << width) { // the adder's own overflow wraps
            Expr sum = m.wire(name, width, "modulo " + modulus);
            m.assign(sum, a.plus(b));
            return sum;
        }
        Expr sum = m.wire(name, width + 1, "");
        m.assign(sum, zext(a, width, width + 1).plus(zext(b, width, width + 1)));
        // the difference is below the modulus, so its low bits are all of it
        Expr less = m.wire(name + "_less", width, "the sum less " + modulus);
        m.assign(less, sum.slice(width - 1, 0).minus(u(width, modulus)));
        return Expr.mux(sum.ge(u(width + 1, modulus)), less, sum.slice(width - 1, 0));
    }

    /** {@code counter == last ? 0 : counter + 1} with both sides at the counter's width. */
    public static Expr wrapIncrement(Expr counter, int width, long last) {
        return Expr.mux(counter.eq(u(width, last)), u(width, 0), counter.plus(u(width, 1)));
    }

    /**
     * The valid flag of an output register: cleared by reset, set when a new value is loaded,
     * cleared when the value is taken ({@code ready}) and nothing new arrives.
     */
    public static Statement validRegister(Expr rst, Expr valid, Expr load, Expr ready) {
        return Statement.when(rst, List.of(Statement.nb(valid, Expr.bit(false))), List.of(
                Statement.when(load, List.of(Statement.nb(valid, Expr.bit(true))), List.of(
                        Statement.when(ready, Statement.nb(valid, Expr.bit(false)))))));
    }
}
