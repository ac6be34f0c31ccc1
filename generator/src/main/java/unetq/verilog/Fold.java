package unetq.verilog;

import java.util.List;

/**
 * Constant folding of unsized integers before printing, so index arithmetic reads as the number it
 * is: {@code in_wgt[(((r * 1) + 0) * 6) + 5]} prints {@code in_wgt[(r * 6) + 5]}, and with r = 0,
 * {@code in_wgt[5]}. Only {@link Expr.Int} is folded (sized literals keep their widths), and only
 * rules that hold at any width: int op int, x * 1, x + 0, x - 0, x * 0 for an int 0.
 */
final class Fold {
    private Fold() {
    }

    static Expr fold(Expr e) {
        if (e instanceof Expr.Binary b) {
            Expr l = fold(b.left());
            Expr r = fold(b.right());
            if (l instanceof Expr.Int x && r instanceof Expr.Int y) {
                switch (b.op()) {
                    case "+": return new Expr.Int(x.value() + y.value());
                    case "-": return new Expr.Int(x.value() - y.value());
                    case "*": return new Expr.Int(x.value() * y.value());
                    default: break;
                }
            }
            switch (b.op()) {
                case "*":
                    if (isInt(l, 1)) {
                        return r;
                    }
                    if (isInt(r, 1)) {
                        return l;
                    }
                    if (isInt(l, 0) || isInt(r, 0)) {
                        return new Expr.Int(0);
                    }
                    break;
                case "+":
                    if (isInt(l, 0)) {
                        return r;
                    }
                    if (isInt(r, 0)) {
                        return l;
                    }
                    break;
                case "-":
                    if (isInt(r, 0)) {
                        return l;
                    }
                    break;
                default:
                    break;
            }
            return l == b.left() && r == b.right() ? b : new Expr.Binary(l, b.op(), r);
        } else if (e instanceof Expr.Index i) {
            return new Expr.Index(fold(i.target()), fold(i.index()));
        } else if (e instanceof Expr.PartSelect p) {
            Expr base = fold(p.base());
            if (base instanceof Expr.Int c && p.target() instanceof Expr.Ref) { // a constant part-select is a slice
                return new Expr.Slice(p.target(), (int) c.value() + p.width() - 1, (int) c.value());
            }
            return new Expr.PartSelect(fold(p.target()), base, p.width());
        } else if (e instanceof Expr.Slice s) {
            return new Expr.Slice(fold(s.target()), s.hi(), s.lo());
        } else if (e instanceof Expr.Unary u) {
            return new Expr.Unary(u.op(), fold(u.operand()));
        } else if (e instanceof Expr.Ternary t) {
            return new Expr.Ternary(fold(t.cond()), fold(t.then()), fold(t.otherwise()));
        } else if (e instanceof Expr.Concat c) {
            return new Expr.Concat(fold(c.parts()));
        } else if (e instanceof Expr.Replicate r) {
            return new Expr.Replicate(r.count(), fold(r.value()));
        } else if (e instanceof Expr.Call c) {
            return new Expr.Call(c.function(), fold(c.args()));
        }
        return e;
    }

    private static List<Expr> fold(List<Expr> es) {
        return es.stream().map(Fold::fold).toList();
    }

    private static boolean isInt(Expr e, long v) {
        return e instanceof Expr.Int i && i.value() == v;
    }
}
