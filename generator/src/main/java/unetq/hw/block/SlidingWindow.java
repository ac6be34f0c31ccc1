package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.concat;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.ArrayList;
import java.util.List;
import unetq.golden.Bits;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;
import unetq.verilog.Statement;

/**
 * Sliding-window generator for a 3x3 "same" convolution with zero padding: pixels (all channels
 * in one beat) in raster order in, one 3x3 window per output pixel out.
 *
 * <p>How it works. Row r of the (endless) pixel stream is written to bank r mod 3 at its column;
 * each bank is a simple dual-port memory with a registered read, so it maps to block RAM. A reader
 * walks output rows: for output (row, col) it reads column col of the three banks at once (rows
 * row-1, row, row+1; rows outside the image read as zero) and shifts that column into a two-column
 * window, emitting the window centred one column back. The last window of a row is emitted by the
 * next row's first read (or a flush beat at the end of a frame) with a zero right column.
 *
 * <p>One counter, D = pixels written - columns read, keeps both sides safe: a read of row &lt; H-1
 * needs the pixel one row below written (D &gt; W), the last row only its own (D &gt; 0); a write
 * may not overwrite a pixel the reader still needs (D &lt; 2W). So the input runs at most two rows
 * ahead, frames follow each other without a gap, and the block sustains one window per cycle
 * (plus two idle cycles per frame).
 */
public final class SlidingWindow implements HardwareBlock {
    private final String name;
    private final int channels;
    private final int bits;
    private final int height;
    private final int width;

    public SlidingWindow(String name, int channels, int bits, int height, int width) {
        if (channels < 1 || bits < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("sliding window needs positive channels, bits and size");
        }
        this.name = name;
        this.channels = channels;
        this.bits = bits;
        this.height = height;
        this.width = width;
    }

    @Override
    public List<Memory> memories() {
        return List.of(new Memory(name + ".bank0", width, pixelBits()), new Memory(name + ".bank1", width, pixelBits()),
                new Memory(name + ".bank2", width, pixelBits()));
    }

    /** Fitted on Yosys xc7: bank rotation, padding and window shift muxes, about 9 LUTs per pixel bit. */
    @Override
    public long logicLuts() {
        return Math.round(8.96 * pixelBits() + 77);
    }

    /**
     * The window's registers and muxes take fewer extra LUT4s than general logic: synth_ice40 -noflatten
     * measured 747, 201 and 169 LUT4 against 579, 185 and 158 by the 7-series formula (8 x 7, 4 x 3
     * and 1 x 9 bits a pixel).
     */
    @Override
    public double ice40LogicLuts() {
        return ICE40_FACTOR * logicLuts();
    }

    static final double ICE40_FACTOR = 1.15;

    @Override
    public String name() {
        return name;
    }

    /** Bits of one pixel (all channels). */
    public int pixelBits() {
        return channels * bits;
    }

    /** Bits of one window: 9 taps x channels; tap t = ky*3+kx at bit t*pixelBits, channel c inside it. */
    public int windowBits() {
        return 9 * pixelBits();
    }

    @Override
    public List<Module> modules() {
        int pw = pixelBits();
        int cw = 3 * pw; // one window column: top, middle, bottom pixel
        int colBits = Bits.indexWidth(width);
        int rowBits = Bits.indexWidth(height);
        int dBits = Bits.unsignedWidth(2L * width);
        Module.Builder m = Module.builder(name).description(
                "SlidingWindow: 3x3 windows with zero padding over a " + height + "x" + width + " image of "
                        + channels + " x " + bits + "-bit channels.\n"
                        + "Line buffers: 3 banks of " + width + " x " + pw + " bits (block RAM). Window out: tap "
                        + "t = ky*3+kx at bit t*" + pw + ".");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "pixel offered (raster order, frames back to back)");
        Expr inReady = m.output("in_ready", 1, "pixel accepted when valid && ready");
        Expr inData = m.input("in_data", pw, "pixel: channel c at bit c*" + bits);
        Expr outValid = m.output("out_valid", 1, "window offered");
        Expr outReady = m.input("out_ready", 1, "window taken when valid && ready");
        Expr outData = m.output("out_data", 9 * pw, "3x3 window");

        m.comment("Write side: pixel p of the stream goes to bank (row mod 3), address = column.");
        List<Expr> banks = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            banks.add(m.memory("bank" + b, pw, width, "rows r with r mod 3 = " + b));
        }
        Expr wcol = m.reg("wcol", colBits, "column of the next pixel written");
        Expr wbank = m.reg("wbank", 2, "bank of the row being written");
        Expr dist = m.reg("ahead", dBits, "D = pixels written - columns read, 0..2W");
        Expr inFire = m.wire("in_fire", 1, "");
        m.assign(inReady, dist.lt(Rtl.u(dBits, 2L * width)));
        m.assign(inFire, inValid.and(inReady));

        m.comment("Read side, stage A: choose the next column to read (or a flush beat at the end of a frame).");
        Expr rrow = m.reg("rrow", rowBits, "output row being read");
        Expr rcol = m.reg("rcol", colBits, "column being read");
        Expr rbank = m.reg("rbank", 2, "bank holding output row rrow");
        Expr flushDue = m.reg("flush_due", 1, "the frame's last column was read; its last window still waits");
        Expr lastRow = m.wire("last_row", 1, "");
        m.assign(lastRow, rrow.eq(Rtl.u(rowBits, height - 1L)));
        Expr canRead = m.wire("can_read", 1, "the rows this read needs are written");
        m.assign(canRead, mux(lastRow, dist.ne(Rtl.u(dBits, 0)), dist.gt(Rtl.u(dBits, width))));
        Expr issue = m.wire("issue", 1, "stage A hands a beat to stage B");
        Expr readNow = m.wire("read_now", 1, "the beat is a real read (not a flush)");
        Expr bTake = m.wire("b_take", 1, "stage B consumes its beat");

        m.comment("Stage B: read data (registered bank outputs) and what the beat means.");
        Expr bValid = m.reg("b_valid", 1, "");
        Expr bFlush = m.reg("b_flush", 1, "emit the pending window, read nothing");
        Expr bCol0 = m.reg("b_col0", 1, "first column of a row");
        Expr bRow0 = m.reg("b_row0", 1, "first row of a frame (no pending window before it)");
        Expr bTopPad = m.reg("b_top_pad", 1, "row above is outside the image");
        Expr bBotPad = m.reg("b_bot_pad", 1, "row below is outside the image");
        Expr bBank = m.reg("b_bank", 2, "bank of the middle row");
        List<Expr> rd = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            rd.add(m.reg("rd" + b, pw, "registered read of bank" + b));
        }
        Expr outValidQ = m.reg("out_valid_q", 1, "");
        Expr outDataQ = m.reg("out_data_q", 9 * pw, "");
        Expr left = m.reg("win_left", cw, "window column kx=0: {bottom, middle, top}");
        Expr mid = m.reg("win_mid", cw, "window column kx=1");

        m.assign(issue, flushDue.or(canRead).and(bValid.not().or(bTake)));
        m.assign(readNow, issue.and(flushDue.not()));
        Expr bEmits = m.wire("b_emits", 1, "stage B's beat completes a window (all but a frame's first column)");
        m.assign(bEmits, bFlush.or(bCol0.not()).or(bRow0.not()));
        // Only emitting beats need the output slot, so a frame's first column never waits on the last window.
        m.assign(bTake, bValid.and(bEmits.not().or(outValidQ.not()).or(outReady)));

        m.always("clk", List.of(
                when(inFire, List.of(
                        nb(wcol, Rtl.wrapIncrement(wcol, colBits, width - 1L)),
                        when(wcol.eq(Rtl.u(colBits, width - 1L)), nb(wbank, Rtl.wrapIncrement(wbank, 2, 2)))),
                        List.of()),
                when(readNow, List.of(
                        nb(rcol, Rtl.wrapIncrement(rcol, colBits, width - 1L)),
                        when(rcol.eq(Rtl.u(colBits, width - 1L)), List.of(
                                nb(rrow, Rtl.wrapIncrement(rrow, rowBits, height - 1L)),
                                nb(rbank, Rtl.wrapIncrement(rbank, 2, 2)),
                                nb(flushDue, lastRow)), List.of())),
                        List.of(when(issue, nb(flushDue, bit(false))))),
                nb(dist, dist.plus(Rtl.zext(inFire, 1, dBits)).minus(Rtl.zext(readNow, 1, dBits))),
                when(rst, nb(wcol, Rtl.u(colBits, 0)), nb(wbank, Rtl.u(2, 0)), nb(dist, Rtl.u(dBits, 0)),
                        nb(rcol, Rtl.u(colBits, 0)), nb(rrow, Rtl.u(rowBits, 0)), nb(rbank, Rtl.u(2, 0)),
                        nb(flushDue, bit(false)))));

        for (int b = 0; b < 3; b++) {
            m.always("clk", List.of(
                    when(inFire.and(wbank.eq(Rtl.u(2, b))), nb(banks.get(b).at(wcol), inData)),
                    when(readNow, nb(rd.get(b), banks.get(b).at(rcol)))));
        }

        m.always("clk", List.of(
                when(issue, List.of(
                        nb(bFlush, flushDue),
                        nb(bCol0, rcol.eq(Rtl.u(colBits, 0))),
                        nb(bRow0, rrow.eq(Rtl.u(rowBits, 0))),
                        nb(bTopPad, rrow.eq(Rtl.u(rowBits, 0))),
                        nb(bBotPad, lastRow),
                        nb(bBank, rbank)), List.of()),
                Rtl.validRegister(rst, bValid, issue, bTake)));

        m.comment("The column just read, rows outside the image forced to zero.");
        Expr top = m.wire("col_top", pw, "");
        Expr middle = m.wire("col_mid", pw, "");
        Expr bottom = m.wire("col_bot", pw, "");
        m.assign(middle, pick(bBank, rd.get(0), rd.get(1), rd.get(2)));
        m.assign(top, mux(bTopPad, Rtl.u(pw, 0), pick(bBank, rd.get(2), rd.get(0), rd.get(1))));
        m.assign(bottom, mux(bBotPad, Rtl.u(pw, 0), pick(bBank, rd.get(1), rd.get(2), rd.get(0))));
        Expr column = m.wire("column", cw, "{bottom, middle, top}");
        m.assign(column, concat(bottom, middle, top));
        Expr emit = m.wire("emit", 1, "this beat completes a window");
        m.assign(emit, bTake.and(bEmits));
        Expr right = m.wire("win_right", cw, "kx=2: the new column, or zero padding past the row's end");
        m.assign(right, mux(bFlush.or(bCol0), Rtl.u(cw, 0), column));

        m.always("clk", List.of(
                when(emit, nb(outDataQ, window(left, mid, right, pw))),
                when(bTake.and(bFlush.not()), List.of(
                        nb(left, mux(bCol0, Rtl.u(cw, 0), mid)),
                        nb(mid, column)), List.of()),
                Rtl.validRegister(rst, outValidQ, emit, outReady)));
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return List.of(m.build());
    }

    /** rd[(bank + k) mod 3] for the three values of bank, written as a mux on bank. */
    private static Expr pick(Expr bank, Expr forBank0, Expr forBank1, Expr forBank2) {
        return mux(bank.eq(Rtl.u(2, 0)), forBank0, mux(bank.eq(Rtl.u(2, 1)), forBank1, forBank2));
    }

    /** Concatenates the 9 taps, tap 8 (bottom right) first, i.e. tap t = ky*3+kx at bit t*pw. */
    private static Expr window(Expr left, Expr mid, Expr right, int pw) {
        List<Expr> parts = new ArrayList<>();
        Expr[] cols = {left, mid, right};
        for (int ky = 2; ky >= 0; ky--) {
            for (int kx = 2; kx >= 0; kx--) {
                parts.add(cols[kx].slice((ky + 1) * pw - 1, ky * pw));
            }
        }
        return new Expr.Concat(parts);
    }
}
