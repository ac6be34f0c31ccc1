package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.ArrayList;
import java.util.List;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.Rtl;

/**
 * Joins two streams of different group widths (FINN's StreamingDataWidthConverter): codes in
 * order, {@code from} a beat in, {@code to} a beat out. When one width divides the other it gathers
 * to/from beats into one or splits one into several; otherwise it splits to their greatest common
 * divisor and gathers from there (two stages). One beat a cycle on each side.
 */
public final class WidthAdapter implements HardwareBlock {
    private final String name;
    private final int from;
    private final int to;
    private final int bits;

    public WidthAdapter(String name, int from, int to, int bits) {
        if (from < 1 || to < 1 || bits < 1 || from == to) {
            throw new IllegalArgumentException(name + ": a width adapter joins two different widths, got " + from + " -> " + to);
        }
        this.name = name;
        this.from = from;
        this.to = to;
        this.bits = bits;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private boolean twoStage() {
        return from % to != 0 && to % from != 0;
    }

    @Override
    public String name() {
        return name;
    }

    /** Fitted on Yosys xc7: a gather is registers with enables, a split about one LUT per bit of the held word. */
    @Override
    public long logicLuts() {
        if (twoStage()) {
            int g = gcd(from, to);
            return new WidthAdapter(name + "_a", from, g, bits).logicLuts() + new WidthAdapter(name + "_b", g, to, bits).logicLuts();
        }
        // gathering is registers with enables (Yosys: 5 to 15 LUTs); splitting muxes the held word down
        return from < to ? 8 : (long) from * bits + 8;
    }

    /** Cycles per pixel of C channels: a beat a cycle on the narrower side. */
    public long cyclesPerPixel(int channels) {
        return channels / Math.min(from, to);
    }

    @Override
    public List<Module> modules() {
        if (twoStage()) {
            int g = gcd(from, to);
            WidthAdapter split = new WidthAdapter(name + "_split", from, g, bits);
            WidthAdapter gather = new WidthAdapter(name + "_gather", g, to, bits);
            List<Module> modules = new ArrayList<>(split.modules());
            modules.addAll(gather.modules());
            Module.Builder m = Module.builder(name).description("WidthAdapter " + from + " -> " + to + " codes of " + bits
                    + " bits, through " + g + ".");
            m.input("clk", 1, "clock");
            m.input("rst", 1, "synchronous reset, active high");
            m.input("in_valid", 1, "");
            m.output("in_ready", 1, "");
            m.input("in_data", from * bits, "");
            m.output("out_valid", 1, "");
            m.input("out_ready", 1, "");
            m.output("out_data", to * bits, "");
            m.wire("mid_valid", 1, "");
            m.wire("mid_ready", 1, "");
            m.wire("mid_data", g * bits, "");
            m.add(new unetq.verilog.ModuleItem.Instance(split.name(), "split", java.util.Map.of(),
                    StreamPorts.clocked().stream("in", "in").stream("out", "mid").map(), ""));
            m.add(new unetq.verilog.ModuleItem.Instance(gather.name(), "gather", java.util.Map.of(),
                    StreamPorts.clocked().stream("in", "mid").stream("out", "out").map(), ""));
            modules.add(m.build());
            return modules;
        }
        return List.of(from < to ? gather() : split());
    }

    private Module.Builder header(String how) {
        Module.Builder m = Module.builder(name).description("WidthAdapter " + from + " -> " + to + " codes of " + bits
                + " bits: " + how + ".");
        m.input("clk", 1, "clock");
        m.input("rst", 1, "synchronous reset, active high");
        m.input("in_valid", 1, "");
        m.output("in_ready", 1, "");
        m.input("in_data", from * bits, "");
        m.output("out_valid", 1, "");
        m.input("out_ready", 1, "");
        m.output("out_data", to * bits, "codes in order, the first at bit 0");
        return m;
    }

    /** {@code to = k * from}: k-1 beats wait in a register, the k-th completes the output. */
    private Module gather() {
        int k = to / from;
        int wb = from * bits;
        Module.Builder m = header("gathers " + k + " beats");
        Expr rst = Expr.ref("rst");
        Expr inValid = Expr.ref("in_valid");
        Expr outReady = Expr.ref("out_ready");
        Expr held = m.reg("held", (k - 1) * wb, "the first " + (k - 1) + " beats of the output");
        Expr outValidQ = m.reg("out_valid_q", 1, "");
        Expr outDataQ = m.reg("out_data_q", to * bits, "");
        Counter slot = Counter.of(m, "slot", k, "beat of the output word");
        Expr inReady = m.wire("ready", 1, "");
        m.assign(inReady, slot.last().not().or(outValidQ.not()).or(outReady));
        m.assign(Expr.ref("in_ready"), inReady);
        Expr fire = m.wire("fire", 1, "");
        m.assign(fire, inValid.and(inReady));
        List<unetq.verilog.Statement.CaseItem> items = new ArrayList<>();
        for (int s = 0; s < k - 1; s++) {
            items.add(new unetq.verilog.Statement.CaseItem(List.of(slot.label(s)),
                    List.of(nb(held.slice((s + 1) * wb - 1, s * wb), Expr.ref("in_data")))));
        }
        m.always("clk", List.of(
                when(fire.and(slot.last().not()), k == 2 ? nb(held, Expr.ref("in_data"))
                        : new unetq.verilog.Statement.Case(slot.reg(), items, List.of())),
                when(fire.and(slot.last()), nb(outDataQ, Expr.concat(Expr.ref("in_data"), held))),
                when(rst, List.of(nb(outValidQ, bit(false))), List.of(
                        when(fire.and(slot.last()), List.of(nb(outValidQ, bit(true))), List.of(
                                when(outReady, nb(outValidQ, bit(false)))))))));
        slot.advance(m, rst, fire);
        m.assign(Expr.ref("out_valid"), outValidQ);
        m.assign(Expr.ref("out_data"), outDataQ);
        return m.build();
    }

    /** {@code from = k * to}: the input word shifts out {@code to} codes a beat. */
    private Module split() {
        int k = from / to;
        int wb = from * bits;
        int ob = to * bits;
        Module.Builder m = header("splits into " + k + " beats");
        Expr rst = Expr.ref("rst");
        Expr outReady = Expr.ref("out_ready");
        Expr hold = m.reg("hold", wb, "the input word, shifted down as it leaves");
        Expr holdValid = m.reg("hold_valid", 1, "");
        Counter part = Counter.of(m, "part", k, "beat of the input word now offered");
        Expr take = m.wire("take", 1, "the offered beat is taken");
        m.assign(take, holdValid.and(outReady));
        Expr inReady = m.wire("ready", 1, "");
        m.assign(inReady, holdValid.not().or(take.and(part.last())));
        m.assign(Expr.ref("in_ready"), inReady);
        Expr fire = m.wire("fire", 1, "");
        m.assign(fire, Expr.ref("in_valid").and(inReady));
        m.always("clk", List.of(
                when(fire, List.of(nb(hold, Expr.ref("in_data"))), List.of(
                        when(take, nb(hold, Expr.concat(Rtl.u(ob, 0), hold.slice(wb - 1, ob)))))),
                when(rst, List.of(nb(holdValid, bit(false))), List.of(
                        when(fire, List.of(nb(holdValid, bit(true))), List.of(
                                when(take.and(part.last()), nb(holdValid, bit(false)))))))));
        part.advance(m, rst, take);
        m.assign(Expr.ref("out_valid"), holdValid);
        m.assign(Expr.ref("out_data"), hold.slice(ob - 1, 0));
        return m.build();
    }
}
