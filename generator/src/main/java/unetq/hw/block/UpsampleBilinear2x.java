package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.num;
import static unetq.verilog.Expr.ref;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.List;
import java.util.Map;
import unetq.golden.Bits;
import unetq.golden.Ops;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;

/**
 * Bilinear x2 upsampling on a pixel stream, exact as {@link Ops#upsampleBilinear2x} (PyTorch
 * {@code align_corners=False}). The 9/3/3/1 weights are separable, so two stages each apply 3/1
 * along one axis with the edge clamp, and each adds 2 fraction bits:
 * <ul>
 *   <li>rows: two ping-pong row buffers (block RAM). While input row y arrives, output row 2y-1 =
 *       3 a[y-1] + a[y] leaves with it; then output row 2y = 3 a[y] + a[y-1] is replayed from the
 *       buffers. Row 0 is 4 a[0], the last row 4 a[h-1];</li>
 *   <li>columns: per input pixel x+1, outputs 2x = 3 v[x] + v[x-1] and 2x+1 = 3 v[x] + v[x+1];
 *       the row's last pair is flushed with v[w] = v[w-1].</li>
 * </ul>
 * The output side sets the pace: 4 output pixels per input pixel, one per cycle.
 */
public final class UpsampleBilinear2x implements HardwareBlock {
    private final String name;
    private final int channels;
    private final int bits;
    private final int height;
    private final int width;
    private final int outBits;

    public UpsampleBilinear2x(String name, int channels, int bits, int height, int width) {
        this(name, channels, bits, height, width, bits + Ops.UPSAMPLE_EXTRA_FRAC_BITS);
    }

    /** With an output wider than the exact bits + 4 (to meet a format's hardware width), sign-extended. */
    public UpsampleBilinear2x(String name, int channels, int bits, int height, int width, int outBits) {
        if (channels < 1 || bits < 2 || height < 1 || width < 2) {
            // width 1 would read a row buffer entry in the cycle it is written (row turn): not supported
            throw new IllegalArgumentException("upsampler needs channels >= 1, signed codes of >= 2 bits, height >= 1 and width >= 2");
        }
        if (outBits < bits + Ops.UPSAMPLE_EXTRA_FRAC_BITS) {
            throw new IllegalArgumentException("upsampler output needs >= " + (bits + Ops.UPSAMPLE_EXTRA_FRAC_BITS) + " bits");
        }
        this.name = name;
        this.channels = channels;
        this.bits = bits;
        this.height = height;
        this.width = width;
        this.outBits = outBits;
    }

    @Override
    public List<Memory> memories() {
        return List.of(new Memory(name + ".row_buf0", width, channels * bits), new Memory(name + ".row_buf1", width, channels * bits));
    }

    /** Fitted on Yosys xc7: rows stage about 4.6, columns stage about 7.3 LUTs per input pixel bit. */
    @Override
    public long logicLuts() {
        return Math.round(11.9 * channels * bits + 60);
    }

    @Override
    public String name() {
        return name;
    }

    /** Bits per output channel: 4 more fraction bits. */
    public int outputBits() {
        return outBits;
    }

    /** One output pixel per cycle; four outputs per input pixel. */

    @Override
    public List<Module> modules() {
        return List.of(rows(), columns(), top());
    }

    /**
     * Per channel {@code out = 3*a + b} (as 2a + a + b), a and b sign-extended from {@code from} to {@code to} bits;
     * {@code tag} names the loop (genvar {@code g_tag}, block {@code tag}) so a module can hold several.
     */
    private static ModuleItem threeAPlusB(String tag, int channels, int from, int to, Expr a, Expr b, Expr out) {
        Expr g = ref("g_" + tag);
        List<ModuleItem> lane = List.of(
                new ModuleItem.Net(ModuleItem.NetKind.WIRE, "a", from, false, 0, ""),
                new ModuleItem.Net(ModuleItem.NetKind.WIRE, "b", from, false, 0, ""),
                new ModuleItem.ContinuousAssign(ref("a"), a.part(g.times(num(from)), from)),
                new ModuleItem.ContinuousAssign(ref("b"), b.part(g.times(num(from)), from)),
                // 3a + b as 2a + a + b: all terms 'to' bits wide, so two's complement wraps right without
                // $signed, and synthesis builds adders instead of a DSP per channel
                new ModuleItem.ContinuousAssign(out.part(g.times(num(to)), to),
                        Expr.concat(Rtl.sext(ref("a"), from, to - 1), bit(false))
                                .plus(Rtl.sext(ref("a"), from, to)).plus(Rtl.sext(ref("b"), from, to))));
        return new ModuleItem.GenerateFor("g_" + tag, channels, tag, lane);
    }

    private Module rows() {
        int pw = channels * bits;
        int ow = channels * (bits + 2);
        int colBits = Bits.indexWidth(width);
        int rowBits = Bits.indexWidth(2L * height);
        Module.Builder m = Module.builder(name + "_rows").description(
                "UpsampleBilinear2x, vertical stage: " + height + " -> " + 2 * height + " rows of " + width + " pixels, "
                        + channels + " x " + bits + "-bit codes in, " + (bits + 2) + "-bit out (x4).\n"
                        + "Two row buffers of " + width + " x " + pw + " bits (block RAM).");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "");
        Expr inReady = m.output("in_ready", 1, "");
        Expr inData = m.input("in_data", pw, "");
        Expr outValid = m.output("out_valid", 1, "");
        Expr outReady = m.input("out_ready", 1, "");
        Expr outData = m.output("out_data", ow, "");

        Expr buf0 = m.memory("row_buf0", pw, width, "input rows with even index");
        Expr buf1 = m.memory("row_buf1", pw, width, "input rows with odd index");
        m.comment("Stage A walks output rows oy and columns x, reading both buffers at x.");
        Expr oy = m.reg("oy", rowBits, "output row being read");
        Expr ax = m.reg("ax", colBits, "column being read");
        Expr lastCol = m.wire("a_last_col", 1, "");
        m.assign(lastCol, ax.eq(Rtl.u(colBits, width - 1L)));
        Expr bValid = m.reg("b_valid", 1, "stage B holds a pixel to compute");
        Expr bKind = m.reg("b_kind", 2, "0: 4*in (row 0), 1: 3*buf[y-1] + in, 2: 3*buf[y] + buf[y-1], 3: 4*buf[h-1]");
        Expr bCol = m.reg("b_col", colBits, "");
        Expr bNewer = m.reg("b_newer", 1, "buffer of the newer row (y for kind 2, h-1 for kind 3; y-1 for kind 1)");
        Expr rd0 = m.reg("rd0", pw, "registered read of row_buf0");
        Expr rd1 = m.reg("rd1", pw, "registered read of row_buf1");
        Expr outValidQ = m.reg("out_valid_q", 1, "");
        Expr outDataQ = m.reg("out_data_q", ow, "");

        // kind of output row oy: 0 row 0; odd rows consume input; even rows >= 2 replay; the last row 2h-1 replays 4*a[h-1]
        Expr kindA = m.wire("a_kind", 2, "");
        Expr oyOdd = rowBits == 1 ? oy : oy.slice(0, 0);
        Expr lastRow = oy.eq(Rtl.u(rowBits, 2L * height - 1));
        m.assign(kindA, mux(oy.eq(Rtl.u(rowBits, 0)), Rtl.u(2, 0), mux(lastRow, Rtl.u(2, 3),
                mux(oyOdd, Rtl.u(2, 1), Rtl.u(2, 2)))));
        // bank parity: kind 1 reads buf[y-1] where y = (oy+1)/2, i.e. the parity of oy/2; kinds 2 and 3 read
        // buf[y] with y = oy/2: bit 1 of oy in both cases (a one-row image uses bank 0 only)
        Expr newer = m.wire("a_newer", 1, "parity of the buffered row the output is centred on");
        m.assign(newer, rowBits >= 2 ? oy.slice(1, 1) : bit(false));
        Expr bTake = m.wire("b_take", 1, "stage B computes its pixel this cycle");
        Expr issue = m.wire("a_issue", 1, "");
        m.assign(issue, bValid.not().or(bTake));
        Expr needsInput = m.wire("b_needs_input", 1, "");
        m.assign(needsInput, bKind.eq(Rtl.u(2, 0)).or(bKind.eq(Rtl.u(2, 1))));
        m.assign(bTake, bValid.and(outValidQ.not().or(outReady)).and(needsInput.not().or(inValid)));
        m.assign(inReady, bValid.and(needsInput).and(outValidQ.not().or(outReady)));

        m.always("clk", List.of(
                when(issue, List.of(
                        nb(rd0, buf0.at(ax)), nb(rd1, buf1.at(ax)),
                        nb(bKind, kindA), nb(bCol, ax), nb(bNewer, newer),
                        nb(ax, Rtl.wrapIncrement(ax, colBits, width - 1L)),
                        when(lastCol, nb(oy, Rtl.wrapIncrement(oy, rowBits, 2L * height - 1)))), List.of()),
                when(rst, List.of(nb(oy, Rtl.u(rowBits, 0)), nb(ax, Rtl.u(colBits, 0)), nb(bValid, bit(false))), List.of(
                        when(issue, List.of(nb(bValid, bit(true))), List.of(when(bTake, nb(bValid, bit(false)))))))));

        m.comment("Stage B: combine, store the arriving row, emit.");
        Expr older = m.wire("older", pw, "buffer the combination reads as its first operand");
        Expr other = m.wire("other", pw, "second operand");
        Expr writeBuf = m.wire("write_bank", 1, "bank the arriving row goes to (parity of its index)");
        // kind 0: 3*in + in; kind 1: 3*buf[newer] + in; kind 2: 3*buf[newer] + buf[!newer]; kind 3: 3*buf[newer] + buf[newer]
        Expr bufNewer = mux(bNewer, rd1, rd0);
        Expr bufOlder = mux(bNewer, rd0, rd1);
        m.assign(older, mux(bKind.eq(Rtl.u(2, 0)), inData, bufNewer));
        m.assign(other, mux(bKind.eq(Rtl.u(2, 2)), bufOlder, mux(bKind.eq(Rtl.u(2, 3)), bufNewer, inData)));
        m.assign(writeBuf, mux(bKind.eq(Rtl.u(2, 0)), bit(false), bNewer.not()));
        Expr combined = m.wire("combined", ow, "3*older + other per channel");
        m.add(threeAPlusB("rows", channels, bits, bits + 2, older, other, combined));
        m.always("clk", List.of(
                when(bTake.and(needsInput).and(writeBuf.not()), nb(buf0.at(bCol), inData)),
                when(bTake.and(needsInput).and(writeBuf), nb(buf1.at(bCol), inData)),
                when(bTake, nb(outDataQ, combined)),
                Rtl.validRegister(rst, outValidQ, bTake, outReady)));
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return m.build();
    }

    private Module columns() {
        int iw = bits + 2;
        int ow = outBits;
        int pw = channels * iw;
        int colBits = Bits.indexWidth(width);
        Module.Builder m = Module.builder(name + "_cols").description(
                "UpsampleBilinear2x, horizontal stage: rows of " + width + " -> " + 2 * width + " pixels, " + iw
                        + "-bit codes in, " + ow + "-bit out (x4). Two outputs per input pixel.");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "");
        Expr inReady = m.output("in_ready", 1, "");
        Expr inData = m.input("in_data", pw, "");
        Expr outValid = m.output("out_valid", 1, "");
        Expr outReady = m.input("out_ready", 1, "");
        Expr outData = m.output("out_data", channels * ow, "");

        Expr col = m.reg("col", colBits, "column of the next input pixel");
        Expr prev = m.reg("prev", pw, "v[x-1] (v[0] at the row start)");
        Expr cur = m.reg("cur", pw, "v[x]");
        Expr flush = m.reg("flush", 1, "the row's last pixel is in: its pair (with v[w] = v[w-1]) is still due");
        Expr pending = m.reg("pending", 2, "outputs still to send: 2, 1 or 0");
        Expr second = m.reg("second", channels * ow, "the pair's second output");
        Expr outDataQ = m.reg("out_data_q", channels * ow, "");
        Expr outFire = m.wire("out_fire", 1, "");
        m.assign(outFire, pending.ne(Rtl.u(2, 0)).and(outReady));
        Expr room = m.wire("room", 1, "no output left after this cycle");
        m.assign(room, pending.eq(Rtl.u(2, 0)).or(pending.eq(Rtl.u(2, 1)).and(outReady)));
        Expr firstCol = m.wire("first_col", 1, "");
        m.assign(firstCol, col.eq(Rtl.u(colBits, 0)));
        // a first-column pixel emits nothing; others emit the pair of the previous pixel
        m.assign(inReady, flush.not().and(firstCol.or(room)));
        Expr inFire = m.wire("in_fire", 1, "");
        m.assign(inFire, inValid.and(inReady));
        Expr flushNow = m.wire("flush_now", 1, "");
        m.assign(flushNow, flush.and(room));

        Expr right = m.wire("right", pw, "v[x+1]: the arriving pixel, or v[w-1] when flushing");
        m.assign(right, mux(flush, cur, inData));
        Expr even = m.wire("out_even", channels * ow, "3 v[x] + v[x-1]");
        Expr odd = m.wire("out_odd", channels * ow, "3 v[x] + v[x+1]");
        m.add(threeAPlusB("even", channels, iw, ow, cur, prev, even));
        m.add(threeAPlusB("odd", channels, iw, ow, cur, right, odd));
        Expr emit = m.wire("emit", 1, "a pair is produced this cycle");
        m.assign(emit, inFire.and(firstCol.not()).or(flushNow));
        Expr lastCol = col.eq(Rtl.u(colBits, width - 1L));

        m.always("clk", List.of(
                when(inFire, List.of(
                        nb(cur, inData),
                        nb(prev, mux(firstCol, inData, cur)),
                        nb(col, Rtl.wrapIncrement(col, colBits, width - 1L)),
                        when(lastCol, nb(flush, bit(true)))), List.of()),
                when(flushNow, nb(flush, bit(false))),
                when(emit, List.of(nb(outDataQ, even), nb(second, odd), nb(pending, Rtl.u(2, 2))), List.of(
                        when(outFire, List.of(nb(outDataQ, second), nb(pending, pending.minus(Rtl.u(2, 1)))), List.of()))),
                when(rst, nb(col, Rtl.u(colBits, 0)), nb(flush, bit(false)), nb(pending, Rtl.u(2, 0)))));
        m.assign(outValid, pending.ne(Rtl.u(2, 0)));
        m.assign(outData, outDataQ);
        return m.build();
    }

    private Module top() {
        int ib = channels * bits;
        int mb = channels * (bits + 2);
        int ob = channels * outputBits();
        Module.Builder m = Module.builder(name).description(
                "UpsampleBilinear2x " + name + ": " + height + "x" + width + " -> " + 2 * height + "x" + 2 * width + ", "
                        + channels + " channels, " + bits + "-bit codes in, " + outputBits()
                        + "-bit out (4 more fraction bits), exact as PyTorch bilinear align_corners=False.");
        m.input("clk", 1, "clock");
        m.input("rst", 1, "synchronous reset, active high");
        m.input("in_valid", 1, "");
        m.output("in_ready", 1, "");
        m.input("in_data", ib, "pixel: channel c at bit c*" + bits);
        m.output("out_valid", 1, "");
        m.input("out_ready", 1, "");
        m.output("out_data", ob, "pixel: channel c at bit c*" + outputBits());
        m.wire("mid_valid", 1, "");
        m.wire("mid_ready", 1, "");
        m.wire("mid_data", mb, "rows upsampled, columns not yet");
        m.add(new ModuleItem.Instance(name + "_rows", "rows", Map.of(),
                StreamPorts.clocked().stream("in", "in").stream("out", "mid").map(), "vertical 3/1 weights"));
        m.add(new ModuleItem.Instance(name + "_cols", "cols", Map.of(),
                StreamPorts.clocked().stream("in", "mid").stream("out", "out").map(), "horizontal 3/1 weights"));
        return m.build();
    }
}
