package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.num;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.ArrayList;
import java.util.List;
import unetq.golden.Bits;
import unetq.golden.Ops;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;
import unetq.verilog.Statement;

/**
 * Bilinear x2 upsampling on a stream of channel groups, exact as {@link Ops#upsampleBilinear2x}
 * (PyTorch {@code align_corners=False}): output (Y, X) = 9a + 3b + 3c + d with the edge clamp, in
 * 4 more fraction bits. The weights are separable: for output row Y with near input row Y/2 and far
 * row Y/2 -+ 1 (clamped), v(x) = 3·near(x) + far(x); then outputs 2x = 3v(x) + v(x-1) and
 * 2x+1 = 3v(x) + v(x+1) (clamped at the row's ends).
 *
 * <p>Input rows go to three row memories in turn (W·C/g words each, block RAM); an output row reads
 * the near and far rows' columns once each, one group a cycle, keeps v of the last three columns per
 * group in small memories, and emits a beat a cycle: (2W + 1)·C/g cycles an output row (the extra
 * C/g read the row's first column). The output side sets the pace. The reader waits for an input
 * column it needs; the writer may start input row R once the reader has left every output row that
 * reads row R - 3 (row counters run on across frames, so frames follow each other without a gap).
 * Logic grows with g, not with C.
 */
public final class UpsampleBilinear2x implements HardwareBlock {
    private final String name;
    private final int channels;
    private final int group;
    private final int bits;
    private final int height;
    private final int width;
    private final int outBits;

    /** @param height rows of the input (the output has twice as many) */
    public UpsampleBilinear2x(String name, int channels, int group, int bits, int height, int width, int outBits) {
        if (channels < 1 || bits < 2 || height < 1 || width < 1 || group < 1 || channels % group != 0) {
            throw new IllegalArgumentException("upsampler needs a group dividing its channels, signed codes of >= 2 bits and a size");
        }
        if (outBits < bits + Ops.UPSAMPLE_EXTRA_FRAC_BITS) {
            throw new IllegalArgumentException("upsampler output needs >= " + (bits + Ops.UPSAMPLE_EXTRA_FRAC_BITS) + " bits");
        }
        this.name = name;
        this.channels = channels;
        this.group = group;
        this.bits = bits;
        this.height = height;
        this.width = width;
        this.outBits = outBits;
    }

    private int groups() {
        return channels / group;
    }

    private int vBits() {
        return bits + 2;
    }

    @Override
    public List<Memory> memories() {
        List<Memory> m = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            m.add(new Memory(name + ".row" + s, (long) width * groups(), group * bits));
        }
        if (groups() > 1) {
            for (int s = 0; s < 3; s++) {
                m.add(new Memory(name + ".v" + s, groups(), group * vBits()));
            }
        }
        return m;
    }

    /** Per code: two row muxes and the vertical adder, two v muxes and the horizontal adder, twice over (Yosys); counters. */
    @Override
    public long logicLuts() {
        return Math.round(2 * group * (2.0 * bits + 2.0 * vBits() + vBits() + outBits)) + 120;
    }

    @Override
    public String name() {
        return name;
    }

    /** Bits per output code: 4 more fraction bits (sign-extended to the format's width). */
    public int outputBits() {
        return outBits;
    }

    /** Bits of an output beat. */
    public int outWordBits() {
        return group * outBits;
    }

    /** Cycles per output pixel: a beat a cycle, plus the read of each output row's first column. */
    @Override
    public long cyclesPerOutput() {
        return groups();
    }

    /** Cycles a frame at full rate: 2H output rows of (2W + 1)·C/g. */
    public long cyclesPerFrame() {
        return 2L * height * (2L * width + 1) * groups();
    }

    @Override
    public List<Module> modules() {
        int g = groups();
        int wb = group * bits;
        int vb = group * vBits();
        int ob = outWordBits();
        int words = width * g;
        int ab = Bits.indexWidth(words);
        int xb = Bits.indexWidth(width);
        int jb = Bits.unsignedWidth(width);
        int yb = Bits.indexWidth(2L * height);
        int nb = Bits.unsignedWidth(2L * height + 8) + 1; // global row counters: differences within +-(h + 4)
        Module.Builder m = Module.builder(name).description(
                "UpsampleBilinear2x " + name + ": " + height + "x" + width + " -> " + 2 * height + "x" + 2 * width + " pixels of "
                        + channels + " signed " + bits + "-bit codes, " + group + " a beat; out " + outBits + "-bit codes "
                        + "(4 more fraction bits).\n(2W+1)*" + g + " cycles an output row.");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "channel group offered (pixels in raster order)");
        Expr inReady = m.output("in_ready", 1, "");
        Expr inData = m.input("in_data", wb, group + " codes, channel c of the group at bit c*" + bits);
        Expr outValid = m.output("out_valid", 1, "");
        Expr outReady = m.input("out_ready", 1, "");
        Expr outData = m.output("out_data", ob, group + " codes of " + outBits + " bits");

        m.comment("Writer: input row R (counted on across frames) into row memory R mod 3.");
        Expr wr = m.reg("wr", nb, "input row being written (global)");
        Expr wx = m.reg("wx", xb, "its column");
        Counter wg = Counter.of(m, "wg", g, "its group");
        Expr wslot = m.reg("wslot", 2, "R mod 3");
        Expr waddr = m.reg("waddr", ab, "column*" + g + " + group");

        m.comment("Reader: output row ry of the frame whose row 0 is input row fb; step j reads column j (j < W),"
                + " phase A emits output column 2(j-1), phase B 2(j-1)+1.");
        Expr fb = m.reg("fb", nb, "global input row of the frame's row 0");
        Expr ry = m.reg("ry", yb, "output row");
        Expr step = m.reg("step", jb, "0..W");
        Expr phaseB = m.reg("phase_b", 1, "second half of a step");
        Counter rg = Counter.of(m, "rg", g, "group of the beat");
        Expr raddr = m.reg("raddr", ab, "column*" + g + " + group of the next read");
        Expr ySlot = m.reg("y_slot", 2, "row memory of the near row ry/2");
        Expr vslot = m.reg("vslot", 2, "v memory of column j (j mod 3)");

        Expr near = m.wire("near", yb, "ry/2");
        m.assign(near, yb == 1 ? Rtl.u(1, 0) : Rtl.zext(ry.slice(yb - 1, 1), yb - 1, yb));
        Expr even = m.wire("even_row", 1, "");
        m.assign(even, ry.slice(0, 0).not());
        Expr farClamped = m.wire("far_clamped", 1, "the far row is the near row (edge)");
        m.assign(farClamped, mux(even, near.eq(Rtl.u(yb, 0)), near.eq(Rtl.u(yb, height - 1L))));
        Expr rmax = m.wire("rmax", nb, "global row the output row needs last");
        m.assign(rmax, fb.plus(Rtl.zext(near, yb, nb)).plus(Rtl.zext(even.not().and(farClamped.not()), 1, nb)));
        Expr rmin = m.wire("rmin", nb, "global row the output row needs first");
        m.assign(rmin, fb.plus(Rtl.zext(near, yb, nb)).minus(Rtl.zext(even.and(farClamped.not()), 1, nb)));

        Expr en = m.wire("en", 1, "the pipeline moves: the output is free or being taken");
        Expr outValidQ = m.reg("out_valid_q", 1, "");
        m.assign(en, outValidQ.not().or(outReady));
        Expr readStep = m.wire("read_step", 1, "this beat reads column j (phase A, j < W)");
        m.assign(readStep, phaseB.not().and(step.lt(Rtl.u(jb, width))));
        Expr emitBeat = m.wire("emit_beat", 1, "this beat emits (any beat but step 0)");
        m.assign(emitBeat, step.ne(Rtl.u(jb, 0)));
        // the column a read needs is written: rmax before the writer's row, or in it before its column
        Expr behind = m.wire("rows_ahead", nb, "wr - rmax");
        m.assign(behind, wr.minus(rmax));
        Expr have = m.wire("have", 1, "column j of row rmax is in");
        m.assign(have, behind.slice(nb - 1, nb - 1).not().and(behind.ne(Rtl.u(nb, 0)))
                .or(behind.eq(Rtl.u(nb, 0)).and(Rtl.zext(wx, xb, jb).gt(step))));
        Expr issue = m.wire("issue", 1, "");
        m.assign(issue, en.and(readStep.not().or(have)));
        // the writer's slot held row wr - 3: free once the reader is past every output row reading it
        Expr freeRows = m.wire("free_rows", nb, "rmin - (wr - 3)");
        m.assign(freeRows, rmin.minus(wr).plus(Rtl.u(nb, 3)));
        m.assign(inReady, freeRows.slice(nb - 1, nb - 1).not().and(freeRows.ne(Rtl.u(nb, 0))));
        Expr inFire = m.wire("in_fire", 1, "");
        m.assign(inFire, inValid.and(inReady));

        List<Expr> rows = new ArrayList<>();
        List<Expr> rowQ = new ArrayList<>();
        List<Statement> memOps = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            Expr mem = m.memory("row" + s, wb, words, s == 0 ? "input rows R with R mod 3 = slot" : "");
            rows.add(mem);
            Expr q = m.reg("row" + s + "_q", wb, "");
            rowQ.add(q);
            memOps.add(when(inFire.and(wslot.eq(Rtl.u(2, s))), nb(mem.at(waddr), inData)));
            memOps.add(when(issue.and(readStep), nb(q, mem.at(raddr))));
        }
        m.always("clk", memOps);

        m.comment("v(j) = 3*near + far of the column read last beat, into v memory j mod 3.");
        Expr vwValid = m.reg("vw_valid", 1, "row*_q hold a column read");
        Expr vwSlot = m.reg("vw_slot", 2, "");
        Expr vwGroup = g > 1 ? m.reg("vw_group", Bits.indexWidth(g), "") : null;
        Expr nearSel = m.reg("near_sel", 2, "row memory of the near row, for the read in row*_q");
        Expr farSel = m.reg("far_sel", 2, "");
        Expr nearWord = m.wire("near_word", wb, "");
        Expr farWord = m.wire("far_word", wb, "");
        m.assign(nearWord, pick3(nearSel, rowQ));
        m.assign(farWord, pick3(farSel, rowQ));
        Expr vNew = m.wire("v_new", vb, "");
        m.lanes("c", group, "vertical", c -> {
            Expr n = nearWord.part(c.times(num(bits)), bits);
            Expr f = farWord.part(c.times(num(bits)), bits);
            int w2 = vBits();
            return List.of(new ModuleItem.ContinuousAssign(vNew.part(c.times(num(w2)), w2),
                    threeAPlusB(n, f, bits, w2)));
        });
        Expr farSlot = m.wire("far_slot", 2, "");
        m.assign(farSlot, mux(farClamped, ySlot, mux(even, minus1(ySlot), plus1(ySlot))));
        Expr vWriteNow = vwValid.and(en);
        int gb = Bits.indexWidth(g);
        Expr grp = rg.value(gb);

        List<Expr> vWords = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            Expr word;
            if (g > 1) {
                Expr vm = m.memory("v" + s, vb, g, s == 0 ? "v of columns j with j mod 3 = slot, by group (LUTRAM)" : "");
                m.always("clk", List.of(when(vWriteNow.and(vwSlot.eq(Rtl.u(2, s))), nb(vm.at(vwGroup), vNew))));
                word = m.wire("v" + s + "_word", vb, "");
                m.assign(word, vm.at(grp));
            } else {
                word = m.reg("v" + s + "_q", vb, s == 0 ? "v of columns j with j mod 3 = slot" : "");
                m.always("clk", List.of(when(vWriteNow.and(vwSlot.eq(Rtl.u(2, s))), nb(word, vNew))));
            }
            // the word being written this very cycle reads as the new value
            Expr hit = vWriteNow.and(vwSlot.eq(Rtl.u(2, s))).and(g > 1 ? vwGroup.eq(grp) : bit(true));
            Expr fresh = m.wire("v" + s + "_fresh", vb, "");
            m.assign(fresh, mux(hit, vNew, word));
            vWords.add(fresh);
        }

        m.comment("Emit: 3*v(j-1) + v(j-2) in phase A, 3*v(j-1) + v(j) in phase B (clamped at the row's ends).");
        Expr prevSlot = minus1(vslot);
        Expr va = m.wire("va", vb, "v(j-1)");
        m.assign(va, pick3(prevSlot, vWords));
        Expr vbSlot = m.wire("vb_slot", 2, "");
        Expr firstCol = step.eq(Rtl.u(jb, 1));
        Expr lastStep = step.eq(Rtl.u(jb, width));
        m.assign(vbSlot, mux(phaseB, mux(lastStep, prevSlot, vslot), mux(firstCol, prevSlot, minus1(prevSlot))));
        Expr vbWord = m.wire("vb", vb, "v(j-2), v(j) or v(j-1) at the ends");
        m.assign(vbWord, pick3(vbSlot, vWords));
        Expr emitValue = m.wire("emit_value", ob, "");
        int w2 = vBits();
        m.lanes("k", group, "horizontal", c -> {
            Expr a = va.part(c.times(num(w2)), w2);
            Expr b = vbWord.part(c.times(num(w2)), w2);
            return List.of(new ModuleItem.ContinuousAssign(emitValue.part(c.times(num(outBits)), outBits),
                    threeAPlusB(a, b, w2, outBits)));
        });

        Expr outDataQ = m.reg("out_data_q", ob, "");
        Expr lastBeatOfPhase = rg.last();
        Expr stepDone = lastBeatOfPhase.and(phaseB.or(step.eq(Rtl.u(jb, 0))));
        Expr rowDone = stepDone.and(lastStep);
        Expr lastRow = ry.eq(Rtl.u(yb, 2L * height - 1));
        Expr nextY = even.not().or(lastRow); // ry odd (near row moves on) or the frame's end
        m.always("clk", List.of(
                when(issue.and(emitBeat), nb(outDataQ, emitValue)),
                when(issue, g > 1 ? List.of(nb(vwSlot, vslot), nb(vwGroup, grp), nb(nearSel, ySlot), nb(farSel, farSlot))
                        : List.of(nb(vwSlot, vslot), nb(nearSel, ySlot), nb(farSel, farSlot)), List.of()),
                when(rst, List.of(
                        nb(outValidQ, bit(false)), nb(vwValid, bit(false)),
                        nb(wr, Rtl.u(nb, 0)), nb(wx, Rtl.u(xb, 0)), nb(wslot, Rtl.u(2, 0)), nb(waddr, Rtl.u(ab, 0)),
                        nb(fb, Rtl.u(nb, 0)), nb(ry, Rtl.u(yb, 0)), nb(step, Rtl.u(jb, 0)), nb(phaseB, bit(false)),
                        nb(raddr, Rtl.u(ab, 0)), nb(ySlot, Rtl.u(2, 0)), nb(vslot, Rtl.u(2, 0))), List.of(
                        when(en, nb(outValidQ, issue.and(emitBeat)), nb(vwValid, issue.and(readStep))),
                        when(inFire, List.of(
                                nb(waddr, Rtl.wrapIncrement(waddr, ab, words - 1L)),
                                when(wg.last(), List.of(
                                        nb(wx, Rtl.wrapIncrement(wx, xb, width - 1L)),
                                        when(wx.eq(Rtl.u(xb, width - 1L)), nb(wr, wr.plus(Rtl.u(nb, 1))), nb(wslot, plus1(wslot)))),
                                        List.of())), List.of()),
                        when(issue, List.of(
                                when(readStep, nb(raddr, Rtl.wrapIncrement(raddr, ab, words - 1L))),
                                when(lastBeatOfPhase, List.of(
                                        when(phaseB.or(step.eq(Rtl.u(jb, 0))), List.of(
                                                nb(phaseB, bit(false)),
                                                nb(step, mux(lastStep, Rtl.u(jb, 0), step.plus(Rtl.u(jb, 1)))),
                                                nb(vslot, mux(lastStep, Rtl.u(2, 0), plus1(vslot)))), List.of(
                                                nb(phaseB, bit(true))))), List.of()),
                                when(rowDone, List.of(
                                        nb(ry, Rtl.wrapIncrement(ry, yb, 2L * height - 1)),
                                        when(nextY, nb(ySlot, plus1(ySlot))),
                                        when(lastRow, nb(fb, fb.plus(Rtl.u(nb, height))))), List.of())), List.of())))));
        wg.advance(m, rst, inFire);
        rg.advance(m, rst, issue);
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return List.of(m.build());
    }

    private static Expr plus1(Expr slot) {
        return mux(slot.eq(Rtl.u(2, 2)), Rtl.u(2, 0), slot.plus(Rtl.u(2, 1)));
    }

    private static Expr minus1(Expr slot) {
        return mux(slot.eq(Rtl.u(2, 0)), Rtl.u(2, 2), slot.minus(Rtl.u(2, 1)));
    }

    private static Expr pick3(Expr sel, List<Expr> words) {
        return mux(sel.eq(Rtl.u(2, 0)), words.get(0), mux(sel.eq(Rtl.u(2, 1)), words.get(1), words.get(2)));
    }

    /**
     * 3a + b at {@code w} bits for signed {@code from}-bit a and b, as 2a + a + b: written with a
     * multiplication, synthesis maps each to a DSP slice with its post-adder (one per code and stage).
     */
    private static Expr threeAPlusB(Expr a, Expr b, int from, int w) {
        Expr twoA = Expr.concat(Rtl.sext(a, from, w - 1), Rtl.u(1, 0));
        return twoA.plus(Rtl.sext(a, from, w)).plus(Rtl.sext(b, from, w));
    }
}
