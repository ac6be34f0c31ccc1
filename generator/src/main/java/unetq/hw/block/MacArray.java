package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.num;
import static unetq.verilog.Expr.ref;
import static unetq.verilog.Expr.signed;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import unetq.golden.Bits;
import unetq.golden.QFormat;
import unetq.hw.cost.CostModel;
import unetq.hw.cost.Device;
import unetq.hw.design.MemH;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;

/**
 * A PE x SIMD array of weight x activation multiply-accumulates (FINN's MVU core): each accepted
 * beat brings SIMD activations, shared by all lanes, and PE x SIMD weights; lane r adds
 * {@code sum_s act[s] * wgt[r][s]} to its sum, which {@code in_first} restarts and {@code in_last}
 * sends out. One beat per cycle; the sums leave two cycles after the last beat and are held until
 * taken, while the next sums accumulate (the array stalls only when a second finished sum would
 * meet an occupied output).
 *
 * <p>Products by {@link MacForm}: in LUTs (radix-4 Booth, one adder tree per lane), one per DSP, or
 * packed several per DSP; DSP products are summed in chains of {@link MacForm#chain()} elements
 * (written {@code c[s+1] = c[s] + a*w}, which synthesis maps onto the DSPs' post-adders), each
 * chain registered, then the chains of a lane added in logic. Operand widths are the hardware
 * widths of the formats; {@code |a| <= amax}, {@code |w| <= wmax} bound every field and the
 * accumulator (docs/quantization.md).
 */
public final class MacArray implements HardwareBlock {
    private final String name;
    private final int rows;
    private final int cols;
    private final int actBits;
    private final int wgtBits;
    private final int accBits;
    private final long amax;
    private final long wmax;
    private final MacForm form;

    public MacArray(String name, int rows, int cols, int actBits, int wgtBits, int accBits, long amax, long wmax, MacForm form) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("MAC array needs rows >= 1 and cols >= 1, got " + rows + "x" + cols);
        }
        if (actBits < 2 || wgtBits < 2 || accBits < 1) {
            throw new IllegalArgumentException("MAC array operand widths must be >= 2 bits");
        }
        if (cols % form.chain() != 0 || rows % form.fields() != 0) {
            throw new IllegalArgumentException(name + ": form " + form + " does not tile " + rows + "x" + cols);
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.actBits = actBits;
        this.wgtBits = wgtBits;
        this.accBits = accBits;
        this.amax = amax;
        this.wmax = wmax;
        this.form = form;
    }

    /**
     * A standalone array for the paper's formats: accumulates {@code beats} beats per output at
     * worst-case operands, so the accumulator holds beats * cols * max|a| * max|w|.
     */
    public static MacArray forFormats(String name, int rows, int cols, QFormat act, QFormat wgt, int beats, MacForm.Kind kind) {
        long a = Math.max(act.maxCode(), -act.minCode());
        long w = Math.max(wgt.maxCode(), -wgt.minCode());
        long peak = Math.multiplyExact(Math.multiplyExact((long) beats * cols, a), w);
        int ab = act.hardwareBits() + (act.isSigned() ? 0 : 1);
        int wb = wgt.hardwareBits();
        return new MacArray(name, rows, cols, ab, wb, Bits.signedWidth(-peak, peak), a, w, form(kind, rows, cols, ab, wb, a, w));
    }

    /**
     * The form a preference resolves to for these operands (as 7-series synthesis maps them): packed
     * where the formats allow, else one product per DSP where Yosys would use one (products of 9 bits
     * or more), else LUTs.
     */
    public static MacForm form(MacForm.Kind preferred, int rows, int cols, int actBits, int wgtBits, long amax, long wmax) {
        if (preferred == MacForm.Kind.LUT || CostModel.dspsPerProduct(actBits, wgtBits, Device.Family.XC7) == 0) {
            return MacForm.luts(cols);
        }
        if (preferred == MacForm.Kind.PACKED) {
            MacForm packed = MacForm.packed(amax, wmax, actBits, 25, 18, rows, cols);
            if (packed != null) {
                return packed;
            }
        }
        return MacForm.dsp(cols);
    }

    public MacForm form() {
        return form;
    }

    @Override
    public long multipliers() {
        return (long) rows * cols;
    }

    /** DSP slices: one per product (per m products when packed), none in LUT form. */
    @Override
    public long dsps(Device.Family family) {
        return switch (form.kind()) {
            case LUT -> 0;
            case DSP -> multipliers() * CostModel.dspsPerProduct(actBits, wgtBits, family);
            case PACKED -> multipliers() / form.fields();
        };
    }

    @Override
    public long dspProductBits(Device.Family family) {
        return form.kind() == MacForm.Kind.LUT ? 0 : multipliers() * actBits * wgtBits;
    }

    /**
     * LUTs, fitted to Yosys 0.23 {@code synth_xilinx} on 4 x 8 arrays of every format W 2/4/8 x A 2/4/6/8
     * ({@code unetq sweep macs}, docs/hardware.md). LUT form: the Booth products, each further product of
     * a lane one adder of the tree (about 2 LUTs per product bit + 5), and the accumulator with its
     * restart mux (2 per bit). DSP forms: the field splits, the logic adder tree over chains, the
     * accumulators and building the packed operands.
     */
    @Override
    public long logicLuts() {
        long accumulators = 2L * rows * accBits;
        return switch (form.kind()) {
            case LUT -> Math.round(boothLutsPerProduct() * multipliers() + (double) rows * (cols - 1) * (2 * boothBits() + 5))
                    + accumulators;
            case DSP, PACKED -> {
                int chunks = form.chunks(cols);
                long fieldSplit = form.kind() == MacForm.Kind.PACKED ? (long) (rows - rows / form.fields()) * (form.shift() + 2)
                        * chunks : 0;
                long tree = (long) rows * (chunks - 1) * chunkBits();
                // packed arrays measure as if the accumulator took one LUT a bit (the split absorbs the restart mux)
                yield fieldSplit + tree + (form.kind() == MacForm.Kind.PACKED ? accumulators / 2 : accumulators) + packingAdders();
            }
        };
    }

    /** One product per DSP: the DSP's own output register holds the registered chain sums. */
    @Override
    public long redundantRegisterBits() {
        return form.kind() == MacForm.Kind.DSP ? (long) rows * form.chunks(cols) * chunkBits() : 0;
    }

    /** Building the packed operand: a (wb + 1)-bit add per extra field and element. */
    private long packingAdders() {
        return form.kind() == MacForm.Kind.PACKED ? (long) (rows / form.fields()) * (form.fields() - 1) * cols * (wgtBits + 1) : 0;
    }

    /**
     * LUT6 of one Booth product from Yosys (the module alone, measured for 2, 3 and 5 digits and 3 to 9
     * activation bits): c(d) per activation bit plus e(d), d the radix-4 digits of the weight,
     * c = (d^2 + d)/2 + 1 and e = (13 d^2 - 35 d + 39)/3 (exact at the measured points: 2 digits 4a + 7,
     * 3 digits 7a + 17, 5 digits 16a + 63 against 15a + 63 measured).
     */
    double boothLutsPerProduct() {
        int d = (wgtBits + 1) / 2;
        double c = (d * d + d) / 2.0 + 1;
        double e = (13.0 * d * d - 35 * d + 39) / 3;
        return c * actBits + e;
    }

    @Override
    public double ice40LogicLuts() {
        return logicLuts();
    }

    @Override
    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int actBits() {
        return actBits;
    }

    public int wgtBits() {
        return wgtBits;
    }

    public int accBits() {
        return accBits;
    }

    /** Width of one exact product. */
    public int productBits() {
        return actBits + wgtBits;
    }

    /** Bits of one chain's (or, in LUT form, one beat's) sum for one lane. */
    int chunkBits() {
        long peak = Math.multiplyExact((long) form.chain() * amax, wmax);
        return Math.min(accBits, Bits.signedWidth(-peak, peak));
    }

    /** The multiplier's other operand: one weight, or m weights packed k bits apart (as wide as their largest sum). */
    private int packedBits() {
        if (form.kind() != MacForm.Kind.PACKED) {
            return wgtBits;
        }
        long peak = 0;
        for (int j = 0; j < form.fields(); j++) {
            peak += wmax << (j * form.shift());
        }
        return Math.max(wgtBits, Bits.signedWidth(-peak, peak));
    }

    @Override
    public List<Module> modules() {
        List<Module> modules = new ArrayList<>();
        if (form.kind() == MacForm.Kind.LUT) {
            modules.add(booth());
        }
        modules.add(top());
        return modules;
    }

    /** Bits the Booth module keeps: the product's bound (|a| &lt;= amax, |w| &lt;= wmax), at most the full width. */
    private int boothBits() {
        return Math.min(productBits(), chunkBits());
    }

    private String boothName() {
        return "unetq_booth_a" + actBits + "_w" + wgtBits + (boothBits() < productBits() ? "_p" + boothBits() : "");
    }

    /**
     * a x w for signed operands as radix-4 Booth partial products: no multiplier for synthesis to map
     * to a DSP. Computed modulo 2^P for the P bits the operands' bounds need: exact, as the product fits.
     */
    private Module booth() {
        int pw = boothBits();
        int digits = (wgtBits + 1) / 2;
        Module.Builder m = Module.builder(boothName()).description(
                "Booth: signed " + actBits + "b x " + wgtBits + "b product from " + digits
                        + " radix-4 partial products (d in -2..2 times a), combinational.");
        Expr a = m.input("a", actBits, "signed");
        Expr w = m.input("w", wgtBits, "signed");
        Expr p = m.output("p", pw, "a * w, signed");
        Expr wx = m.wire("wx", 2 * digits + 1, "w sign-extended to an even width, with w[-1] = 0 below");
        m.assign(wx, Expr.concat(Rtl.sext(w, wgtBits, 2 * digits), bit(false)));
        List<Expr> terms = new ArrayList<>();
        for (int k = 0; k < digits && 2 * k < pw; k++) {
            int dw = pw - 2 * k; // digit k lands at bit 2k: only its low pw - 2k bits reach the product
            Expr sel = m.wire("sel" + k, 3, k == 0 ? "digit k: w[2k+1], w[2k], w[2k-1]" : "");
            m.assign(sel, wx.slice(2 * k + 2, 2 * k));
            Expr ax = m.wire("a" + k, dw, k == 0 ? "a at the digit's width" : "");
            m.assign(ax, Rtl.resizeSigned(a, actBits, dw));
            Expr ax2 = m.wire("a" + k + "x2", dw, "");
            m.assign(ax2, dw == 1 ? Rtl.u(1, 0) : Expr.concat(ax.slice(dw - 2, 0), bit(false)));
            Expr one = sel.eq(Rtl.u(3, 1)).or(sel.eq(Rtl.u(3, 2)));
            Expr minusOne = sel.eq(Rtl.u(3, 5)).or(sel.eq(Rtl.u(3, 6)));
            Expr digit = m.wire("d" + k, dw, k == 0 ? "digit x a: 0, +-a or +-2a" : "");
            m.assign(digit, mux(sel.eq(Rtl.u(3, 3)), ax2, mux(sel.eq(Rtl.u(3, 4)), new Expr.Unary("-", ax2),
                    mux(one, ax, mux(minusOne, new Expr.Unary("-", ax), Rtl.u(dw, 0))))));
            if (k == 0) {
                terms.add(digit);
            } else {
                Expr pp = m.wire("pp" + k, pw, "");
                m.assign(pp, Expr.concat(digit, Rtl.u(2 * k, 0)));
                terms.add(pp);
            }
        }
        m.assign(p, Rtl.sum(terms));
        return m.build();
    }

    private Module top() {
        int chunks = form.chunks(cols);
        int cb = chunkBits();
        Module.Builder m = Module.builder(name).description(
                "MacArray " + rows + "x" + cols + ": " + rows + " lanes of " + cols + " signed " + actBits + "b x "
                        + wgtBits + "b products (" + form + "), " + accBits + "-bit sums.\n"
                        + "Beat: in_act[s] shared by all lanes, in_wgt[r][s] at bit (r*" + cols + "+s)*" + wgtBits
                        + ". in_first restarts the sums, in_last emits them.");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "beat offered");
        Expr inReady = m.output("in_ready", 1, "beat accepted when valid && ready");
        Expr inFirst = m.input("in_first", 1, "first beat of a sum");
        Expr inLast = m.input("in_last", 1, "last beat: emit the sums after it");
        Expr inAct = m.input("in_act", cols * actBits, cols + " activation codes, two's complement");
        Expr inWgt = m.input("in_wgt", rows * cols * wgtBits, rows + "x" + cols + " weight codes, two's complement");
        Expr outValid = m.output("out_valid", 1, "sums offered");
        Expr outReady = m.input("out_ready", 1, "sums taken when valid && ready");
        Expr outAcc = m.output("out_acc", rows * accBits, rows + " sums, lane r at bit r*" + accBits);

        Expr en = m.wire("en", 1, "the pipeline moves unless a finished sum waits for an occupied output");
        Expr outValidQ = m.reg("out_valid_q", 1, "");
        Expr valid1 = m.reg("valid1", 1, "");
        Expr last1 = m.reg("last1", 1, "");
        m.assign(en, valid1.and(last1).and(outValidQ).and(outReady.not()).not());
        m.assign(inReady, en);

        m.comment("Stage 1: products and chains, registered per lane and chain (" + chunks + " chain(s) of " + form.chain() + ").");
        Expr parts = m.wire("parts", rows * chunks * cb, "lane r, chain c at bit (r*" + chunks + "+c)*" + cb);
        switch (form.kind()) {
            case LUT -> lutProducts(m, inAct, inWgt, parts, cb);
            case DSP, PACKED -> dspChains(m, inAct, inWgt, parts, chunks, cb);
            default -> throw new IllegalStateException();
        }
        Expr partsQ = m.reg("parts_q", rows * chunks * cb, "");
        Expr first1 = m.reg("first1", 1, "");
        Expr inFire = inValid.and(en);
        m.always("clk", List.of(
                when(en, nb(partsQ, parts), nb(first1, inFirst), nb(last1, inLast)),
                when(rst, List.of(nb(valid1, bit(false))), List.of(when(en, nb(valid1, inFire))))));

        m.comment("Stage 2: a lane's chains added, accumulated; the sum held in out_acc until taken.");
        Expr accQ = m.reg("acc_q", rows * accBits, "running sums");
        Expr accNext = m.wire("acc_next", rows * accBits, "");
        Expr resultQ = m.reg("result_q", rows * accBits, "finished sums");
        m.lanes("r", rows, "lane", r -> {
            List<ModuleItem> items = new ArrayList<>();
            List<Expr> terms = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                Expr part = partsQ.part(r.times(num(chunks)).plus(num(c)).times(num(cb)), cb);
                terms.add(signed(Rtl.sext(part, cb, accBits)));
            }
            items.add(new ModuleItem.Net(ModuleItem.NetKind.WIRE, "dot", accBits, true, 0, "this beat's dot product"));
            items.add(new ModuleItem.ContinuousAssign(ref("dot"), Rtl.sum(terms)));
            Expr acc = accQ.part(r.times(num(accBits)), accBits);
            items.add(new ModuleItem.ContinuousAssign(accNext.part(r.times(num(accBits)), accBits),
                    mux(first1, ref("dot"), acc.plus(ref("dot")))));
            return items;
        });
        m.always("clk", List.of(
                when(valid1.and(en), nb(accQ, accNext)),
                when(valid1.and(last1).and(en), nb(resultQ, accNext)),
                when(rst, List.of(nb(outValidQ, bit(false))), List.of(
                        when(en.and(valid1).and(last1), List.of(nb(outValidQ, bit(true))), List.of(
                                when(outReady, nb(outValidQ, bit(false)))))))));
        m.assign(outValid, outValidQ);
        m.assign(outAcc, resultQ);
        return m.build();
    }

    /** LUT form: a Booth product per lane and element, one adder tree per lane. */
    private void lutProducts(Module.Builder m, Expr inAct, Expr inWgt, Expr parts, int cb) {
        int pw = boothBits();
        Expr prods = m.wire("prods", rows * cols * pw, "lane r, element s at bit (r*" + cols + "+s)*" + pw);
        Expr p = ref("r").times(num(cols)).plus(ref("s"));
        m.add(new ModuleItem.GenerateFor("r", rows, "product", List.of(new ModuleItem.GenerateFor("s", cols, "element",
                List.of(new ModuleItem.Instance(boothName(), "mul", java.util.Map.of(), ports(
                        "a", inAct.part(ref("s").times(num(actBits)), actBits),
                        "w", inWgt.part(p.times(num(wgtBits)), wgtBits),
                        "p", prods.part(p.times(num(pw)), pw)), ""))))));
        m.lanes("t", rows, "sum", r -> {
            List<Expr> terms = new ArrayList<>();
            for (int s = 0; s < cols; s++) {
                Expr prod = prods.part(r.times(num(cols)).plus(num(s)).times(num(pw)), pw);
                terms.add(signed(Rtl.resizeSigned(prod, pw, cb)));
            }
            return List.of(new ModuleItem.ContinuousAssign(parts.part(r.times(num(cb)), cb), Rtl.sum(terms)));
        });
    }

    /**
     * DSP forms: per bundle of m lanes (m = 1 unpacked) and chain, {@code c[s+1] = c[s] + a_s * W_s}
     * with W_s = w_0 + w_1·2^k + ..; then the fields split off: F_0 = c[k-1:0] and each next field its
     * k bits plus the borrow of the fields below.
     */
    private void dspChains(Module.Builder m, Expr inAct, Expr inWgt, Expr parts, int chunks, int cb) {
        int f = form.fields();
        int k = form.shift();
        int ch = form.chain();
        int bundles = rows / f;
        int pb = packedBits();
        // the cascade modulo 2^cw, cw the bits the fields are read from: the top field needs only cb of its k
        int cw = f == 1 ? cb : (f - 1) * k + Math.min(k, cb);
        List<ModuleItem> items = new ArrayList<>();
        Expr previous = null;
        for (int s = 0; s < ch; s++) { // unrolled: each partial sum its own net
            Expr element = ref("c").times(num(ch)).plus(num(s));
            String operand = "operand" + s;
            items.add(new ModuleItem.Net(ModuleItem.NetKind.WIRE, operand, pb, true, 0,
                    s > 0 ? "" : f == 1 ? "the weight" : f + " weights packed " + k + " bits apart"));
            Expr packed = null;
            for (int j = 0; j < f; j++) {
                Expr lane = ref("b").times(num(f)).plus(num(j));
                Expr w = Expr.signed(Rtl.sext(inWgt.part(lane.times(num(cols)).plus(element).times(num(wgtBits)), wgtBits),
                        wgtBits, pb));
                Expr term = j == 0 ? w : new Expr.Binary(w, "<<<", num((long) j * k));
                packed = packed == null ? term : packed.plus(term);
            }
            items.add(new ModuleItem.ContinuousAssign(ref(operand), packed));
            String sum = "sum" + s;
            items.add(new ModuleItem.Net(ModuleItem.NetKind.WIRE, sum, cw, true, 0,
                    s == 0 ? "the cascade: sum(s) = sum(s-1) + a(s) * operand(s)" : ""));
            Expr product = Expr.signed(inAct.part(element.times(num(actBits)), actBits)).times(ref(operand));
            items.add(new ModuleItem.ContinuousAssign(ref(sum), previous == null ? product : previous.plus(product)));
            previous = ref(sum);
        }
        Expr total = previous;
        // split the fields of the chain's sum, lowest first: each k bits plus the carry and borrow of those below
        Expr carry = null;
        for (int j = 0; j < f; j++) {
            Expr lane = ref("b").times(num(f)).plus(num(j));
            Expr out = parts.part(lane.times(num(chunks)).plus(ref("c")).times(num(cb)), cb);
            if (f == 1) {
                items.add(new ModuleItem.ContinuousAssign(out, total));
                continue;
            }
            boolean last = j == f - 1;
            int kept = last ? Math.min(k, cb) : k; // the top field's value fits cb bits: nothing above them matters
            Expr bitsJ = total.slice(j * k + kept - 1, j * k);
            if (j == 0) {
                items.add(new ModuleItem.ContinuousAssign(out, Rtl.resizeSigned(bitsJ, k, cb)));
                carry = Rtl.zext(total.slice(k - 1, k - 1), 1, 2); // a negative field borrowed one from the next
                continue;
            }
            String t = "field" + j;
            int tw = last ? kept : k + 1;
            items.add(new ModuleItem.Net(ModuleItem.NetKind.WIRE, t, tw, false, 0, j == 1
                    ? "field j: its k bits plus the carry and the borrow from below (the top field: modulo 2^" + tw + ")" : ""));
            items.add(new ModuleItem.ContinuousAssign(ref(t), Rtl.zext(bitsJ, kept, tw).plus(Rtl.zext(carry, 2, tw))));
            items.add(new ModuleItem.ContinuousAssign(out, Rtl.resizeSigned(ref(t).slice(Math.min(k, tw) - 1, 0), Math.min(k, tw), cb)));
            if (!last) {
                carry = Rtl.zext(ref(t).slice(k, k), 1, 2).plus(Rtl.zext(ref(t).slice(k - 1, k - 1), 1, 2));
            }
        }
        List<ModuleItem> chunkLoop = List.of(new ModuleItem.GenerateFor("c", chunks, "chain", items));
        m.add(new ModuleItem.GenerateFor("b", bundles, "bundle", chunkLoop));
    }


    private static java.util.Map<String, Expr> ports(Object... kv) {
        java.util.Map<String, Expr> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put((String) kv[i], (Expr) kv[i + 1]);
        }
        return map;
    }

    /** Packs the activations of one beat as {@code in_act} expects. */
    public BigInteger packActivations(long[] acts) {
        int[] w = new int[acts.length];
        java.util.Arrays.fill(w, actBits);
        return MemH.pack(acts, w);
    }

    /** Packs weights[r][c] of one beat as {@code in_wgt} expects. */
    public BigInteger packWeights(long[][] weights) {
        long[] flat = new long[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(weights[r], 0, flat, r * cols, cols);
        }
        int[] w = new int[flat.length];
        java.util.Arrays.fill(w, wgtBits);
        return MemH.pack(flat, w);
    }

    /** Unpacks {@code out_acc} into the rows' signed sums. */
    public long[] unpackSums(BigInteger beat) {
        long[] sums = new long[rows];
        for (int r = 0; r < rows; r++) {
            long raw = beat.shiftRight(r * accBits).and(BigInteger.ONE.shiftLeft(accBits).subtract(BigInteger.ONE)).longValue();
            sums[r] = Bits.signExtend(raw, accBits);
        }
        return sums;
    }
}
