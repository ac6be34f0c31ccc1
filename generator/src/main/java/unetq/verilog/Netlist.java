package unetq.verilog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The build-time check of a design's instances: every instantiated module exists, every connection
 * names one of its ports, every port is connected, and each connection's width equals its port's
 * (for nets, slices and literals, whose widths the tree knows). A wiring mistake fails generation
 * with the instance and port named, before any simulator or synthesis tool sees the Verilog.
 */
public final class Netlist {
    private Netlist() {
    }

    /** Checks every instance in {@code top} (and the modules it instantiates, recursively). */
    public static void check(List<Module> modules, String top) {
        Map<String, Module> byName = new HashMap<>();
        modules.forEach(m -> byName.put(m.name(), m));
        Module t = byName.get(top);
        if (t == null) {
            throw new IllegalStateException("no module " + top);
        }
        check(byName, t);
    }

    private static void check(Map<String, Module> modules, Module m) {
        Map<String, Integer> widths = new HashMap<>();
        m.ports().forEach(p -> widths.put(p.name(), p.width()));
        collect(m.items(), widths);
        checkItems(modules, m, m.items(), widths);
    }

    private static void collect(List<ModuleItem> items, Map<String, Integer> widths) {
        for (ModuleItem it : items) {
            if (it instanceof ModuleItem.Net n && n.depth() == 0) {
                widths.putIfAbsent(n.name(), n.width());
            } else if (it instanceof ModuleItem.GenerateFor g) {
                collect(g.items(), widths);
            }
        }
    }

    private static void checkItems(Map<String, Module> modules, Module m, List<ModuleItem> items, Map<String, Integer> widths) {
        for (ModuleItem it : items) {
            if (it instanceof ModuleItem.GenerateFor g) {
                checkItems(modules, m, g.items(), widths);
            } else if (it instanceof ModuleItem.Instance inst) {
                Module sub = modules.get(inst.module());
                if (sub == null) {
                    throw new IllegalStateException(m.name() + "." + inst.name() + ": no module " + inst.module());
                }
                for (Map.Entry<String, Expr> c : inst.connections().entrySet()) {
                    Port p = sub.ports().stream().filter(x -> x.name().equals(c.getKey())).findFirst().orElseThrow(
                            () -> new IllegalStateException(m.name() + "." + inst.name() + ": " + inst.module() + " has no port "
                                    + c.getKey()));
                    Integer w = width(c.getValue(), widths);
                    if (w != null && w != p.width()) {
                        throw new IllegalStateException(m.name() + "." + inst.name() + ": port " + p.name() + " of " + inst.module()
                                + " is " + p.width() + " bits, connected to " + VerilogWriter.expr(c.getValue()) + " of " + w);
                    }
                }
                for (Port p : sub.ports()) {
                    if (!inst.connections().containsKey(p.name())) {
                        throw new IllegalStateException(m.name() + "." + inst.name() + ": port " + p.name() + " of " + inst.module()
                                + " is not connected");
                    }
                }
                check(modules, sub);
            }
        }
    }

    /** The width of a connection when the tree knows it (null for expressions whose width it does not track). */
    static Integer width(Expr e, Map<String, Integer> widths) {
        if (e instanceof Expr.Ref r) {
            return widths.get(r.name());
        } else if (e instanceof Expr.Slice s) {
            return s.hi() - s.lo() + 1;
        } else if (e instanceof Expr.PartSelect p) {
            return p.width();
        } else if (e instanceof Expr.Literal l) {
            return l.width();
        } else if (e instanceof Expr.Concat c) {
            int sum = 0;
            for (Expr part : c.parts()) {
                Integer w = width(part, widths);
                if (w == null) {
                    return null;
                }
                sum += w;
            }
            return sum;
        } else if (e instanceof Expr.Replicate r) {
            Integer w = width(r.value(), widths);
            return w == null ? null : w * r.count();
        } else if (e instanceof Expr.Binary b && (b.op().equals("&&") || b.op().equals("||") || b.op().equals("=="))) {
            return 1;
        }
        return null;
    }
}
