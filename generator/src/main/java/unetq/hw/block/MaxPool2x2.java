package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.num;
import static unetq.verilog.Expr.signed;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.ArrayList;
import java.util.List;
import unetq.golden.Bits;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;

/**
 * 2x2 max-pool, stride 2, on a stream of channel groups: the RTL twin of
 * {@link unetq.golden.Ops#maxPool2x2} (FINN's StreamingMaxPool). A pixel of C channels arrives as
 * C/g beats of g; one beat a cycle. An even column's groups wait in a small pair memory (C/g words);
 * on even rows the max of each horizontal pair goes to a row memory (W/2 · C/g words), on odd rows
 * the pair's max meets the row memory's word and the max of the four leaves. Codes compare signed.
 * Logic grows with g, not with C.
 */
public final class MaxPool2x2 implements HardwareBlock {
    private final String name;
    private final int channels;
    private final int group;
    private final int bits;
    private final int height;
    private final int width;

    public MaxPool2x2(String name, int channels, int group, int bits, int height, int width) {
        if (height % 2 != 0 || width % 2 != 0 || height < 2 || width < 2) {
            throw new IllegalArgumentException("max-pool needs even height and width, got " + height + "x" + width);
        }
        if (channels < 1 || bits < 2 || group < 1 || channels % group != 0) {
            throw new IllegalArgumentException("max-pool needs a group dividing its channels and signed codes of >= 2 bits");
        }
        this.name = name;
        this.channels = channels;
        this.group = group;
        this.bits = bits;
        this.height = height;
        this.width = width;
    }

    private int groups() {
        return channels / group;
    }

    /** Bits of one beat. */
    public int wordBits() {
        return group * bits;
    }

    @Override
    public List<Memory> memories() {
        List<Memory> m = new ArrayList<>();
        if (groups() > 1) {
            m.add(new Memory(name + ".pair", groups(), wordBits()));
        }
        m.add(new Memory(name + ".row", (long) width / 2 * groups(), wordBits()));
        return m;
    }

    /** Two signed comparators and their muxes per code of the beat, counters and addresses. */
    @Override
    public long logicLuts() {
        return Math.round(2.5 * wordBits()) + 60 + 2L * Bits.indexWidth((long) width / 2 * groups());
    }

    @Override
    public String name() {
        return name;
    }

    /** Cycles per input pixel: one a beat. */
    @Override
    public long cyclesPerOutput() {
        return groups();
    }

    @Override
    public List<Module> modules() {
        int g = groups();
        int wb = wordBits();
        int rowWords = width / 2 * g;
        int ab = Bits.indexWidth(rowWords);
        int xb = Bits.indexWidth(width);
        int yb = Bits.indexWidth(height);
        Module.Builder m = Module.builder(name).description(
                "MaxPool2x2 " + name + ": 2x2 max-pool of " + height + "x" + width + " pixels of " + channels + " signed "
                        + bits + "-bit codes, " + group + " a beat (" + g + " beats a pixel).");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "channel group offered (pixels in raster order)");
        Expr inReady = m.output("in_ready", 1, "taken when valid && ready");
        Expr inData = m.input("in_data", wb, group + " codes, channel c of the group at bit c*" + bits);
        Expr outValid = m.output("out_valid", 1, "");
        Expr outReady = m.input("out_ready", 1, "");
        Expr outData = m.output("out_data", wb, "the max of each channel over a 2x2 block");

        Expr outValidQ = m.reg("out_valid_q", 1, "");
        Expr en = m.wire("en", 1, "the pipeline moves: the output is free or being taken");
        m.assign(en, outValidQ.not().or(outReady));
        m.assign(inReady, en);
        Expr fire = m.wire("fire", 1, "");
        m.assign(fire, inValid.and(en));
        Counter grp = Counter.of(m, "grp", g, "group of the beat");
        Expr x = m.reg("x", xb, "");
        Expr y = m.reg("y", yb, "");
        Expr oddX = x.slice(0, 0);
        Expr oddY = y.slice(0, 0);

        Expr pairMax = m.wire("pair_max", wb, "max of the even column's group and this one");
        Expr pair;
        if (g > 1) {
            Expr mem = m.memory("pair", wb, g, "the even column's groups (LUTRAM)");
            m.always("clk", List.of(when(fire.and(oddX.not()), nb(mem.at(grp.reg()), inData))));
            pair = m.wire("pair_word", wb, "");
            m.assign(pair, mem.at(grp.reg()));
        } else {
            pair = m.reg("pair_q", wb, "the even column's pixel");
            m.always("clk", List.of(when(fire.and(oddX.not()), nb(pair, inData))));
        }
        maxLanes(m, "pm", pair, inData, pairMax);

        Expr row = m.memory("row", wb, rowWords, "even rows' pair maxima, by (x/2, group)");
        Counter ra = Counter.of(m, "ra", rowWords, "row memory address (x/2)*" + g + " + group");
        Expr raddr = ra.reg() == null ? num(0) : ra.reg();
        Expr rowQ = m.reg("row_q", wb, "registered row read");
        Expr pmQ = m.reg("pm_q", wb, "pair max of an odd row's odd column");
        Expr validS = m.reg("valid_s", 1, "pm_q and row_q hold a block's halves");
        Expr oddBeat = m.wire("odd_beat", 1, "a beat of an odd column");
        m.assign(oddBeat, fire.and(oddX));
        m.always("clk", List.of(
                when(oddBeat.and(oddY.not()), nb(row.at(raddr), pairMax)),
                when(en, List.of(nb(rowQ, row.at(raddr)), nb(pmQ, pairMax)), List.of()),
                when(rst, List.of(nb(validS, bit(false)), nb(x, Rtl.u(xb, 0)), nb(y, Rtl.u(yb, 0))), List.of(
                        when(en, nb(validS, oddBeat.and(oddY))),
                        when(fire.and(grp.last()), List.of(
                                nb(x, Rtl.wrapIncrement(x, xb, width - 1L)),
                                when(x.eq(Rtl.u(xb, width - 1L)), nb(y, Rtl.wrapIncrement(y, yb, height - 1L)))), List.of())))));
        grp.advance(m, rst, fire);
        ra.advance(m, rst, oddBeat);

        Expr blockMax = m.wire("block_max", wb, "");
        maxLanes(m, "bm", pmQ, rowQ, blockMax);
        Expr outDataQ = m.reg("out_data_q", wb, "");
        m.always("clk", List.of(
                when(en.and(validS), nb(outDataQ, blockMax)),
                when(rst, List.of(nb(outValidQ, bit(false))), List.of(
                        when(en.and(validS), List.of(nb(outValidQ, bit(true))), List.of(when(outReady, nb(outValidQ, bit(false)))))))));
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return List.of(m.build());
    }

    /** {@code out[c] = max(a[c], b[c])} for every code of the beat, signed. */
    private void maxLanes(Module.Builder m, String label, Expr a, Expr b, Expr out) {
        m.lanes(label + "_c", group, label + "_lane", c -> {
            Expr ac = a.part(c.times(num(bits)), bits);
            Expr bc = b.part(c.times(num(bits)), bits);
            return List.of(new ModuleItem.ContinuousAssign(out.part(c.times(num(bits)), bits),
                    mux(signed(ac).gt(signed(bc)), ac, bc)));
        });
    }
}
