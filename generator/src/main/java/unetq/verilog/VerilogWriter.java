package unetq.verilog;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one place that turns the syntax tree into Verilog-2005 text. Output is deterministic: the
 * same tree always gives the same bytes (no dates, no hash-ordered collections).
 */
public final class VerilogWriter {
    private static final String INDENT = "    ";

    private VerilogWriter() {
    }

    /** A whole file: a header comment, then the modules separated by blank lines. */
    public static String file(String header, List<Module> modules) {
        StringBuilder sb = new StringBuilder();
        for (String line : header.split("\n", -1)) {
            sb.append("// ").append(line).append('\n');
        }
        sb.append("`default_nettype none\n");
        for (Module m : modules) {
            sb.append('\n').append(module(m));
        }
        sb.append("\n`default_nettype wire\n");
        return sb.toString().replace(" \n", "\n");
    }

    public static String module(Module m) {
        StringBuilder sb = new StringBuilder();
        for (String line : m.description().split("\n")) {
            if (!line.isBlank()) {
                sb.append("// ").append(line).append('\n');
            }
        }
        sb.append("module ").append(m.name()).append(" (\n");
        List<Port> ports = m.ports();
        int typeWidth = ports.stream().mapToInt(p -> portType(p).length()).max().orElse(0);
        int nameWidth = ports.stream().mapToInt(p -> p.name().length() + 1).max().orElse(0);
        for (int i = 0; i < ports.size(); i++) {
            Port p = ports.get(i);
            String sep = i == ports.size() - 1 ? "" : ",";
            String decl = pad(portType(p), typeWidth) + " " + p.name() + sep;
            sb.append(INDENT).append(p.comment().isEmpty() ? decl : pad(decl, typeWidth + 1 + nameWidth)
                    + " // " + p.comment()).append('\n');
        }
        sb.append(");\n");
        java.util.Set<String> genvars = new java.util.LinkedHashSet<>();
        genvars(m.items(), genvars);
        for (String g : genvars) { // declared once: several loops may share a genvar
            sb.append(INDENT).append("genvar ").append(g).append(";\n");
        }
        for (ModuleItem item : m.items()) {
            item(sb, item, 1, false);
        }
        sb.append("endmodule\n");
        return sb.toString();
    }

    private static String portType(Port p) {
        return p.direction().keyword + " wire" + (p.signed() ? " signed" : "") + range(p.width());
    }

    private static String range(int width) {
        return width == 1 ? "" : " [" + (width - 1) + ":0]";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static void genvars(List<ModuleItem> items, java.util.Set<String> out) {
        for (ModuleItem it : items) {
            if (it instanceof ModuleItem.GenerateFor g) {
                out.add(g.genvar());
                genvars(g.items(), out);
            }
        }
    }

    /** {@code inGenerate}: inside a generate region, where a nested loop is written without its own generate keyword. */
    private static void item(StringBuilder sb, ModuleItem item, int depth, boolean inGenerate) {
        String ind = INDENT.repeat(depth);
        if (item instanceof ModuleItem.Net n) {
            String decl = (n.style() == MemoryStyle.AUTO ? "" : n.style().attribute() + " ")
                    + n.kind().keyword + (n.signed() ? " signed" : "") + range(n.width()) + " " + n.name()
                    + (n.depth() > 0 ? " [0:" + (n.depth() - 1) + "]" : "") + ";";
            sb.append(ind).append(decl).append(trailing(n.comment())).append('\n');
        } else if (item instanceof ModuleItem.LocalParam lp) {
            sb.append(ind).append("localparam ").append(lp.name()).append(" = ").append(expr(lp.value()))
                    .append(";").append(trailing(lp.comment())).append('\n');
        } else if (item instanceof ModuleItem.ContinuousAssign a) {
            sb.append(ind).append("assign ").append(expr(a.lhs())).append(" = ").append(expr(a.rhs()))
                    .append(";\n");
        } else if (item instanceof ModuleItem.Always a) {
            sb.append(ind).append(a.clock() == null ? "always @*" : "always @(posedge " + a.clock() + ")")
                    .append(" begin\n");
            statements(sb, a.body(), depth + 1);
            sb.append(ind).append("end\n");
        } else if (item instanceof ModuleItem.Instance inst) {
            instance(sb, inst, depth);
        } else if (item instanceof ModuleItem.ReadMemH r) {
            sb.append(ind).append("initial $readmemh(\"").append(r.file()).append("\", ").append(r.memory())
                    .append(");\n");
        } else if (item instanceof ModuleItem.GenerateFor g) {
            String loopInd = inGenerate ? ind : ind + INDENT;
            if (!inGenerate) {
                sb.append(ind).append("generate\n");
            }
            sb.append(loopInd).append("for (").append(g.genvar()).append(" = 0; ").append(g.genvar())
                    .append(" < ").append(g.count()).append("; ").append(g.genvar()).append(" = ")
                    .append(g.genvar()).append(" + 1) begin : ").append(g.label()).append('\n');
            for (ModuleItem inner : g.items()) {
                item(sb, inner, inGenerate ? depth + 1 : depth + 2, true);
            }
            sb.append(loopInd).append("end\n");
            if (!inGenerate) {
                sb.append(ind).append("endgenerate\n");
            }
        } else if (item instanceof ModuleItem.Comment c) {
            sb.append('\n');
            for (String line : c.text().split("\n")) {
                sb.append(ind).append("// ").append(line).append('\n');
            }
        }
    }

    private static String trailing(String comment) {
        return comment.isEmpty() ? "" : " // " + comment;
    }

    private static void instance(StringBuilder sb, ModuleItem.Instance inst, int depth) {
        String ind = INDENT.repeat(depth);
        if (!inst.comment().isEmpty()) {
            sb.append(ind).append("// ").append(inst.comment()).append('\n');
        }
        sb.append(ind).append(inst.module());
        if (!inst.parameters().isEmpty()) {
            sb.append(" #(\n");
            appendNamed(sb, inst.parameters(), ind + INDENT);
            sb.append(ind).append(")");
        }
        sb.append(" ").append(inst.name()).append(" (\n");
        appendNamed(sb, inst.connections(), ind + INDENT);
        sb.append(ind).append(");\n");
    }

    private static void appendNamed(StringBuilder sb, Map<String, Expr> named, String ind) {
        int w = named.keySet().stream().mapToInt(String::length).max().orElse(0);
        int i = 0;
        for (Map.Entry<String, Expr> e : named.entrySet()) {
            sb.append(ind).append('.').append(pad(e.getKey(), w)).append(" (").append(expr(e.getValue()))
                    .append(')').append(++i < named.size() ? "," : "").append('\n');
        }
    }

    private static void statements(StringBuilder sb, List<Statement> body, int depth) {
        for (Statement s : body) {
            statement(sb, s, depth);
        }
    }

    private static void statement(StringBuilder sb, Statement s, int depth) {
        String ind = INDENT.repeat(depth);
        if (s instanceof Statement.Assign a) {
            sb.append(ind).append(expr(a.lhs())).append(a.nonBlocking() ? " <= " : " = ").append(expr(a.rhs()))
                    .append(";\n");
        } else if (s instanceof Statement.If i) {
            sb.append(ind).append("if (").append(expr(i.cond())).append(") begin\n");
            statements(sb, i.then(), depth + 1);
            List<Statement> other = i.otherwise();
            while (other.size() == 1 && other.get(0) instanceof Statement.If elseIf) {
                sb.append(ind).append("end else if (").append(expr(elseIf.cond())).append(") begin\n");
                statements(sb, elseIf.then(), depth + 1);
                other = elseIf.otherwise();
            }
            if (!other.isEmpty()) {
                sb.append(ind).append("end else begin\n");
                statements(sb, other, depth + 1);
            }
            sb.append(ind).append("end\n");
        } else if (s instanceof Statement.Case c) {
            sb.append(ind).append("case (").append(expr(c.selector())).append(")\n");
            for (Statement.CaseItem item : c.items()) {
                sb.append(ind).append(INDENT)
                        .append(item.labels().stream().map(VerilogWriter::expr).collect(Collectors.joining(", ")))
                        .append(": begin\n");
                statements(sb, item.body(), depth + 2);
                sb.append(ind).append(INDENT).append("end\n");
            }
            sb.append(ind).append(INDENT).append("default: begin\n");
            statements(sb, c.defaults(), depth + 2);
            sb.append(ind).append(INDENT).append("end\n");
            sb.append(ind).append("endcase\n");
        } else if (s instanceof Statement.Comment c) {
            sb.append(ind).append("// ").append(c.text()).append('\n');
        }
    }

    /** Prints an expression, its integer constants folded ({@link Fold}); operands that are operators get parentheses. */
    public static String expr(Expr e) {
        return print(Fold.fold(e));
    }

    private static String print(Expr e) {
        if (e instanceof Expr.Ref r) {
            return r.name();
        } else if (e instanceof Expr.Hier h) {
            return String.join(".", h.path());
        } else if (e instanceof Expr.Int i) {
            return Long.toString(i.value());
        } else if (e instanceof Expr.Literal l) {
            return literal(l);
        } else if (e instanceof Expr.Str s) {
            return "\"" + s.value() + "\"";
        } else if (e instanceof Expr.Index i) {
            return operand(i.target()) + "[" + print(i.index()) + "]";
        } else if (e instanceof Expr.Slice s) {
            return operand(s.target()) + (s.hi() == s.lo() ? "[" + s.hi() + "]" : "[" + s.hi() + ":" + s.lo() + "]");
        } else if (e instanceof Expr.PartSelect p) {
            return operand(p.target()) + "[" + print(p.base()) + " +: " + p.width() + "]";
        } else if (e instanceof Expr.Unary u) {
            return u.op() + operand(u.operand());
        } else if (e instanceof Expr.Binary b) {
            return binary(b);
        } else if (e instanceof Expr.Ternary t) {
            return operand(t.cond()) + " ? " + operand(t.then()) + " : " + operand(t.otherwise());
        } else if (e instanceof Expr.Concat c) {
            return "{" + c.parts().stream().map(VerilogWriter::print).collect(Collectors.joining(", ")) + "}";
        } else if (e instanceof Expr.Replicate r) {
            return "{" + r.count() + "{" + print(r.value()) + "}}";
        } else if (e instanceof Expr.Call c) {
            return c.function() + "(" + c.args().stream().map(VerilogWriter::print).collect(Collectors.joining(", "))
                    + ")";
        }
        throw new IllegalStateException("unknown expression " + e);
    }

    /**
     * A chain of one left-associative operator, {@code ((a + b) + c) + d}, prints as {@code a + b + c + d}
     * with a loop down its left spine: the stack does not grow with the number of terms.
     */
    private static String binary(Expr.Binary b) {
        java.util.ArrayDeque<Expr> rights = new java.util.ArrayDeque<>();
        Expr left = b;
        while (left instanceof Expr.Binary l && l.op().equals(b.op())) {
            rights.push(l.right());
            left = l.left();
        }
        StringBuilder sb = new StringBuilder(operand(left));
        for (Expr r : rights) {
            sb.append(' ').append(b.op()).append(' ').append(operand(r));
        }
        return sb.toString();
    }

    private static String operand(Expr e) {
        boolean compound = e instanceof Expr.Binary || e instanceof Expr.Ternary || e instanceof Expr.Unary
                || (e instanceof Expr.Literal l && l.value().signum() < 0);
        return compound ? "(" + print(e) + ")" : print(e);
    }

    private static String literal(Expr.Literal l) {
        BigInteger v = l.value();
        String base = l.width() == 1 ? "b" : "d";
        if (v.signum() < 0) {
            // -W'sdV is the negation of a W-bit signed literal; for V = 2^(W-1) that wraps to itself, which is right.
            return "-" + l.width() + "'s" + base + v.negate();
        }
        return l.width() + "'" + (l.signed() ? "s" : "") + base + v;
    }
}
