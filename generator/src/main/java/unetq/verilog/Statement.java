package unetq.verilog;

import java.util.Arrays;
import java.util.List;

/** A statement inside an always block. */
public sealed interface Statement {

    /** {@code lhs <= rhs;} (non-blocking, clocked blocks) or {@code lhs = rhs;} (combinational). */
    record Assign(Expr lhs, Expr rhs, boolean nonBlocking) implements Statement {
    }

    record If(Expr cond, List<Statement> then, List<Statement> otherwise) implements Statement {
        public If {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }
    }

    record CaseItem(List<Expr> labels, List<Statement> body) {
        public CaseItem {
            labels = List.copyOf(labels);
            body = List.copyOf(body);
        }
    }

    /** A case statement; {@code defaults} is always printed, so combinational cases cannot latch. */
    record Case(Expr selector, List<CaseItem> items, List<Statement> defaults) implements Statement {
        public Case {
            items = List.copyOf(items);
            defaults = List.copyOf(defaults);
        }
    }

    record Comment(String text) implements Statement {
    }

    static Assign nb(Expr lhs, Expr rhs) {
        return new Assign(lhs, rhs, true);
    }

    static Assign set(Expr lhs, Expr rhs) {
        return new Assign(lhs, rhs, false);
    }

    static If when(Expr cond, Statement... then) {
        return new If(cond, Arrays.asList(then), List.of());
    }

    static If when(Expr cond, List<Statement> then, List<Statement> otherwise) {
        return new If(cond, then, otherwise);
    }

    static Comment comment(String text) {
        return new Comment(text);
    }
}
