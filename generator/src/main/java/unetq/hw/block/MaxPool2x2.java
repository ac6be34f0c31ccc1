package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.num;
import static unetq.verilog.Expr.ref;
import static unetq.verilog.Expr.signed;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.List;
import unetq.golden.Bits;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;

/**
 * 2x2 max-pool, stride 2, on a pixel stream: the RTL twin of {@link unetq.golden.Ops#maxPool2x2}.
 * Takes one pixel (all channels) per cycle; on even rows it stores the max of each horizontal
 * pair in a half-row buffer, on odd rows it reads that entry one beat ahead and emits
 * the max of the four. Channels are compared as signed codes.
 */
public final class MaxPool2x2 implements HardwareBlock {
    private final String name;
    private final int channels;
    private final int bits;
    private final int height;
    private final int width;

    public MaxPool2x2(String name, int channels, int bits, int height, int width) {
        if (height % 2 != 0 || width % 2 != 0 || height < 2 || width < 2) {
            throw new IllegalArgumentException("max-pool needs even height and width, got " + height + "x" + width);
        }
        if (channels < 1 || bits < 2) {
            throw new IllegalArgumentException("max-pool needs channels >= 1 and signed codes of >= 2 bits");
        }
        this.name = name;
        this.channels = channels;
        this.bits = bits;
        this.height = height;
        this.width = width;
    }

    @Override
    public List<Memory> memories() {
        return List.of(new Memory(name + ".pair_max", width / 2, pixelBits()));
    }

    /** Fitted on Yosys xc7: comparators and muxes of the pair and block maxima. */
    @Override
    public long logicLuts() {
        return Math.max(8, Math.round(3.8 * pixelBits() - 28));
    }

    @Override
    public String name() {
        return name;
    }

    public int pixelBits() {
        return channels * bits;
    }

    /** One output pixel per four input pixels: 4 cycles per output at full input rate. */
    @Override
    public long cyclesPerOutput() {
        return 4;
    }

    @Override
    public List<Module> modules() {
        int pw = pixelBits();
        int half = width / 2;
        int colBits = Bits.indexWidth(width);
        int addrBits = Bits.indexWidth(half);
        Module.Builder m = Module.builder(name).description(
                "MaxPool2x2: 2x2 max-pool, stride 2, over a " + height + "x" + width + " image of " + channels + " x "
                        + bits + "-bit signed codes.\nHalf-row buffer: " + half + " x " + pw + " bits, read and written at one address.");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "pixel offered (raster order)");
        Expr inReady = m.output("in_ready", 1, "pixel accepted when valid && ready");
        Expr inData = m.input("in_data", pw, "pixel: channel c at bit c*" + bits);
        Expr outValid = m.output("out_valid", 1, "pooled pixel offered");
        Expr outReady = m.input("out_ready", 1, "pooled pixel taken when valid && ready");
        Expr outData = m.output("out_data", pw, "pooled pixel");

        Expr col = m.reg("col", colBits, "column of the next input pixel");
        Expr oddRow = m.reg("odd_row", 1, "the next input pixel is on an odd row");
        Expr first = m.reg("first", pw, "first (even-column) pixel of the current pair");
        Expr buffer = m.memory("pair_max", pw, half, "max of each pair of the last even row");
        Expr above = m.reg("above", pw, "pair_max entry of this pair, read one beat ahead");
        Expr outValidQ = m.reg("out_valid_q", 1, "");
        Expr outDataQ = m.reg("out_data_q", pw, "");
        Expr oddCol = m.wire("odd_col", 1, "");
        m.assign(oddCol, colBits == 1 ? col : col.slice(0, 0)); // a 1-bit counter has no range to select
        Expr emits = m.wire("emits", 1, "this input completes a 2x2 block");
        m.assign(emits, oddRow.and(oddCol));
        m.assign(inReady, emits.not().or(outValidQ.not()).or(outReady));
        Expr fire = m.wire("in_fire", 1, "");
        m.assign(fire, inValid.and(inReady));
        Expr addr = m.wire("pair_addr", addrBits, "column / 2");
        // a 2-pixel-wide image has one pair per row: its buffer has a single entry
        m.assign(addr, half == 1 ? Rtl.u(addrBits, 0) : col.slice(colBits - 1, 1));

        Expr pairMax = m.wire("pair_max_now", pw, "per channel max(first, in_data)");
        Expr blockMax = m.wire("block_max", pw, "per channel max(pair_max_now, above)");
        List<ModuleItem> lane = List.of(
                new ModuleItem.Net(ModuleItem.NetKind.WIRE, "a", bits, true, 0, ""),
                new ModuleItem.Net(ModuleItem.NetKind.WIRE, "b", bits, true, 0, ""),
                new ModuleItem.Net(ModuleItem.NetKind.WIRE, "u", bits, true, 0, ""),
                new ModuleItem.Net(ModuleItem.NetKind.WIRE, "p", bits, true, 0, ""),
                new ModuleItem.ContinuousAssign(ref("a"), first.part(ref("c").times(num(bits)), bits)),
                new ModuleItem.ContinuousAssign(ref("b"), inData.part(ref("c").times(num(bits)), bits)),
                new ModuleItem.ContinuousAssign(ref("u"), above.part(ref("c").times(num(bits)), bits)),
                new ModuleItem.ContinuousAssign(ref("p"), mux(signed(ref("a")).gt(signed(ref("b"))), ref("a"), ref("b"))),
                new ModuleItem.ContinuousAssign(pairMax.part(ref("c").times(num(bits)), bits), ref("p")),
                new ModuleItem.ContinuousAssign(blockMax.part(ref("c").times(num(bits)), bits),
                        mux(signed(ref("p")).gt(signed(ref("u"))), ref("p"), ref("u"))));
        m.add(new ModuleItem.GenerateFor("c", channels, "channel", lane));

        m.always("clk", List.of(
                when(fire, List.of(
                        when(oddCol.not(), nb(first, inData)),
                        // odd rows: fetch this pair's even-row max while the pair's first pixel arrives
                        when(oddCol.not().and(oddRow), nb(above, buffer.at(addr))),
                        when(oddCol.and(oddRow.not()), nb(buffer.at(addr), pairMax)),
                        when(oddCol.and(oddRow), nb(outDataQ, blockMax)),
                        nb(col, Rtl.wrapIncrement(col, colBits, width - 1L)),
                        when(col.eq(Rtl.u(colBits, width - 1L)), nb(oddRow, oddRow.not()))), List.of()),
                when(rst, List.of(nb(col, Rtl.u(colBits, 0)), nb(oddRow, bit(false)), nb(outValidQ, bit(false))), List.of(
                        when(fire.and(emits), List.of(nb(outValidQ, bit(true))), List.of(
                                when(outReady, nb(outValidQ, bit(false)))))))));
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return List.of(m.build());
    }
}
