package unetq.verilog;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/** A Verilog expression. Immutable; {@link VerilogWriter} prints it, parenthesizing nested operators. */
public sealed interface Expr {

    /** A net, port, parameter or genvar by name. */
    record Ref(String name) implements Expr {
        public Ref {
            Names.check(name);
        }
    }

    /**
     * A hierarchical reference {@code a.b.c}: for simulation-only wrappers that watch signals inside
     * the design (synthesis never reads them).
     */
    record Hier(List<String> path) implements Expr {
        public Hier {
            path = List.copyOf(path);
            if (path.size() < 2) {
                throw new IllegalArgumentException("a hierarchical reference needs at least two names");
            }
            path.forEach(Names::check);
        }
    }

    /** A sized literal; negative signed values print as {@code -W'sdV}. */
    record Literal(int width, BigInteger value, boolean signed) implements Expr {
        public Literal {
            if (width < 1) {
                throw new IllegalArgumentException("literal width must be >= 1");
            }
            BigInteger lo = signed ? BigInteger.ONE.shiftLeft(width - 1).negate() : BigInteger.ZERO;
            BigInteger hi = signed ? BigInteger.ONE.shiftLeft(width - 1).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
            if (value.compareTo(lo) < 0 || value.compareTo(hi) > 0) {
                throw new IllegalArgumentException(value + " does not fit a " + width + "-bit "
                        + (signed ? "signed" : "unsigned") + " literal");
            }
        }
    }

    /** A plain unsized decimal integer, for parameters, indices and loop bounds. */
    record Int(long value) implements Expr {
    }

    /** A string literal (file names of {@code $readmemh}). */
    record Str(String value) implements Expr {
        public Str {
            if (value.contains("\"") || value.contains("\\") || value.contains("\n")) {
                throw new IllegalArgumentException("unsupported character in string literal: " + value);
            }
        }
    }

    record Index(Expr target, Expr index) implements Expr {
    }

    record Slice(Expr target, int hi, int lo) implements Expr {
        public Slice {
            if (hi < lo || lo < 0) {
                throw new IllegalArgumentException("bad slice [" + hi + ":" + lo + "]");
            }
        }
    }

    /** {@code target[base +: width]}. */
    record PartSelect(Expr target, Expr base, int width) implements Expr {
    }

    record Unary(String op, Expr operand) implements Expr {
        public Unary {
            if (!List.of("~", "!", "-", "&", "|", "^").contains(op)) {
                throw new IllegalArgumentException("unsupported unary operator " + op);
            }
        }
    }

    record Binary(Expr left, String op, Expr right) implements Expr {
        public Binary {
            if (!List.of("+", "-", "*", "&", "|", "^", "&&", "||", "==", "!=", "<", "<=", ">", ">=",
                    "<<", ">>", ">>>", "<<<").contains(op)) {
                throw new IllegalArgumentException("unsupported binary operator " + op);
            }
        }
    }

    record Ternary(Expr cond, Expr then, Expr otherwise) implements Expr {
    }

    record Concat(List<Expr> parts) implements Expr {
        public Concat {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("empty concatenation");
            }
        }
    }

    record Replicate(int count, Expr value) implements Expr {
        public Replicate {
            if (count < 1) {
                throw new IllegalArgumentException("replication count must be >= 1");
            }
        }
    }

    /** A system function call such as {@code $signed(x)}. */
    record Call(String function, List<Expr> args) implements Expr {
        public Call {
            args = List.copyOf(args);
            if (!function.matches("\\$[a-z]+")) {
                throw new IllegalArgumentException("only system functions are supported: " + function);
            }
        }
    }

    // ---- factories, so that building code reads like the Verilog it makes ----

    static Ref ref(String name) {
        return new Ref(name);
    }

    static Int num(long value) {
        return new Int(value);
    }

    static Literal lit(int width, long value) {
        return new Literal(width, BigInteger.valueOf(value), false);
    }

    static Literal slit(int width, long value) {
        return new Literal(width, BigInteger.valueOf(value), true);
    }

    static Expr bit(boolean value) {
        return lit(1, value ? 1 : 0);
    }

    static Concat concat(Expr... parts) {
        return new Concat(Arrays.asList(parts));
    }

    static Call signed(Expr e) {
        return new Call("$signed", List.of(e));
    }

    static Call unsigned(Expr e) {
        return new Call("$unsigned", List.of(e));
    }

    static Ternary mux(Expr cond, Expr then, Expr otherwise) {
        return new Ternary(cond, then, otherwise);
    }

    default Binary plus(Expr o) {
        return new Binary(this, "+", o);
    }

    default Binary minus(Expr o) {
        return new Binary(this, "-", o);
    }

    default Binary times(Expr o) {
        return new Binary(this, "*", o);
    }

    default Binary and(Expr o) {
        return new Binary(this, "&&", o);
    }

    default Binary or(Expr o) {
        return new Binary(this, "||", o);
    }

    default Binary bitAnd(Expr o) {
        return new Binary(this, "&", o);
    }

    default Binary eq(Expr o) {
        return new Binary(this, "==", o);
    }

    default Binary ne(Expr o) {
        return new Binary(this, "!=", o);
    }

    default Binary lt(Expr o) {
        return new Binary(this, "<", o);
    }

    default Binary gt(Expr o) {
        return new Binary(this, ">", o);
    }

    default Binary ge(Expr o) {
        return new Binary(this, ">=", o);
    }

    default Binary shr(Expr o) {
        return new Binary(this, ">>", o);
    }

    default Unary not() {
        return new Unary("!", this);
    }

    default Unary negate() {
        return new Unary("-", this);
    }

    default Index at(Expr index) {
        return new Index(this, index);
    }

    default Index at(int index) {
        return new Index(this, num(index));
    }

    /** {@code this[hi:lo]}; a select of a select becomes one select of the base (Verilog has no select of a select). */
    default Expr slice(int hi, int lo) {
        if (this instanceof PartSelect p) {
            if (hi >= p.width()) {
                throw new IllegalArgumentException("slice [" + hi + ":" + lo + "] beyond a " + p.width() + "-bit part select");
            }
            return new PartSelect(p.target(), lo == 0 ? p.base() : p.base().plus(num(lo)), hi - lo + 1);
        }
        if (this instanceof Slice s) {
            if (s.lo() + hi > s.hi()) {
                throw new IllegalArgumentException("slice [" + hi + ":" + lo + "] beyond [" + s.hi() + ":" + s.lo() + "]");
            }
            return new Slice(s.target(), s.lo() + hi, s.lo() + lo);
        }
        return new Slice(this, hi, lo);
    }

    default PartSelect part(Expr base, int width) {
        return new PartSelect(this, base, width);
    }
}
