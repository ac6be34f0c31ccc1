package unetq.verilog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Something declared or done in a module body. */
public sealed interface ModuleItem {

    enum NetKind {
        WIRE("wire"), REG("reg");

        final String keyword;

        NetKind(String keyword) {
            this.keyword = keyword;
        }
    }

    /** A wire or reg, optionally an array ({@code depth > 0}), i.e. a memory. */
    record Net(NetKind kind, String name, int width, boolean signed, int depth, String comment, MemoryStyle style)
            implements ModuleItem {
        public Net {
            Names.check(name);
            if (width < 1 || depth < 0) {
                throw new IllegalArgumentException("net " + name + ": width must be >= 1 and depth >= 0");
            }
            comment = comment == null ? "" : comment;
            style = style == null ? MemoryStyle.AUTO : style;
            if (style != MemoryStyle.AUTO && depth == 0) {
                throw new IllegalArgumentException("net " + name + ": a memory style on a net that is not an array");
            }
        }

        public Net(NetKind kind, String name, int width, boolean signed, int depth, String comment) {
            this(kind, name, width, signed, depth, comment, MemoryStyle.AUTO);
        }

        /** The same net with another memory style. */
        public Net withStyle(MemoryStyle s) {
            return new Net(kind, name, width, signed, depth, comment, s);
        }

        public Expr ref() {
            return Expr.ref(name);
        }
    }

    record LocalParam(String name, Expr value, String comment) implements ModuleItem {
        public LocalParam {
            Names.check(name);
            comment = comment == null ? "" : comment;
        }
    }

    /** {@code assign lhs = rhs;} */
    record ContinuousAssign(Expr lhs, Expr rhs) implements ModuleItem {
    }

    /** {@code always @(posedge clock)} when {@code clock} is set, else {@code always @*}. */
    record Always(String clock, List<Statement> body) implements ModuleItem {
        public Always {
            body = List.copyOf(body);
            if (clock != null) {
                Names.check(clock);
            }
        }

        public static Always clocked(String clock, List<Statement> body) {
            return new Always(clock, body);
        }

        public static Always comb(List<Statement> body) {
            return new Always(null, body);
        }
    }

    /** A module instance with named parameter overrides and port connections (both in order). */
    record Instance(String module, String name, Map<String, Expr> parameters, Map<String, Expr> connections,
                    String comment) implements ModuleItem {
        public Instance {
            Names.check(module);
            Names.check(name);
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
            connections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(connections));
            comment = comment == null ? "" : comment;
        }
    }

    /** {@code initial $readmemh("file", memory);} - the ROM contents come from a .memh file. */
    record ReadMemH(String file, String memory) implements ModuleItem {
        public ReadMemH {
            new Expr.Str(file);
            Names.check(memory);
        }
    }

    /** {@code for (genvar = 0; genvar < count; genvar = genvar + 1) begin : label ... end}. */
    record GenerateFor(String genvar, int count, String label, List<ModuleItem> items) implements ModuleItem {
        public GenerateFor {
            Names.check(genvar);
            Names.check(label);
            items = List.copyOf(items);
        }
    }

    /** A comment line (or several) on its own, separating sections of a module. */
    record Comment(String text) implements ModuleItem {
    }
}
