package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.ArrayList;
import java.util.List;
import unetq.golden.Bits;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.Rtl;
import unetq.verilog.Statement;

/**
 * Sliding-window generator for a 3x3 "same" convolution with zero padding, on a stream of channel
 * groups (FINN's ConvolutionInputGenerator): a pixel of C channels arrives as G = C/S beats of S
 * channels, pixels in raster order, frames back to back. For each output pixel it emits the 3x3
 * window as 9·G beats in the order (ky, kx, group), the order the MAC array takes its weights in.
 *
 * <p>Pixels live in one simple dual-port memory with a registered read (block RAM, or LUTRAM when
 * small), used as a circular buffer of B = 2W + 4 pixel slots: window p reads pixels p-W-1 ..
 * p+W+1, so 2W + 3 slots hold a window and one more lets the writer run a pixel ahead. One counter
 * keeps both sides safe, D = pixels written - windows emitted: window p starts when the last pixel
 * it needs is in (D &gt; W+1 inside the image, less on its last column and row), and a pixel may be
 * written while D &lt; B - W - 1 (its slot no longer holds a pixel the current window reads). Taps
 * outside the image read as zero. The block's logic grows with S (the word), not with C.
 */
public final class SlidingWindow implements HardwareBlock {
    private final String name;
    private final int channels;
    private final int simd;
    private final int bits;
    private final int height;
    private final int width;
    private final int slackRows;

    public SlidingWindow(String name, int channels, int simd, int bits, int height, int width) {
        this(name, channels, simd, bits, height, width, 0);
    }

    /**
     * @param slackRows extra rows of pixel slots beyond the 2W + 4 a window needs, so a bursty producer (a max-pool
     *     delivers a row in half its period) can run a row ahead without stalling the window
     */
    public SlidingWindow(String name, int channels, int simd, int bits, int height, int width, int slackRows) {
        if (channels < 1 || simd < 1 || bits < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("sliding window needs positive channels, SIMD, bits and size");
        }
        if (slackRows < 0) {
            throw new IllegalArgumentException(name + ": negative slack rows");
        }
        if (channels % simd != 0) {
            throw new IllegalArgumentException(name + ": SIMD " + simd + " must divide the " + channels + " channels");
        }
        this.name = name;
        this.channels = channels;
        this.simd = simd;
        this.bits = bits;
        this.height = height;
        this.width = width;
        this.slackRows = slackRows;
    }

    /** Beats per pixel: channel groups. */
    public int groups() {
        return channels / simd;
    }

    /** Pixel slots of the circular buffer. */
    public int slots() {
        return (2 + slackRows) * width + 4;
    }

    /** Bits of one beat (in and out): S channels. */
    public int wordBits() {
        return simd * bits;
    }

    private int words() {
        return slots() * groups();
    }

    @Override
    public List<Memory> memories() {
        return List.of(new Memory(name + ".mem", words(), wordBits()));
    }

    /** Counters, tap address and padding: a few LUTs per address bit, plus the zeroing of the output word. */
    @Override
    public long logicLuts() {
        int ab = Bits.indexWidth(words());
        return Math.round(4.0 * ab + 0.5 * wordBits() + 85);
    }

    @Override
    public String name() {
        return name;
    }

    /** Input pixels the buffer can run ahead of the window being emitted (the writer's limit on D). */
    public int lead() {
        return slots() - width - 1;
    }

    @Override
    public long cyclesPerOutput() {
        return 9L * groups();
    }

    @Override
    public List<Module> modules() {
        int g = groups();
        int words = words();
        int ab = Bits.indexWidth(words);
        int gb = Bits.indexWidth(g);
        int xb = Bits.indexWidth(width);
        int yb = Bits.indexWidth(height);
        int limit = lead();
        int db = Bits.unsignedWidth(limit);
        int wb = wordBits();
        Module.Builder m = Module.builder(name).description(
                "SlidingWindow " + name + ": 3x3 windows with zero padding over " + height + "x" + width + " pixels of "
                        + channels + " channels, " + simd + " per beat (" + g + " beats a pixel, " + 9 * g
                        + " a window).\nCircular buffer of " + slots() + " pixels (" + words + " words of " + wb + " bits).");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "channel group offered (pixels in raster order)");
        Expr inReady = m.output("in_ready", 1, "taken when valid && ready");
        Expr inData = m.input("in_data", wb, simd + " x " + bits + "-bit codes, channel c of the group at bit c*" + bits);
        Expr outValid = m.output("out_valid", 1, "window beat offered");
        Expr outReady = m.input("out_ready", 1, "taken when valid && ready");
        Expr outData = m.output("out_data", wb, "window beats in (ky, kx, group) order; zero outside the image");

        Expr mem = m.memory("mem", wb, words, "circular buffer: pixel slot s at words s*" + g + " ..");
        Expr d = m.reg("d", db, "pixels written - windows emitted");

        m.comment("Write side: a beat per cycle while the slot it fills is free.");
        Expr wa = m.reg("wa", ab, "next word to write");
        Expr inFire = m.wire("in_fire", 1, "");
        Expr pixelIn = m.wire("pixel_in", 1, "the last beat of a pixel is written");
        m.assign(inReady, d.lt(Rtl.u(db, limit)));
        m.assign(inFire, inValid.and(inReady));
        Counter wg = Counter.of(m, "wg", g, "group of the next beat written");
        m.assign(pixelIn, inFire.and(wg.last()));

        m.comment("Read side: window p at (y, x), its beats by tap (ky, kx) and group.");
        Expr x = m.reg("x", xb, "column of the window's centre");
        Expr y = m.reg("y", yb, "row of the window's centre");
        Expr ky = m.reg("ky", 2, "tap row 0..2 (dy = ky - 1)");
        Expr kx = m.reg("kx", 2, "tap column 0..2 (dx = kx - 1)");
        Counter rg = Counter.of(m, "rg", g, "group of the next beat read");
        Expr rb = m.reg("rb", ab, "word of the window centre's group 0");
        Expr validQ = m.reg("valid_q", 1, "");
        Expr padQ = m.reg("pad_q", 1, "the beat is outside the image");
        Expr ramQ = m.reg("ram_q", wb, "registered read");
        Expr en = m.wire("en", 1, "the output register is free or being taken");
        Expr lastX = m.wire("last_x", 1, "");
        Expr lastY = m.wire("last_y", 1, "");
        Expr start = m.wire("start", 1, "a window's first beat");
        Expr lastBeat = m.wire("last_beat", 1, "a window's last beat");
        Expr need = m.wire("need", db, "pixels past the centre this window reads: W+1 inside, less at the edges");
        Expr issue = m.wire("issue", 1, "read the next beat");
        m.assign(lastX, x.eq(Rtl.u(xb, width - 1L)));
        m.assign(lastY, y.eq(Rtl.u(yb, height - 1L)));
        m.assign(start, ky.eq(Rtl.u(2, 0)).and(kx.eq(Rtl.u(2, 0))).and(rg.first()));
        m.assign(lastBeat, ky.eq(Rtl.u(2, 2)).and(kx.eq(Rtl.u(2, 2))).and(rg.last()));
        m.assign(need, mux(lastY, mux(lastX, Rtl.u(db, 0), Rtl.u(db, 1)),
                mux(lastX, Rtl.u(db, width), Rtl.u(db, width + 1L))));
        m.assign(en, validQ.not().or(outReady));
        m.assign(issue, en.and(start.not().or(d.gt(need))));

        // tap offset, in words, from the centre's group 0 (mod the buffer), chosen by (ky, kx)
        Expr tapOff = m.reg("tap_off", ab, "(dy*W + dx)*G mod " + words);
        List<Statement.CaseItem> taps = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            taps.add(new Statement.CaseItem(List.of(), List.of(Statement.set(tapOff, Rtl.u(ab, offset(t))))));
        }
        m.alwaysComb(List.of(new Statement.Case(Expr.concat(ky, kx), caseByTap(taps),
                List.of(Statement.set(tapOff, Rtl.u(ab, offset(8)))))));
        Expr pixelWord = m.wire("pixel_word", ab, "the tap's group 0: centre + tap offset, wrapped");
        Expr addr = m.wire("addr", ab, "");
        m.assign(pixelWord, Rtl.addMod(m, "tap_sum", rb, tapOff, ab, words));
        m.assign(addr, rg.plus(pixelWord, ab));
        Expr nextRbWrapped = Rtl.addMod(m, "next_rb", rb, Rtl.u(ab, g), ab, words);
        Expr pad = m.wire("pad", 1, "tap outside the image");
        m.assign(pad, ky.eq(Rtl.u(2, 0)).and(y.eq(Rtl.u(yb, 0))).or(ky.eq(Rtl.u(2, 2)).and(lastY))
                .or(kx.eq(Rtl.u(2, 0)).and(x.eq(Rtl.u(xb, 0)))).or(kx.eq(Rtl.u(2, 2)).and(lastX)));

        Expr windowDone = issue.and(lastBeat);
        m.always("clk", List.of(
                when(inFire, nb(mem.at(wa), inData), nb(wa, Rtl.wrapIncrement(wa, ab, words - 1L))),
                when(issue, nb(ramQ, mem.at(addr)), nb(padQ, pad)),
                nb(d, d.plus(Rtl.zext(pixelIn, 1, db)).minus(Rtl.zext(windowDone, 1, db))),
                when(rst, List.of(nb(validQ, bit(false)), nb(d, Rtl.u(db, 0)), nb(wa, Rtl.u(ab, 0)), nb(rb, Rtl.u(ab, 0)),
                        nb(x, Rtl.u(xb, 0)), nb(y, Rtl.u(yb, 0)), nb(ky, Rtl.u(2, 0)), nb(kx, Rtl.u(2, 0))), List.of(
                        when(issue, List.of(nb(validQ, bit(true))), List.of(when(en, nb(validQ, bit(false))))),
                        when(issue.and(rg.last()), List.of(
                                nb(kx, mux(kx.eq(Rtl.u(2, 2)), Rtl.u(2, 0), kx.plus(Rtl.u(2, 1)))),
                                when(kx.eq(Rtl.u(2, 2)), nb(ky, mux(ky.eq(Rtl.u(2, 2)), Rtl.u(2, 0), ky.plus(Rtl.u(2, 1)))))),
                                List.of()),
                        when(windowDone, List.of(
                                nb(rb, nextRbWrapped),
                                nb(x, Rtl.wrapIncrement(x, xb, width - 1L)),
                                when(lastX, nb(y, Rtl.wrapIncrement(y, yb, height - 1L)))), List.of())))));
        wg.advance(m, rst, inFire);
        rg.advance(m, rst, issue);
        m.assign(outValid, validQ);
        m.assign(outData, mux(padQ, Rtl.u(wb, 0), ramQ));
        return List.of(m.build());
    }

    /** (ky, kx) packed as {ky, kx} in 4 bits: tap t = ky*3 + kx has the label ky*4 + kx. */
    private static List<Statement.CaseItem> caseByTap(List<Statement.CaseItem> byTap) {
        List<Statement.CaseItem> items = new ArrayList<>();
        for (int t = 0; t < byTap.size(); t++) {
            items.add(new Statement.CaseItem(List.of(Rtl.u(4, (t / 3) * 4L + t % 3)), byTap.get(t).body()));
        }
        return items;
    }

    /** Words from the centre pixel's group 0 to tap t's, modulo the buffer. */
    private long offset(int t) {
        long off = ((long) (t / 3 - 1) * width + (t % 3 - 1)) * groups();
        return Math.floorMod(off, (long) words());
    }
}
