package unetq.verilog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a module tree is made of, read off the syntax tree for cost estimates: flip-flops (every
 * bit of a non-array {@code reg} assigned in a clocked {@code always}) and memories (arrays, with
 * whether they are ROMs loaded by {@code $readmemh}, whether reads and writes share one address
 * expression, and how many register bits read them), each
 * times the generate loops and instances around it.
 */
public final class Structure {
    /** A memory of the tree: {@code copies} instances of depth x width; {@code readRegisterBits} per copy. */
    public record MemoryUse(String module, String name, int depth, int width, boolean rom, boolean oneAddress,
                            long readRegisterBits, long copies, MemoryStyle style) {
        public long bits() {
            return (long) depth * width;
        }
    }

    private long registerBits;
    private final List<MemoryUse> memories = new ArrayList<>();

    private Structure() {
    }

    /** The structure of {@code top}; its submodules are looked up among {@code modules}. */
    public static Structure of(List<Module> modules, String top) {
        Map<String, Module> byName = new HashMap<>();
        modules.forEach(m -> byName.put(m.name(), m));
        Structure s = new Structure();
        Module m = byName.get(top);
        if (m == null) {
            throw new IllegalArgumentException("no module " + top);
        }
        s.add(byName, m.name(), m.items(), 1);
        return s;
    }

    /** The memories of one module itself (not its submodules), once each. */
    public static List<MemoryUse> memoriesOf(Module m) {
        Structure s = new Structure();
        List<ModuleItem> flat = new ArrayList<>();
        flatten(m.items(), flat);
        s.add(Map.of(), m.name(), flat, 1);
        return s.memories;
    }

    private static void flatten(List<ModuleItem> items, List<ModuleItem> out) {
        for (ModuleItem it : items) {
            if (it instanceof ModuleItem.GenerateFor g) {
                flatten(g.items(), out);
            } else {
                out.add(it);
            }
        }
    }

    /** Flip-flop bits, memory read registers included. */
    public long registerBits() {
        return registerBits;
    }

    public List<MemoryUse> memories() {
        return List.copyOf(memories);
    }

    private void add(Map<String, Module> modules, String module, List<ModuleItem> items, long copies) {
        Map<String, Integer> widths = new HashMap<>();
        Map<String, ModuleItem.Net> arrays = new HashMap<>();
        Set<String> roms = new HashSet<>();
        for (ModuleItem it : items) {
            if (it instanceof ModuleItem.Net n && n.kind() == ModuleItem.NetKind.REG) {
                if (n.depth() > 0) {
                    arrays.put(n.name(), n);
                } else {
                    widths.put(n.name(), n.width());
                }
            } else if (it instanceof ModuleItem.ReadMemH r) {
                roms.add(r.memory());
            }
        }
        Set<String> clocked = new HashSet<>();
        Map<String, String> readsFrom = new HashMap<>();
        Map<String, Set<Expr>> addresses = new HashMap<>();
        for (ModuleItem it : items) {
            if (it instanceof ModuleItem.Always a && a.clock() != null) {
                assigned(a.body(), arrays.keySet(), clocked, readsFrom, addresses);
            } else if (it instanceof ModuleItem.GenerateFor g) {
                add(modules, module, g.items(), copies * g.count());
            } else if (it instanceof ModuleItem.Instance i && modules.containsKey(i.module())) {
                add(modules, i.module(), modules.get(i.module()).items(), copies);
            }
        }
        for (String r : clocked) {
            Integer w = widths.get(r);
            if (w != null) {
                registerBits += w * copies;
            }
        }
        for (ModuleItem.Net n : arrays.values()) {
            long readBits = 0;
            for (Map.Entry<String, String> e : readsFrom.entrySet()) {
                if (e.getValue().equals(n.name()) && widths.containsKey(e.getKey())) {
                    readBits += widths.get(e.getKey());
                }
            }
            boolean oneAddress = addresses.getOrDefault(n.name(), Set.of()).size() == 1;
            memories.add(new MemoryUse(module, n.name(), n.depth(), n.width(), roms.contains(n.name()), oneAddress, readBits,
                    copies, n.style()));
        }
    }

    private static void assigned(List<Statement> body, Set<String> arrays, Set<String> regs, Map<String, String> readsFrom,
                                 Map<String, Set<Expr>> addresses) {
        for (Statement s : body) {
            if (s instanceof Statement.Assign a) {
                String name = base(a.lhs());
                if (name != null) {
                    regs.add(name);
                    if (a.lhs() instanceof Expr.Index w && arrays.contains(name)) {
                        addresses.computeIfAbsent(name, k -> new HashSet<>()).add(w.index());
                    }
                    if (a.rhs() instanceof Expr.Index x && x.target() instanceof Expr.Ref r && arrays.contains(r.name())) {
                        readsFrom.put(name, r.name());
                        addresses.computeIfAbsent(r.name(), k -> new HashSet<>()).add(x.index());
                    }
                }
            } else if (s instanceof Statement.If f) {
                assigned(f.then(), arrays, regs, readsFrom, addresses);
                assigned(f.otherwise(), arrays, regs, readsFrom, addresses);
            } else if (s instanceof Statement.Case k) {
                k.items().forEach(i -> assigned(i.body(), arrays, regs, readsFrom, addresses));
                assigned(k.defaults(), arrays, regs, readsFrom, addresses);
            }
        }
    }

    private static String base(Expr lhs) {
        if (lhs instanceof Expr.Ref r) {
            return r.name();
        }
        if (lhs instanceof Expr.Slice s) {
            return base(s.target());
        }
        if (lhs instanceof Expr.PartSelect p) {
            return base(p.target());
        }
        if (lhs instanceof Expr.Index i) {
            return base(i.target());
        }
        return null;
    }
}
