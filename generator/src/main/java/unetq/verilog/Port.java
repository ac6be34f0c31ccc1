package unetq.verilog;

/** A module port. Width 1 prints without a range. */
public record Port(Direction direction, String name, int width, boolean signed, String comment) {
    public enum Direction {
        INPUT("input"), OUTPUT("output");

        final String keyword;

        Direction(String keyword) {
            this.keyword = keyword;
        }
    }

    public Port {
        Names.check(name);
        if (width < 1) {
            throw new IllegalArgumentException("port " + name + " needs width >= 1, got " + width);
        }
        comment = comment == null ? "" : comment;
    }

    public static Port in(String name, int width, String comment) {
        return new Port(Direction.INPUT, name, width, false, comment);
    }

    public static Port out(String name, int width, String comment) {
        return new Port(Direction.OUTPUT, name, width, false, comment);
    }

    public Expr ref() {
        return Expr.ref(name);
    }
}
