package unetq.verilog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Width-aware clean-up of a module's expressions when it is built, so the Verilog says no more than
 * it means: a slice covering a whole net is the net ({@code x[2:0]} of a 3-bit x is {@code x}, and a
 * 1-bit net is never bit-selected, which Verilog does not allow), and {@code a && 1'b1} is a.
 */
final class Simplify {
    private final Map<String, Integer> widths = new HashMap<>();

    private Simplify(Module.Builder unused) {
    }

    static List<ModuleItem> items(List<Port> ports, List<ModuleItem> items) {
        Simplify s = new Simplify(null);
        Map<String, Integer> seen = new HashMap<>();
        ports.forEach(p -> s.declare(seen, p.name(), p.width()));
        s.collect(items, seen);
        return s.rewriteItems(items);
    }

    private void declare(Map<String, Integer> seen, String name, int width) {
        Integer prev = seen.put(name, width);
        if (prev == null) {
            widths.put(name, width);
        } else if (prev != width) {
            widths.remove(name); // declared twice with different widths (generate scopes): leave it alone
        }
    }

    private void collect(List<ModuleItem> items, Map<String, Integer> seen) {
        for (ModuleItem it : items) {
            if (it instanceof ModuleItem.Net n) {
                declare(seen, n.name(), n.depth() > 0 ? -1 : n.width());
            } else if (it instanceof ModuleItem.GenerateFor g) {
                collect(g.items(), seen);
            }
        }
    }

    private List<ModuleItem> rewriteItems(List<ModuleItem> items) {
        List<ModuleItem> out = new ArrayList<>();
        for (ModuleItem it : items) {
            out.add(rewrite(it));
        }
        return out;
    }

    private ModuleItem rewrite(ModuleItem it) {
        if (it instanceof ModuleItem.ContinuousAssign a) {
            return new ModuleItem.ContinuousAssign(expr(a.lhs()), expr(a.rhs()));
        } else if (it instanceof ModuleItem.Always a) {
            return new ModuleItem.Always(a.clock(), statements(a.body()));
        } else if (it instanceof ModuleItem.Instance i) {
            Map<String, Expr> conns = new LinkedHashMap<>();
            i.connections().forEach((k, v) -> conns.put(k, expr(v)));
            return new ModuleItem.Instance(i.module(), i.name(), i.parameters(), conns, i.comment());
        } else if (it instanceof ModuleItem.GenerateFor g) {
            return new ModuleItem.GenerateFor(g.genvar(), g.count(), g.label(), rewriteItems(g.items()));
        }
        return it;
    }

    private List<Statement> statements(List<Statement> body) {
        List<Statement> out = new ArrayList<>();
        for (Statement s : body) {
            out.add(statement(s));
        }
        return out;
    }

    private Statement statement(Statement s) {
        if (s instanceof Statement.Assign a) {
            return new Statement.Assign(expr(a.lhs()), expr(a.rhs()), a.nonBlocking());
        } else if (s instanceof Statement.If i) {
            return new Statement.If(expr(i.cond()), statements(i.then()), statements(i.otherwise()));
        } else if (s instanceof Statement.Case c) {
            List<Statement.CaseItem> items = new ArrayList<>();
            for (Statement.CaseItem ci : c.items()) {
                items.add(new Statement.CaseItem(ci.labels(), statements(ci.body())));
            }
            return new Statement.Case(expr(c.selector()), items, statements(c.defaults()));
        }
        return s;
    }

    private Expr expr(Expr e) {
        Expr f = Fold.fold(e);
        return simplify(f);
    }

    private Expr simplify(Expr e) {
        if (e instanceof Expr.Slice s && s.target() instanceof Expr.Ref r) {
            Integer w = widths.get(r.name());
            if (w != null && w > 0 && s.lo() == 0 && s.hi() == w - 1) {
                return r;
            }
            return s;
        } else if (e instanceof Expr.Binary b) {
            Expr l = simplify(b.left());
            Expr r = simplify(b.right());
            if (b.op().equals("&&")) {
                if (isBit(l, 1)) {
                    return r;
                }
                if (isBit(r, 1)) {
                    return l;
                }
            } else if (b.op().equals("||")) {
                if (isBit(l, 0)) {
                    return r;
                }
                if (isBit(r, 0)) {
                    return l;
                }
            }
            return new Expr.Binary(l, b.op(), r);
        } else if (e instanceof Expr.Unary u) {
            return new Expr.Unary(u.op(), simplify(u.operand()));
        } else if (e instanceof Expr.Ternary t) {
            return new Expr.Ternary(simplify(t.cond()), simplify(t.then()), simplify(t.otherwise()));
        } else if (e instanceof Expr.Concat c) {
            return new Expr.Concat(c.parts().stream().map(this::simplify).toList());
        } else if (e instanceof Expr.Replicate r) {
            return new Expr.Replicate(r.count(), simplify(r.value()));
        } else if (e instanceof Expr.Call c) {
            return new Expr.Call(c.function(), c.args().stream().map(this::simplify).toList());
        } else if (e instanceof Expr.Index i) {
            return new Expr.Index(simplify(i.target()), simplify(i.index()));
        } else if (e instanceof Expr.PartSelect p) {
            return new Expr.PartSelect(simplify(p.target()), simplify(p.base()), p.width());
        }
        return e;
    }

    private static boolean isBit(Expr e, int v) {
        return e instanceof Expr.Literal l && l.width() == 1 && l.value().intValue() == v;
    }
}
