package unetq.hw.block;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.num;
import static unetq.verilog.Expr.ref;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import unetq.golden.Bits;
import unetq.golden.ConvWeights;
import unetq.golden.LongRange;
import unetq.golden.QFormat;
import unetq.hw.cost.CostModel;
import unetq.hw.cost.Device;
import unetq.hw.design.MemH;
import unetq.hw.schedule.Folding;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;
import unetq.verilog.Statement;

/**
 * A streaming 3x3 "same" convolution with requantization, on channel groups: the RTL twin of
 * {@link unetq.golden.ConvLayer} (FINN's ConvolutionInputGenerator + MVAU). In: SIMD channels a
 * beat, Cin/SIMD beats a pixel. Out: PE output codes a beat, Cout/PE beats a pixel.
 * <pre>
 *   SlidingWindow -&gt; fold controller (weight ROM, input buffer) -&gt; MacArray(PE x SIMD) -&gt; R requantizers -&gt; out
 * </pre>
 * For each window the controller runs NF = Cout/PE passes of SF = 9·Cin/SIMD beats: the first pass
 * takes the window's beats from the window generator and keeps them in an input buffer, the others
 * read them back, so a pixel takes NF·SF cycles. The weight ROM ({@code <name>_weights.memh}) holds
 * PE x SIMD codes a word, in pass-major order. The PE sums of a pass are requantized by R shared
 * requantizers, R = the fewest that finish before the next pass's sums (PE/R &lt;= SF - 1), with
 * their parameters from {@code <name>_params.memh}.
 */
public final class ConvLayer implements HardwareBlock {
    private final String name;
    private final unetq.golden.ConvLayer layer;
    private final int height;
    private final int width;
    private final Folding folding;
    private final SlidingWindow window;
    private final MacArray mac;
    private final Requantizer requant;
    private final int units;

    public ConvLayer(String name, unetq.golden.ConvLayer layer, int height, int width, Folding folding) {
        this(name, layer, height, width, folding, 0);
    }

    /** @param slackRows extra rows in the window buffer, for an input that arrives in row bursts ({@link SlidingWindow}) */
    public ConvLayer(String name, unetq.golden.ConvLayer layer, int height, int width, Folding folding, int slackRows) {
        ConvWeights w = layer.weights();
        if (w.kernel() != 3) {
            throw new IllegalArgumentException(name + ": the streaming conv block takes 3x3 kernels");
        }
        this.name = name;
        this.layer = layer;
        this.height = height;
        this.width = width;
        this.folding = folding.requireFits(w.outChannels(), w.inChannels());
        QFormat in = layer.inputFormat();
        int actBits = actBits(in);
        this.window = new SlidingWindow(name + "_swg", w.inChannels(), folding.simd(), actBits, height, width, slackRows);
        long amax = Math.max(in.maxCode(), -in.minCode());
        long wmax = 0;
        for (int o = 0; o < w.outChannels(); o++) {
            for (int e = 0; e < w.fanIn(); e++) {
                wmax = Math.max(wmax, Math.abs(w.windowWeight(o, e)));
            }
        }
        wmax = Math.max(wmax, 1);
        // bound by the format, not this model's weights: the RTL stays the same when only weights change
        wmax = Math.max(wmax, Math.max(layer.weightFormat().maxCode(), -layer.weightFormat().minCode()));
        int wb = layer.weightFormat().hardwareBits();
        this.mac = new MacArray(name + "_mac", folding.pe(), folding.simd(), actBits, wb,
                layer.accumulatorRange().signedWidth(), amax, wmax,
                MacArray.form(folding.mac(), folding.pe(), folding.simd(), actBits, wb, amax, wmax));
        this.requant = new Requantizer(name + "_requant", layer.requantizer(), layer.accumulatorRange(), folding.requantInLuts());
        this.units = requantUnits(folding.pe(), sf());
    }

    /** Bits of an input code in the MAC: the format's, plus a zero sign bit for the unsigned image. */
    public static int actBits(QFormat in) {
        return in.hardwareBits() + (in.isSigned() ? 0 : 1);
    }

    /** Fewest requantizers (a divisor of PE) that requantize a pass's PE sums before the next pass's arrive. */
    static int requantUnits(int pe, int sf) {
        for (int r = 1; r <= pe; r++) {
            if (pe % r == 0 && pe / r <= Math.max(1, sf - 1)) {
                return r;
            }
        }
        return pe;
    }

    private int nf() {
        return folding.outputGroups(layer.weights().outChannels());
    }

    private int sf() {
        return folding.beatsPerGroup(layer.weights().inChannels());
    }

    /** Requantizers the layer instantiates. */
    public int requantUnits() {
        return units;
    }

    public MacArray mac() {
        return mac;
    }

    public SlidingWindow window() {
        return window;
    }

    @Override
    public List<Memory> memories() {
        List<Memory> m = new ArrayList<>(window.memories());
        int wordBits = folding.pe() * folding.simd() * mac.wgtBits();
        m.add(new Memory(name + ".weight_rom", romHead(), wordBits));
        if (romTail() > 0) {
            m.add(new Memory(name + ".weight_tail", romTail(), wordBits));
        }
        if (nf() > 1) {
            m.add(new Memory(name + ".ibuf", sf(), folding.simd() * mac.actBits()));
        }
        m.add(new Memory(name + ".param_rom", layer.weights().outChannels() / units, units * requant.paramBits()));
        return m;
    }

    @Override
    public long multipliers() {
        return mac.multipliers();
    }

    /**
     * Window, MAC array and requantizers plus the controller's counters, the input-buffer select and
     * the requantizers' lane and slot selects (docs/hardware.md: the Yosys fit).
     */
    @Override
    public long logicLuts() {
        int steps = folding.pe() / units;
        long select = steps > 1 ? (long) units * (mac.accBits() + requant.outBits()) * steps / 2 : 0;
        long ibufSelect = nf() > 1 ? (long) folding.simd() * mac.actBits() : 0;
        // a weight ROM with a tail: the select of the word read, and the address compare and offset
        long tailSelect = romTail() > 0 ? (long) folding.pe() * folding.simd() * mac.wgtBits() + 3L * Bits.indexWidth(nf() * sf()) : 0;
        return window.logicLuts() + mac.logicLuts() + units * requant.logicLuts() + select + ibufSelect + tailSelect + 70;
    }

    @Override
    public long redundantRegisterBits() {
        // Yosys moves the item counter into the parameter ROM's read (memory_dff) and builds the ROM with a
        // registered word: flip-flops the RTL does not declare (measured 36 for a 41-bit word, its constant bits dropped)
        long paramWord = layer.weights().outChannels() / units > 1 ? (long) units * requant.paramBits() : 0;
        return mac.redundantRegisterBits() - paramWord;
    }

    @Override
    public double ice40LogicLuts() {
        return window.ice40LogicLuts() + mac.ice40LogicLuts()
                + CostModel.ICE40_LUT_FACTOR * (logicLuts() - window.logicLuts() - mac.logicLuts());
    }

    @Override
    public long dsps(Device.Family family) {
        return mac.dsps(family) + units * requant.dsps(family);
    }

    @Override
    public long dspProductBits(Device.Family family) {
        return mac.dspProductBits(family) + units * requant.dspProductBits(family);
    }

    @Override
    public String name() {
        return name;
    }

    public Folding folding() {
        return folding;
    }

    /** DSPs the requantizer products take when they are not built from LUTs, and their a·b bits. */
    public long requantProductDsps(Device.Family family) {
        return units * requant.productDsps(family);
    }

    public long requantProductBits() {
        return units * requant.productBits();
    }

    public unetq.golden.ConvLayer layer() {
        return layer;
    }

    /** Bits of one output beat: PE codes. */
    public int outputBits() {
        return folding.pe() * requant.outBits();
    }

    /** Bits of one input beat: SIMD codes. */
    public int inputBits() {
        return folding.simd() * mac.actBits();
    }

    public int outputCodeBits() {
        return requant.outBits();
    }

    public int accumulatorBits() {
        return mac.accBits();
    }

    /** Cycles per output pixel: NF x SF. */
    @Override
    public long cyclesPerOutput() {
        return folding.cyclesPerPixel(layer.weights().outChannels(), layer.weights().inChannels());
    }

    /** Cycles for a frame once the pipeline is full. */
    public long cyclesPerFrame() {
        return (long) height * width * cyclesPerOutput();
    }

    public String weightFile() {
        return name + "_weights.memh";
    }

    /** The weight ROM's words past the head, in a ROM of their own ({@link #romTail()} > 0). */
    public String weightTailFile() {
        return name + "_weights_tail.memh";
    }

    /**
     * Words of the weight ROM's head: all of them, or, when the ROM is deeper than 512 by at most
     * 256 words past a multiple of 512, that multiple. Block RAM comes in 512-row banks (512 x 36):
     * 1152 words of 384 bits take 3 banks of 11 RAMB18, 1024 take 22 RAMB18 as 1024 x 18, and the
     * last 128 words cost 2 LUTs a bit in logic (plus the select).
     */
    int romHead() {
        int words = nf() * sf();
        int tail = words % 512;
        return words > 512 && tail > 0 && tail <= 256 ? words - tail : words;
    }

    /** Words in the weight ROM's tail (0: no tail). */
    int romTail() {
        return nf() * sf() - romHead();
    }

    public String paramFile() {
        return name + "_params.memh";
    }

    @Override
    public Map<String, String> memoryFiles() {
        Map<String, String> files = new TreeMap<>();
        ConvWeights w = layer.weights();
        int pe = folding.pe();
        int simd = folding.simd();
        int wb = mac.wgtBits();
        int groups = w.inChannels() / simd;
        List<BigInteger> words = new ArrayList<>();
        for (int n = 0; n < nf(); n++) {
            for (int s = 0; s < sf(); s++) {
                // beat s of a window: tap s / groups, channels (s % groups)*SIMD ..; window element e = tap*Cin + channel
                int tap = s / groups;
                int c0 = (s % groups) * simd;
                long[] v = new long[pe * simd];
                int[] widths = new int[pe * simd];
                for (int r = 0; r < pe; r++) {
                    for (int c = 0; c < simd; c++) {
                        v[r * simd + c] = w.windowWeight(n * pe + r, tap * w.inChannels() + c0 + c);
                        widths[r * simd + c] = wb;
                    }
                }
                words.add(MemH.pack(v, widths));
            }
        }
        files.put(weightFile(), MemH.file(name + " weights: word = pass*" + sf() + " + beat; lane r, element c at bit (r*"
                + simd + "+c)*" + wb, words.subList(0, romHead()), pe * simd * wb));
        if (romTail() > 0) {
            files.put(weightTailFile(), MemH.file(name + " weights, words " + romHead() + " .. " + (romHead() + romTail() - 1)
                    + " (word = pass*" + sf() + " + beat - " + romHead() + ")", words.subList(romHead(), words.size()), pe * simd * wb));
        }
        List<BigInteger> params = new ArrayList<>();
        int[] pw = requant.paramWidths();
        for (int item = 0; item < w.outChannels() / units; item++) {
            long[] v = new long[3 * units];
            int[] widths = new int[3 * units];
            for (int u = 0; u < units; u++) {
                long[] f = requant.paramFields(item * units + u);
                System.arraycopy(f, 0, v, 3 * u, 3);
                System.arraycopy(pw, 0, widths, 3 * u, 3);
            }
            params.add(MemH.pack(v, widths));
        }
        files.put(paramFile(), MemH.file(name + " requantizer parameters: word = channel / " + units + "; unit u = {offset, mult, bias}"
                + " at bit u*" + requant.paramBits(), params, units * requant.paramBits()));
        return files;
    }

    @Override
    public List<Module> modules() {
        List<Module> modules = new ArrayList<>();
        modules.addAll(window.modules());
        modules.addAll(mac.modules());
        modules.addAll(requant.modules());
        modules.add(top());
        return modules;
    }

    private Module top() {
        ConvWeights w = layer.weights();
        int pe = folding.pe();
        int simd = folding.simd();
        int ab = mac.actBits();
        int nf = nf();
        int sf = sf();
        int wordBits = pe * simd * mac.wgtBits();
        int ob = requant.outBits();
        int accBits = mac.accBits();
        int beatBits = simd * ab;
        int steps = pe / units;
        int pb = requant.paramBits();
        int romWords = nf * sf;
        int romBits = Bits.indexWidth(romWords);

        Module.Builder m = Module.builder(name).description(
                "ConvLayer " + name + ": 3x3 conv " + w.inChannels() + " -> " + w.outChannels() + " channels on "
                        + height + "x" + width + ", PE " + pe + " SIMD " + simd + ": " + nf + " pass(es) of " + sf
                        + " beats, " + cyclesPerOutput() + " cycles a pixel; products " + mac.form() + "; " + units
                        + " requantizer(s).\nFormats: input " + layer.inputFormat().describe() + "; weights "
                        + layer.weightFormat().describe() + "; sums " + accBits + " bits; output "
                        + layer.outputFormat().describe() + ".");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        m.input("in_valid", 1, "channel group offered (pixels in raster order)");
        m.output("in_ready", 1, "taken when valid && ready");
        m.input("in_data", beatBits, simd + " x " + ab + "-bit codes, channel c of the group at bit c*" + ab);
        Expr outValid = m.output("out_valid", 1, "output group offered");
        Expr outReady = m.input("out_ready", 1, "taken when valid && ready");
        Expr outData = m.output("out_data", outputBits(), pe + " x " + ob + "-bit codes, channel c of the group at bit c*" + ob);

        Expr winValid = m.wire("win_valid", 1, "");
        Expr winReady = m.wire("win_ready", 1, "");
        Expr winData = m.wire("win_data", beatBits, "");
        m.add(new ModuleItem.Instance(window.name(), "swg", Map.of(),
                StreamPorts.clocked().stream("in", "in").stream("out", "win").map(), "3x3 windows, " + 9 * (w.inChannels() / simd)
                        + " beats each"));

        m.comment("Fold controller: per window, " + nf + " pass(es) x " + sf + " beat(s); the first pass reads the window.");
        Counter pass = Counter.of(m, "pass", nf, "pass (output-channel group) of the next beat");
        Counter beat = Counter.of(m, "beat", sf, "window beat of the next beat");
        Expr addr = m.reg("addr", romBits, "weight ROM address = pass*" + sf + " + beat");
        int head = romHead();
        int tail = romTail();
        Expr rom = m.memory("weight_rom", wordBits, head, pe + " x " + simd + " weight codes a word");
        m.add(new ModuleItem.ReadMemH(weightFile(), "weight_rom"));
        Expr romQ;
        List<Statement> romRead;
        if (tail == 0) {
            romQ = m.reg("rom_q", wordBits, "registered ROM read (block RAM)");
            romRead = List.of(nb(romQ, rom.at(addr)));
        } else {
            // words head .. head + tail - 1 in a small ROM of their own (logic), the head's depth a multiple of 512
            int hb = Bits.indexWidth(head);
            int tb = Bits.indexWidth(tail);
            Expr tailRom = m.memory("weight_tail", wordBits, tail, "words " + head + " .. " + (head + tail - 1));
            m.add(new ModuleItem.ReadMemH(weightTailFile(), "weight_tail"));
            Expr inTail = m.wire("in_tail", 1, "the address is in the tail ROM");
            Expr headAddr = m.wire("head_addr", hb, "the head's address (any value while the tail is read)");
            Expr tailAddr = m.wire("tail_addr", tb, "address - " + head + ", modulo 2^" + tb + " (any value while the head is read)");
            // both ROMs read every cycle and tail_sel picks one: muxing their addresses instead cost Yosys a
            // third more LUTs for a 1024 x 96 ROM in logic (the address bits no longer fed its LUTs directly)
            m.assign(inTail, addr.ge(Rtl.u(romBits, head)));
            m.assign(headAddr, addr.slice(hb - 1, 0));
            long headLow = head & ((1L << tb) - 1);
            m.assign(tailAddr, headLow == 0 ? addr.slice(tb - 1, 0) : addr.slice(tb - 1, 0).minus(Rtl.u(tb, headLow)));
            Expr headQ = m.reg("head_q", wordBits, "registered head read (block RAM)");
            Expr tailQ = m.reg("tail_q", wordBits, "registered tail read");
            Expr tailSel = m.reg("tail_sel", 1, "");
            romQ = m.wire("rom_q", wordBits, "the word read");
            m.assign(romQ, mux(tailSel, tailQ, headQ));
            romRead = List.of(nb(headQ, rom.at(headAddr)), nb(tailQ, tailRom.at(tailAddr)), nb(tailSel, inTail));
        }
        Expr opValid = m.reg("op_valid", 1, "an operand beat waits for the MAC array");
        Expr inQ = m.reg("in_q", beatBits, "the window beat of the first pass");
        Expr opFirst = m.reg("op_first", 1, "");
        Expr opLast = m.reg("op_last", 1, "");
        Expr macInReady = m.wire("mac_in_ready", 1, "");
        Expr free = m.wire("free", 1, "the operand register is empty or being taken");
        Expr issue = m.wire("issue", 1, "read the next weights and activations");
        m.assign(free, opValid.not().or(macInReady));
        m.assign(winReady, free.and(pass.first()));
        m.assign(issue, free.and(winValid.or(pass.first().not())));
        Expr opAct = m.wire("op_act", beatBits, "activations of the operand beat");
        List<Statement> onIssue = new ArrayList<>(List.of(
                nb(addr, Rtl.wrapIncrement(addr, romBits, romWords - 1L)),
                nb(opFirst, beat.first()),
                nb(opLast, beat.last())));
        onIssue.addAll(romRead);
        if (nf > 1) {
            Expr ibuf = m.memory("ibuf", beatBits, sf, "the window's beats, for the passes after the first");
            Expr ibufQ = m.reg("ibuf_q", beatBits, "registered input-buffer read");
            Expr fromWindow = m.reg("from_window", 1, "the operand beat came from the window (first pass)");
            Expr beatIdx = m.wire("beat_index", Bits.indexWidth(sf), "");
            m.assign(beatIdx, beat.value(Bits.indexWidth(sf)));
            onIssue.add(when(pass.first(), List.of(nb(inQ, winData), nb(ibuf.at(beatIdx), winData)), List.of(nb(ibufQ, ibuf.at(beatIdx)))));
            onIssue.add(nb(fromWindow, pass.first()));
            m.assign(opAct, mux(fromWindow, inQ, ibufQ));
        } else {
            onIssue.add(nb(inQ, winData));
            m.assign(opAct, inQ);
        }
        m.always("clk", List.of(
                when(issue, onIssue, List.of()),
                when(rst, List.of(nb(opValid, bit(false)), nb(addr, Rtl.u(romBits, 0))), List.of(
                        when(issue, List.of(nb(opValid, bit(true))), List.of(when(macInReady, nb(opValid, bit(false)))))))));
        pass.advance(m, rst, issue.and(beat.last()));
        beat.advance(m, rst, issue);

        Expr macValid = m.wire("mac_valid", 1, "");
        Expr macReady = m.wire("mac_ready", 1, "");
        Expr macAcc = m.wire("mac_acc", pe * accBits, "");
        Map<String, Expr> macPorts = new LinkedHashMap<>();
        macPorts.put("clk", ref("clk"));
        macPorts.put("rst", rst);
        macPorts.put("in_valid", opValid);
        macPorts.put("in_ready", macInReady);
        macPorts.put("in_first", opFirst);
        macPorts.put("in_last", opLast);
        macPorts.put("in_act", opAct);
        macPorts.put("in_wgt", romQ);
        macPorts.put("out_valid", macValid);
        macPorts.put("out_ready", macReady);
        macPorts.put("out_acc", macAcc);
        m.add(new ModuleItem.Instance(mac.name(), "mac", Map.of(), macPorts, pe + " x " + simd + " MAC array"));

        m.comment("Requantize the PE sums, " + units + " at a time over " + steps + " step(s), into the output group.");
        Expr outValidQ = m.reg("out_valid_q", 1, "a complete output group waits");
        Expr outDataQ = m.reg("out_data_q", outputBits(), "");
        Expr en = m.wire("en", 1, "the output register is free or being taken");
        m.assign(en, outValidQ.not().or(outReady));
        Counter step = Counter.of(m, "step", steps, "which " + units + " lane(s) of the sums are requantized now");
        Expr go = m.wire("go", 1, "requantize a step");
        m.assign(go, macValid.and(en));
        m.assign(macReady, go.and(step.last()));
        int items = w.outChannels() / units;
        Counter item = Counter.of(m, "item", items, "parameter word of this step: channel / " + units);
        Expr paramRom = m.memory("param_rom", units * pb, items, "requantizer parameters");
        m.add(new ModuleItem.ReadMemH(paramFile(), "param_rom"));
        Expr params = m.wire("params", units * pb, "");
        m.assign(params, item.reg() == null ? paramRom.at(0) : paramRom.at(item.reg()));
        Expr lanes;
        if (steps > 1) {
            lanes = m.reg("lanes", units * accBits, "the sums of this step's lanes");
            m.alwaysComb(List.of(select(lanes, step, steps, units * accBits, macAcc)));
        } else {
            lanes = macAcc;
        }
        Expr codes = m.wire("codes", units * ob, "requantized codes of this step");
        int[] pw = requant.paramWidths();
        m.lanes("u", units, "unit", u -> {
            Map<String, Expr> rq = new LinkedHashMap<>();
            rq.put("acc", lanes.part(u.times(num(accBits)), accBits));
            rq.put("bias", params.part(u.times(num(pb)), pw[0]));
            rq.put("mult", params.part(u.times(num(pb)).plus(num(pw[0])), pw[1]));
            rq.put("offset", params.part(u.times(num(pb)).plus(num(pw[0] + pw[1])), pw[2]));
            rq.put("q", codes.part(u.times(num(ob)), ob));
            return List.of(new ModuleItem.Instance(requant.name(), "requant", Map.of(), rq, ""));
        });
        m.always("clk", List.of(
                when(go, List.of(slotWrite(outDataQ, step, steps, units * ob, codes)), List.of()),
                when(rst, List.of(nb(outValidQ, bit(false))), List.of(
                        when(go.and(step.last()), List.of(nb(outValidQ, bit(true))), List.of(
                                when(outReady, nb(outValidQ, bit(false)))))))));
        step.advance(m, rst, go);
        item.advance(m, rst, go);
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return m.build();
    }

    /** {@code lanes = sums[step]}: a case over the steps with constant slices (a word mux). */
    private static Statement select(Expr lanes, Counter step, int steps, int slot, Expr sums) {
        List<Statement.CaseItem> items = new ArrayList<>();
        for (int s = 0; s < steps - 1; s++) {
            items.add(new Statement.CaseItem(List.of(step.label(s)), List.of(Statement.set(lanes, sums.slice((s + 1) * slot - 1, s * slot)))));
        }
        return new Statement.Case(step.reg(), items, List.of(Statement.set(lanes, sums.slice(steps * slot - 1, (steps - 1) * slot))));
    }

    /** {@code out[step] <= codes}: a case over the steps with constant slices. */
    private static Statement slotWrite(Expr out, Counter step, int steps, int slot, Expr codes) {
        if (steps == 1) {
            return nb(out, codes);
        }
        List<Statement.CaseItem> items = new ArrayList<>();
        for (int s = 0; s < steps - 1; s++) {
            items.add(new Statement.CaseItem(List.of(step.label(s)), List.of(nb(out.slice((s + 1) * slot - 1, s * slot), codes))));
        }
        return new Statement.Case(step.reg(), items, List.of(nb(out.slice(steps * slot - 1, (steps - 1) * slot), codes)));
    }

    /** Packs one input beat (SIMD channel codes) as the in_data port expects. */
    public BigInteger packInput(long[] channelCodes) {
        int[] widths = new int[channelCodes.length];
        java.util.Arrays.fill(widths, mac.actBits());
        return MemH.pack(channelCodes, widths);
    }

    /** Unpacks one output beat into its PE signed codes. */
    public long[] unpackOutput(BigInteger beat) {
        int ob = requant.outBits();
        long[] codes = new long[folding.pe()];
        for (int c = 0; c < codes.length; c++) {
            long raw = beat.shiftRight(c * ob).and(BigInteger.ONE.shiftLeft(ob).subtract(BigInteger.ONE)).longValue();
            codes[c] = Bits.signExtend(raw, ob);
        }
        return codes;
    }
}
