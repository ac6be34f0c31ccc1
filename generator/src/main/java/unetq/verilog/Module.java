package unetq.verilog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A Verilog-2005 module: header comment, ports and body items. Built with {@link #builder}. */
public record Module(String name, String description, List<Port> ports, List<ModuleItem> items) {
    public Module {
        Names.check(name);
        ports = List.copyOf(ports);
        items = List.copyOf(items);
        Set<String> seen = new HashSet<>();
        for (Port p : ports) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException(name + ": duplicate port " + p.name());
            }
        }
        for (ModuleItem item : items) {
            String declared = item instanceof ModuleItem.Net n ? n.name()
                    : item instanceof ModuleItem.LocalParam lp ? lp.name() : null;
            if (declared != null && !seen.add(declared)) {
                throw new IllegalArgumentException(name + ": duplicate declaration " + declared);
            }
        }
        uniqueLabels(name, items, seen);
    }

    /** This module with the memory arrays named in {@code styles} given those styles (others as they are). */
    public Module withMemoryStyles(java.util.Map<String, MemoryStyle> styles) {
        if (styles.isEmpty()) {
            return this;
        }
        List<ModuleItem> out = new ArrayList<>(items.size());
        for (ModuleItem it : items) {
            MemoryStyle s = it instanceof ModuleItem.Net n && n.depth() > 0 ? styles.get(n.name()) : null;
            out.add(s == null ? it : ((ModuleItem.Net) it).withStyle(s));
        }
        return new Module(name, description, ports, out);
    }

    /** Generate blocks of one scope need distinct names (IEEE 1364-2005 12.4.3); their bodies are scopes of their own. */
    private static void uniqueLabels(String module, List<ModuleItem> scope, Set<String> declared) {
        Set<String> labels = new HashSet<>();
        for (ModuleItem item : scope) {
            if (item instanceof ModuleItem.GenerateFor g) {
                if (!labels.add(g.label()) || declared.contains(g.label())) {
                    throw new IllegalArgumentException(module + ": two generate blocks (or a block and a net) named " + g.label());
                }
                uniqueLabels(module, g.items(), Set.of());
            }
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Port port(String portName) {
        return ports.stream().filter(p -> p.name().equals(portName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no port " + portName));
    }

    /** Collects ports and items in order; every add returns the builder or the declared handle. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private final List<Port> ports = new ArrayList<>();
        private final List<ModuleItem> items = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String text) {
            this.description = text;
            return this;
        }

        public Expr input(String portName, int width, String comment) {
            ports.add(Port.in(portName, width, comment));
            return Expr.ref(portName);
        }

        public Expr output(String portName, int width, String comment) {
            ports.add(Port.out(portName, width, comment));
            return Expr.ref(portName);
        }

        public Builder port(Port port) {
            ports.add(port);
            return this;
        }

        public Expr wire(String netName, int width, String comment) {
            return net(ModuleItem.NetKind.WIRE, netName, width, false, 0, comment);
        }

        public Expr signedWire(String netName, int width, String comment) {
            return net(ModuleItem.NetKind.WIRE, netName, width, true, 0, comment);
        }

        public Expr reg(String netName, int width, String comment) {
            return net(ModuleItem.NetKind.REG, netName, width, false, 0, comment);
        }

        public Expr signedReg(String netName, int width, String comment) {
            return net(ModuleItem.NetKind.REG, netName, width, true, 0, comment);
        }

        public Expr memory(String netName, int width, int depth, String comment) {
            return net(ModuleItem.NetKind.REG, netName, width, false, depth, comment);
        }

        private Expr net(ModuleItem.NetKind kind, String netName, int width, boolean signed, int depth,
                         String comment) {
            items.add(new ModuleItem.Net(kind, netName, width, signed, depth, comment));
            return Expr.ref(netName);
        }

        public Expr localparam(String paramName, long value, String comment) {
            items.add(new ModuleItem.LocalParam(paramName, Expr.num(value), comment));
            return Expr.ref(paramName);
        }

        public Builder assign(Expr lhs, Expr rhs) {
            items.add(new ModuleItem.ContinuousAssign(lhs, rhs));
            return this;
        }

        public Builder always(String clock, List<Statement> body) {
            items.add(ModuleItem.Always.clocked(clock, body));
            return this;
        }

        public Builder alwaysComb(List<Statement> body) {
            items.add(ModuleItem.Always.comb(body));
            return this;
        }

        public Builder add(ModuleItem item) {
            items.add(item);
            return this;
        }

        /**
         * Per-lane items: a generate loop over {@code count} lanes with {@code body} given the genvar, or,
         * for one lane, the items themselves with the index 0 (no loop of one iteration).
         */
        public Builder lanes(String genvar, int count, String label, java.util.function.Function<Expr, List<ModuleItem>> body) {
            if (count == 1) {
                items.addAll(body.apply(Expr.num(0)));
            } else {
                items.add(new ModuleItem.GenerateFor(genvar, count, label, body.apply(Expr.ref(genvar))));
            }
            return this;
        }

        public Builder comment(String text) {
            items.add(new ModuleItem.Comment(text));
            return this;
        }

        public Module build() {
            return new Module(name, description, ports, Simplify.items(ports, items));
        }
    }
}
