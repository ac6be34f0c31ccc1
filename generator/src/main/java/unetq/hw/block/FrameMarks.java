package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.List;
import unetq.golden.Bits;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.Rtl;

/**
 * Start-of-frame and end-of-row marks at the accelerator's edges, as AXI4-Stream video carries them
 * (tuser = start of frame, tlast = end of row). The network itself needs no marks: every block
 * counts rows and columns. So on the input the marks are checked against the pixel count - a
 * pixel whose marks disagree (a short row, a lost pixel, a frame started early) sets the sticky
 * {@code framing_error} until reset, since the stream can no longer be trusted - and on the output
 * they are generated from the mask count.
 */
public final class FrameMarks implements HardwareBlock {
    private final String name;
    private final int height;
    private final int width;

    public FrameMarks(String name, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("frame marks need a positive size");
        }
        this.name = name;
        this.height = height;
        this.width = width;
    }

    /** Measured on Yosys xc7 at 200 x 200: counters and compares. */
    @Override
    public long logicLuts() {
        return 47;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Module> modules() {
        int colBits = Bits.indexWidth(width);
        int rowBits = Bits.indexWidth(height);
        Module.Builder m = Module.builder(name).description("FrameMarks: checks the input's start-of-frame and end-of-row marks "
                + "and makes the output's, for " + height + "x" + width + " frames.");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inFire = m.input("in_fire", 1, "an input pixel is taken this cycle");
        Expr inSof = m.input("in_sof", 1, "its start-of-frame mark");
        Expr inEol = m.input("in_eol", 1, "its end-of-row mark");
        Expr outFire = m.input("out_fire", 1, "an output pixel is taken this cycle");
        Expr outSof = m.output("out_sof", 1, "the offered output pixel starts a frame");
        Expr outEol = m.output("out_eol", 1, "the offered output pixel ends a row");
        Expr error = m.output("framing_error", 1, "an input pixel's marks disagreed with its position (sticky)");

        Expr inCol = m.reg("in_col", colBits, "column of the next input pixel");
        Expr inRow = m.reg("in_row", rowBits, "row of the next input pixel");
        Expr outCol = m.reg("out_col", colBits, "column of the offered output pixel");
        Expr outRow = m.reg("out_row", rowBits, "row of the offered output pixel");
        Expr errorQ = m.reg("error_q", 1, "");
        Expr inLastCol = m.wire("in_last_col", 1, "");
        m.assign(inLastCol, inCol.eq(Rtl.u(colBits, width - 1L)));
        Expr outLastCol = m.wire("out_last_col", 1, "");
        m.assign(outLastCol, outCol.eq(Rtl.u(colBits, width - 1L)));
        Expr wantSof = m.wire("want_sof", 1, "the next input pixel is the first of a frame");
        m.assign(wantSof, inRow.eq(Rtl.u(rowBits, 0)).and(inCol.eq(Rtl.u(colBits, 0))));
        Expr wrong = m.wire("marks_wrong", 1, "");
        m.assign(wrong, inFire.and(inSof.ne(wantSof).or(inEol.ne(inLastCol))));
        m.always("clk", List.of(
                when(inFire, List.of(nb(inCol, Rtl.wrapIncrement(inCol, colBits, width - 1L)),
                        when(inLastCol, nb(inRow, Rtl.wrapIncrement(inRow, rowBits, height - 1L)))), List.of()),
                when(outFire, List.of(nb(outCol, Rtl.wrapIncrement(outCol, colBits, width - 1L)),
                        when(outLastCol, nb(outRow, Rtl.wrapIncrement(outRow, rowBits, height - 1L)))), List.of()),
                when(wrong, nb(errorQ, bit(true))),
                when(rst, nb(inCol, Rtl.u(colBits, 0)), nb(inRow, Rtl.u(rowBits, 0)), nb(outCol, Rtl.u(colBits, 0)),
                        nb(outRow, Rtl.u(rowBits, 0)), nb(errorQ, bit(false)))));
        m.assign(outSof, outRow.eq(Rtl.u(rowBits, 0)).and(outCol.eq(Rtl.u(colBits, 0))));
        m.assign(outEol, outLastCol);
        m.assign(error, errorQ);
        return List.of(m.build());
    }
}
