package unetq.hw.block;

import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.signed;

import java.util.List;
import unetq.golden.Bits;
import unetq.golden.LongRange;
import unetq.golden.QFormat;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.Rtl;
import unetq.hw.cost.CostModel;
import unetq.hw.cost.Device;

/**
 * The RTL twin of {@link unetq.golden.Requantizer}: combinational, one output lane.
 * <pre>
 *   s = acc + bias; r = relu ? max(s, 0) : s; t = r * mult + offset
 *   m = |t| >> shift (f = 0, truncate) or round-half-even(|t| / 2^shift) (f &gt; 0)
 *   q = sign(t) * min(m, maxCode)
 * </pre>
 * The per-channel bias/mult/offset arrive as ports (the conv layer reads them from a table); the
 * widths of every intermediate come from {@link unetq.golden.Requantizer#widths}.
 */
public final class Requantizer implements HardwareBlock {
    private final String name;
    private final unetq.golden.Requantizer golden;
    private final int accBits;
    private final int biasBits;
    private final int multBits;
    private final int offsetBits;
    private final int biasedBits;
    private final int scaledBits;
    private final boolean productInLuts;

    public Requantizer(String name, unetq.golden.Requantizer golden, LongRange accRange) {
        this(name, golden, accRange, false);
    }

    /**
     * With {@code productInLuts} the r x mult product is written as shifted partial products and
     * adders, which synthesis builds from LUTs (no multiplier to map to a DSP).
     */
    public Requantizer(String name, unetq.golden.Requantizer golden, LongRange accRange, boolean productInLuts) {
        this.name = name;
        this.productInLuts = productInLuts;
        this.golden = golden;
        this.accBits = accRange.signedWidth();
        LongRange bias = null;
        LongRange mult = null;
        LongRange offset = null;
        for (int c = 0; c < golden.channels(); c++) {
            bias = grow(bias, golden.bias(c));
            mult = grow(mult, golden.mult(c));
            offset = grow(offset, golden.offset(c));
        }
        unetq.golden.Requantizer.Widths w = golden.widths(accRange);
        this.biasBits = bias.signedWidth();
        this.multBits = mult.signedWidth();
        this.offsetBits = offset.signedWidth();
        this.biasedBits = Math.max(Math.max(accBits, biasBits), w.biasedBits());
        // t must be wide enough for the product and for the shift to leave at least one bit
        this.scaledBits = Math.max(Math.max(w.scaledBits(), golden.shift() + 1),
                Math.max(offsetBits, biasedBits + multBits));
    }

    /**
     * r x mult as shifted partial products: bit i of the two's-complement mult weighs 2^i, its sign
     * bit -2^(b-1), so t = sum of (mult[i] ? r << i : 0) minus the sign bit's term. Every sum is
     * taken modulo 2^tw, and the true product fits tw bits, so the result is exact.
     */
    private Expr partialProducts(Module.Builder m, Expr rExt, Expr mult, int tw) {
        Expr sum = null;
        for (int i = 0; i < multBits; i++) {
            Expr pp = m.wire("pp" + i, tw, i == 0 ? "partial products: mult[i] ? r << i : 0" : "");
            Expr shifted = i == 0 ? rExt : new Expr.Concat(List.of(rExt.slice(tw - 1 - i, 0), Rtl.u(i, 0)));
            m.assign(pp, mux(mult.slice(i, i), shifted, Rtl.u(tw, 0)));
            if (sum == null) {
                sum = i == multBits - 1 ? Rtl.u(tw, 0).minus(pp) : pp;
            } else {
                sum = i == multBits - 1 ? sum.minus(pp) : sum.plus(pp);
            }
        }
        return signed(sum);
    }

    private static LongRange grow(LongRange r, long v) {
        return r == null ? LongRange.point(v) : r.union(LongRange.point(v));
    }

    /** The r x mult product: one DSP48 when it fits 25 x 18 (none when built from LUTs). */
    @Override
    public long dsps(Device.Family family) {
        return productInLuts ? 0 : productDsps(family);
    }

    /** DSPs the product takes when it is not built from LUTs. */
    public long productDsps(Device.Family family) {
        return CostModel.dspsPerProduct(biasedBits, multBits, family);
    }

    /** Bits of the r x mult product (a·b). */
    public long productBits() {
        return (long) biasedBits * multBits;
    }

    @Override
    public long dspProductBits(Device.Family family) {
        return dsps(family) > 0 ? productBits() : 0;
    }

    /** Fitted on Yosys xc7 (45 to 109 measured): bias add, ReLU, offset, shift and saturation. */
    @Override
    public long logicLuts() {
        return 90 + (productInLuts ? Math.round(LUT6_PER_PRODUCT_BIT * productBits()) : 0);
    }

    /** On iCE40 the LUT-built product costs what {@link Device#ICE40_LUTS_PER_PRODUCT_BIT} measured. */
    @Override
    public double ice40LogicLuts() {
        return CostModel.ICE40_LUT_FACTOR * 90 + (productInLuts ? Device.ICE40_LUTS_PER_PRODUCT_BIT * productBits() : 0);
    }

    /** LUT6 per product bit of a LUT-built product on 7-series: the iCE40 measurement / 1.6, not measured itself. */
    static final double LUT6_PER_PRODUCT_BIT = Device.ICE40_LUTS_PER_PRODUCT_BIT / CostModel.ICE40_LUT_FACTOR;

    @Override
    public String name() {
        return name;
    }

    public int accBits() {
        return accBits;
    }

    public int outBits() {
        return golden.outFormat().hardwareBits();
    }

    /** Bits of one lane's parameter word: {offset, mult, bias}, bias in the low bits. */
    public int paramBits() {
        return biasBits + multBits + offsetBits;
    }

    /** The parameter word of output channel {@code c}, packed as the module's ports expect. */
    public long[] paramFields(int c) {
        return new long[] {golden.bias(c), golden.mult(c), golden.offset(c)};
    }

    public int[] paramWidths() {
        return new int[] {biasBits, multBits, offsetBits};
    }

    @Override
    public List<Module> modules() {
        QFormat out = golden.outFormat();
        int shift = golden.shift();
        int sw = biasedBits;
        int tw = scaledBits;
        int ow = out.hardwareBits();
        Module.Builder m = Module.builder(name).description(
                "Requantizer: acc -> +bias -> " + (golden.relu() ? "ReLU -> " : "") + "*mult + offset -> "
                        + (out.fracBits() == 0 ? "truncate toward zero" : "round half to even") + " >> " + shift
                        + " -> saturate to " + out.describe() + ".\nCombinational; see docs/quantization.md.");
        Expr acc = m.input("acc", accBits, "accumulator, signed");
        Expr bias = m.input("bias", biasBits, "bias at the accumulator scale, signed");
        Expr mult = m.input("mult", multBits, "BatchNorm multiplier, signed");
        Expr offset = m.input("offset", offsetBits, "BatchNorm offset at scale 2^-(f+shift), signed");
        Expr q = m.output("q", ow, "output code, " + out.paperName() + " in " + ow + "-bit two's complement");

        Expr s = m.signedWire("s", sw, "acc + bias");
        m.assign(s, signed(Rtl.sext(acc, accBits, sw)).plus(signed(Rtl.sext(bias, biasBits, sw))));
        Expr r = m.signedWire("r", sw, golden.relu() ? "ReLU" : "no ReLU on this layer");
        m.assign(r, golden.relu() ? mux(s.slice(sw - 1, sw - 1), Rtl.u(sw, 0), s) : s);
        Expr t = m.signedWire("t", tw, "r * mult + offset; the range analysis proves it fits");
        if (productInLuts) {
            Expr rExt = m.wire("r_ext", tw, "r sign-extended to the width of t");
            m.assign(rExt, Rtl.sext(r, sw, tw));
            m.assign(t, partialProducts(m, rExt, mult, tw).plus(signed(Rtl.sext(offset, offsetBits, tw))));
        } else {
            m.assign(t, signed(Rtl.sext(r, sw, tw)).times(signed(Rtl.sext(mult, multBits, tw)))
                    .plus(signed(Rtl.sext(offset, offsetBits, tw))));
        }
        Expr neg = m.wire("neg", 1, "sign of t");
        m.assign(neg, t.slice(tw - 1, tw - 1));
        Expr mag = m.wire("mag", tw, "|t| as an unsigned number (exact even for the most negative t)");
        m.assign(mag, mux(neg, new Expr.Unary("-", t), t));

        int mw = Math.max(1, tw + 1 - shift);
        Expr scaled = m.wire("scaled", mw, out.fracBits() == 0 ? "|t| >> shift: truncation toward zero"
                : "|t| / 2^shift rounded half to even");
        if (shift == 0) {
            m.assign(scaled, Rtl.zext(mag, tw, mw));
        } else if (out.fracBits() == 0) {
            m.assign(scaled, Rtl.zext(mag.slice(tw - 1, shift), tw - shift, mw));
            Expr dropped = m.wire("unused_fraction", 1, "the fraction bits truncation drops, on purpose");
            m.assign(dropped, new Expr.Unary("&", Expr.concat(Expr.bit(false), mag.slice(shift - 1, 0))));
        } else {
            Expr rounded = m.wire("rounded", tw + 1, "|t| + 2^(shift-1) - 1 + (lsb kept), then >> shift");
            Expr keptLsb = mag.slice(shift, shift);
            m.assign(rounded, Rtl.zext(mag, tw, tw + 1).plus(Rtl.u(tw + 1, (1L << (shift - 1)) - 1))
                    .plus(Rtl.zext(keptLsb, 1, tw + 1)));
            m.assign(scaled, rounded.slice(tw, shift));
            Expr dropped = m.wire("unused_fraction", 1, "the fraction bits rounding has accounted for, on purpose");
            m.assign(dropped, new Expr.Unary("&", Expr.concat(Expr.bit(false), rounded.slice(shift - 1, 0))));
        }
        long max = out.maxCode();
        int cw = Math.max(mw, Bits.unsignedWidth(max));
        Expr sat = m.wire("sat", ow, "min(scaled, " + max + ")");
        Expr over = Rtl.zext(scaled, mw, cw).gt(Rtl.u(cw, max));
        Expr low = mw >= ow ? scaled.slice(ow - 1, 0) : Rtl.zext(scaled, mw, ow);
        m.assign(sat, mux(over, Rtl.u(ow, max), low));
        m.assign(q, mux(neg, new Expr.Unary("-", sat), sat));
        return List.of(m.build());
    }
}
