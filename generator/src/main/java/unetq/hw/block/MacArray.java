package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.num;
import static unetq.verilog.Expr.ref;
import static unetq.verilog.Expr.signed;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.ArrayList;
import java.util.List;
import unetq.golden.Bits;
import unetq.golden.QFormat;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;
import unetq.verilog.Statement;
import unetq.hw.cost.CostModel;
import unetq.hw.cost.Device;
import unetq.hw.design.MemH;

/**
 * An R x C array of weight-code x activation-code multiply-accumulates (FINN's MVU core: R = PE
 * output lanes, C = SIMD inputs per lane). Each accepted beat brings C activations, shared by all
 * rows, and R x C weights; row r adds {@code sum_c act[c] * wgt[r][c]} to its accumulator, which
 * {@code in_first} restarts and {@code in_last} sends out. One beat per cycle, latency one cycle.
 *
 * <p>Operand widths are the hardware widths of the formats (docs/quantization.md); the accumulator
 * width comes from the contract's range analysis, so no partial sum can overflow.
 */
public final class MacArray implements HardwareBlock {
    private final String name;
    private final int rows;
    private final int cols;
    private final int actBits;
    private final int wgtBits;
    private final int accBits;

    public MacArray(String name, int rows, int cols, int actBits, int wgtBits, int accBits) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("MAC array needs rows >= 1 and cols >= 1, got " + rows + "x" + cols);
        }
        if (actBits < 2 || wgtBits < 2 || accBits < 1) {
            throw new IllegalArgumentException("MAC array operand widths must be >= 2 bits");
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.actBits = actBits;
        this.wgtBits = wgtBits;
        this.accBits = accBits;
    }

    /**
     * A standalone array for the paper's formats: accumulates {@code beats} beats per output at
     * worst-case operands, so the accumulator holds beats * cols * max|a| * max|w|.
     */
    public static MacArray forFormats(String name, int rows, int cols, QFormat act, QFormat wgt, int beats) {
        long peak = Math.multiplyExact(Math.multiplyExact((long) beats * cols, Math.max(act.maxCode(), -act.minCode())),
                wgt.maxCode());
        long low = -peak;
        if (!act.isSigned()) {
            low = -Math.multiplyExact((long) beats * cols * act.maxCode(), wgt.maxCode());
        }
        return new MacArray(name, rows, cols, act.hardwareBits(), wgt.hardwareBits(), Bits.signedWidth(low, peak));
    }

    @Override
    public long multipliers() {
        return (long) rows * cols;
    }

    /** One DSP per product of at least 9 result bits ({@link CostModel#dspsPerProduct}). */
    @Override
    public long dsps(Device.Family family) {
        return multipliers() * CostModel.dspsPerProduct(actBits, wgtBits, family);
    }

    /** Adder and partial-product bits take one LUT on both families (measured: 1,585 LUT4 vs 1,573 LUT6, 36 products of 3 x 4 bits). */
    @Override
    public double ice40LogicLuts() {
        return logicLuts();
    }

    @Override
    public long dspProductBits(Device.Family family) {
        return dsps(family) > 0 ? multipliers() * actBits * wgtBits : 0;
    }

    /** Fitted on Yosys xc7: about 40 LUTs per lane when the products sit in DSPs, else 44 per product. */
    @Override
    public long logicLuts() {
        return CostModel.dspsPerProduct(actBits, wgtBits, Device.Family.XC7) > 0 ? 40L * rows : 44L * rows * cols;
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

    @Override
    public List<Module> modules() {
        Module.Builder m = Module.builder(name).description(
                "MacArray " + rows + "x" + cols + ": " + rows + " lanes of " + cols + " signed " + actBits + "b x "
                        + wgtBits + "b products, " + accBits + "-bit accumulators.\n"
                        + "Beat: in_act[c] shared by all lanes, in_wgt[r][c] at bit (r*" + cols + "+c)*" + wgtBits
                        + ". in_first restarts the sums, in_last emits them.");
        m.input("clk", 1, "clock");
        m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "beat offered");
        Expr inReady = m.output("in_ready", 1, "beat accepted when valid && ready");
        Expr inFirst = m.input("in_first", 1, "first beat of an accumulation");
        Expr inLast = m.input("in_last", 1, "last beat: emit the sums after it");
        Expr inAct = m.input("in_act", cols * actBits, cols + " activation codes, two's complement");
        Expr inWgt = m.input("in_wgt", rows * cols * wgtBits, rows + "x" + cols + " weight codes, two's complement");
        Expr outValid = m.output("out_valid", 1, "sums offered");
        Expr outReady = m.input("out_ready", 1, "sums taken when valid && ready");
        Expr outAcc = m.output("out_acc", rows * accBits, rows + " sums, lane r at bit r*" + accBits);

        Expr outValidQ = m.reg("out_valid_q", 1, "an unread result sits in out_acc_q");
        Expr inFire = m.wire("in_fire", 1, "");
        m.assign(inReady, outValidQ.not().or(outReady));
        m.assign(inFire, inValid.and(inReady));
        m.assign(outValid, outValidQ);

        int pw = productBits();
        List<ModuleItem> lane = new ArrayList<>();
        lane.add(new ModuleItem.Net(ModuleItem.NetKind.REG, "acc_q", accBits, true, 0, "running sum of this lane"));
        lane.add(new ModuleItem.Net(ModuleItem.NetKind.WIRE, "dot", accBits, true, 0, "this beat's dot product"));
        lane.add(new ModuleItem.Net(ModuleItem.NetKind.WIRE, "acc_next", accBits, true, 0, ""));
        lane.add(new ModuleItem.Net(ModuleItem.NetKind.REG, "result_q", accBits, true, 0, "finished sum, held until read"));
        lane.add(new ModuleItem.ContinuousAssign(outAcc.part(ref("r").times(num(accBits)), accBits), ref("result_q")));
        List<Expr> terms = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            String p = "prod" + c;
            lane.add(new ModuleItem.Net(ModuleItem.NetKind.WIRE, p, pw, true, 0,
                    c == 0 ? "exact products: " + actBits + "b x " + wgtBits + "b -> " + pw + "b" : ""));
            Expr a = inAct.part(num((long) c * actBits), actBits);
            Expr w = inWgt.part(ref("r").times(num(cols)).plus(num(c)).times(num(wgtBits)), wgtBits);
            lane.add(new ModuleItem.ContinuousAssign(ref(p),
                    signed(Rtl.sext(a, actBits, pw)).times(signed(Rtl.sext(w, wgtBits, pw)))));
            // A single product is a partial sum, so it fits the accumulator: narrowing keeps its value.
            terms.add(signed(Rtl.resizeSigned(ref(p), pw, accBits)));
            if (pw > accBits) {
                lane.add(new ModuleItem.Net(ModuleItem.NetKind.WIRE, "unused_" + p + "_msbs", 1, false, 0,
                        "sign copies the range analysis proves redundant"));
                lane.add(new ModuleItem.ContinuousAssign(ref("unused_" + p + "_msbs"),
                        new Expr.Unary("&", Expr.concat(bit(false), ref(p).slice(pw - 1, accBits)))));
            }
        }
        lane.add(new ModuleItem.ContinuousAssign(ref("dot"), Rtl.sum(terms)));
        lane.add(new ModuleItem.ContinuousAssign(ref("acc_next"), mux(inFirst, ref("dot"), ref("acc_q").plus(ref("dot")))));
        lane.add(ModuleItem.Always.clocked("clk", List.of(
                when(inFire, nb(ref("acc_q"), ref("acc_next"))),
                when(inFire.and(inLast), nb(ref("result_q"), ref("acc_next"))))));
        m.add(new ModuleItem.GenerateFor("r", rows, "lane", lane));

        m.always("clk", List.of(
                Statement.when(ref("rst"), List.of(nb(outValidQ, bit(false))), List.of(
                        Statement.when(inFire.and(inLast), List.of(nb(outValidQ, bit(true))), List.of(
                                when(outReady, nb(outValidQ, bit(false)))))))));
        return List.of(m.build());
    }

    /** Packs the activations of one beat as {@code in_act} expects. */
    public java.math.BigInteger packActivations(long[] acts) {
        int[] w = new int[acts.length];
        java.util.Arrays.fill(w, actBits);
        return MemH.pack(acts, w);
    }

    /** Packs weights[r][c] of one beat as {@code in_wgt} expects. */
    public java.math.BigInteger packWeights(long[][] weights) {
        long[] flat = new long[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(weights[r], 0, flat, r * cols, cols);
        }
        int[] w = new int[flat.length];
        java.util.Arrays.fill(w, wgtBits);
        return MemH.pack(flat, w);
    }

    /** Unpacks {@code out_acc} into the rows' signed sums. */
    public long[] unpackSums(java.math.BigInteger beat) {
        long[] sums = new long[rows];
        for (int r = 0; r < rows; r++) {
            long raw = beat.shiftRight(r * accBits).and(java.math.BigInteger.ONE.shiftLeft(accBits)
                    .subtract(java.math.BigInteger.ONE)).longValue();
            sums[r] = Bits.signExtend(raw, accBits);
        }
        return sums;
    }
}
