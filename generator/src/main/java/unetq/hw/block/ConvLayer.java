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
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;
import unetq.verilog.Statement;
import unetq.hw.cost.CostModel;
import unetq.hw.cost.Device;
import unetq.hw.design.MemH;
import unetq.hw.schedule.Folding;

/**
 * A streaming 3x3 "same" convolution with requantization: the RTL twin of
 * {@link unetq.golden.ConvLayer}. Pixels in (all Cin channels per beat), pixels out (all Cout
 * output codes per beat), valid/ready at both ends.
 * <pre>
 *   SlidingWindow -&gt; fold controller + weight ROM -&gt; MacArray(PE x SIMD) -&gt; PE x Requantizer -&gt; collector
 * </pre>
 * For each window the controller walks Cout/PE output groups, each in 9*Cin/SIMD beats, so a pixel
 * takes (Cout/PE)*(9*Cin/SIMD) cycles. Weights sit in a ROM (one word per beat: PE x SIMD codes)
 * loaded from {@code <name>_weights.memh}; requantizer parameters per group from
 * {@code <name>_params.memh}.
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

    public ConvLayer(String name, unetq.golden.ConvLayer layer, int height, int width, Folding folding) {
        ConvWeights w = layer.weights();
        if (w.kernel() != 3) {
            throw new IllegalArgumentException(name + ": the streaming conv block takes 3x3 kernels");
        }
        this.name = name;
        this.layer = layer;
        this.height = height;
        this.width = width;
        this.folding = folding.requireFits(w.outChannels(), w.fanIn());
        int actBits = layer.inputFormat().hardwareBits() + (layer.inputFormat().isSigned() ? 0 : 1);
        LongRange acc = layer.accumulatorRange();
        this.window = new SlidingWindow(name + "_swg", w.inChannels(), actBits, height, width);
        this.mac = new MacArray(name + "_mac", folding.pe(), folding.simd(), actBits,
                layer.weightFormat().hardwareBits(), acc.signedWidth());
        this.requant = new Requantizer(name + "_requant", layer.requantizer(), acc, this.folding.requantInLuts());
    }

    @Override
    public List<Memory> memories() {
        List<Memory> m = new ArrayList<>(window.memories());
        m.add(new Memory(name + ".weight_rom", (long) groups() * beats(), folding.pe() * folding.simd() * mac.wgtBits()));
        m.add(new Memory(name + ".param_rom", groups(), folding.pe() * requant.paramBits()));
        return m;
    }

    @Override
    public long multipliers() {
        return mac.multipliers();
    }

    /**
     * Window, MAC array and requantizers plus the fold controller: the activation select (a word
     * mux of beats x chunk bits), counters and the output collector. Coefficients fitted on Yosys xc7
     * over the sweep's conv layers (docs/estimation.md).
     */
    @Override
    public long logicLuts() {
        int chunk = folding.simd() * mac.actBits();
        long own = Math.round(0.529 * chunk * (beats() - 1) + 86);
        return window.logicLuts() + mac.logicLuts() + folding.pe() * requant.logicLuts() + own;
    }

    @Override
    public double ice40LogicLuts() {
        return window.ice40LogicLuts() + mac.ice40LogicLuts()
                + CostModel.ICE40_LUT_FACTOR * (logicLuts() - window.logicLuts() - mac.logicLuts());
    }

    @Override
    public long dsps(Device.Family family) {
        return mac.dsps(family) + folding.pe() * requant.dsps(family);
    }

    @Override
    public long dspProductBits(Device.Family family) {
        return mac.dspProductBits(family) + folding.pe() * requant.dspProductBits(family);
    }

    @Override
    public String name() {
        return name;
    }

    public Folding folding() {
        return folding;
    }

    /** DSPs one requantizer product takes when it is not built from LUTs, and its a·b bits. */
    public long requantProductDsps(Device.Family family) {
        return folding.pe() * requant.productDsps(family);
    }

    public long requantProductBits() {
        return requant.productBits();
    }

    public unetq.golden.ConvLayer layer() {
        return layer;
    }

    public int outputBits() {
        return layer.weights().outChannels() * requant.outBits();
    }

    public int accumulatorBits() {
        return mac.accBits();
    }

    @Override
    public long cyclesPerOutput() {
        return folding.cyclesPerPixel(layer.weights().outChannels(), layer.weights().fanIn());
    }

    /** Cycles for a frame once the pipeline is full; the window generator adds 2 idle cycles per frame. */
    public long cyclesPerFrame() {
        long body = (long) height * width * cyclesPerOutput();
        return cyclesPerOutput() == 1 ? body + 2 : body;
    }

    public String weightFile() {
        return name + "_weights.memh";
    }

    public String paramFile() {
        return name + "_params.memh";
    }

    private int groups() {
        return folding.outputGroups(layer.weights().outChannels());
    }

    private int beats() {
        return folding.beatsPerGroup(layer.weights().fanIn());
    }

    @Override
    public Map<String, String> memoryFiles() {
        Map<String, String> files = new TreeMap<>();
        ConvWeights w = layer.weights();
        int pe = folding.pe();
        int simd = folding.simd();
        int wb = mac.wgtBits();
        List<BigInteger> words = new ArrayList<>();
        for (int g = 0; g < groups(); g++) {
            for (int s = 0; s < beats(); s++) {
                long[] v = new long[pe * simd];
                int[] widths = new int[pe * simd];
                for (int r = 0; r < pe; r++) {
                    for (int c = 0; c < simd; c++) {
                        v[r * simd + c] = w.windowWeight(g * pe + r, s * simd + c);
                        widths[r * simd + c] = wb;
                    }
                }
                words.add(MemH.pack(v, widths));
            }
        }
        files.put(weightFile(), MemH.file(name + " weights: word = group*" + beats() + " + beat; lane r, element c"
                + " at bit (r*" + simd + "+c)*" + wb, words, pe * simd * wb));
        List<BigInteger> params = new ArrayList<>();
        int[] pwidths = requant.paramWidths();
        for (int g = 0; g < groups(); g++) {
            long[] v = new long[3 * pe];
            int[] widths = new int[3 * pe];
            for (int r = 0; r < pe; r++) {
                long[] f = requant.paramFields(g * pe + r);
                System.arraycopy(f, 0, v, 3 * r, 3);
                System.arraycopy(pwidths, 0, widths, 3 * r, 3);
            }
            params.add(MemH.pack(v, widths));
        }
        files.put(paramFile(), MemH.file(name + " requantizer parameters per group: lane r = {offset, mult, bias}"
                + " at bit r*" + requant.paramBits(), params, pe * requant.paramBits()));
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
        int groups = groups();
        int beats = beats();
        int gBits = Bits.indexWidth(groups);
        int sBits = Bits.indexWidth(beats);
        int addrBits = Bits.indexWidth((long) groups * beats);
        int wordBits = pe * simd * mac.wgtBits();
        int ob = requant.outBits();
        int chunk = simd * ab;
        int winBits = window.windowBits();

        Module.Builder m = Module.builder(name).description(
                "ConvLayer " + name + ": 3x3 conv " + w.inChannels() + " -> " + w.outChannels() + " channels on "
                        + height + "x" + width + ", folding PE=" + pe + " SIMD=" + simd + " ("
                        + cyclesPerOutput() + " cycles/pixel).\n"
                        + "Formats: input " + layer.inputFormat().describe() + "; weights "
                        + layer.weightFormat().describe() + "; accumulator " + mac.accBits() + " bits; output "
                        + layer.outputFormat().describe() + ".");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        m.input("in_valid", 1, "pixel offered (raster order)");
        m.output("in_ready", 1, "pixel accepted when valid && ready");
        m.input("in_data", window.pixelBits(), w.inChannels() + " x " + ab + "-bit codes, channel c at bit c*" + ab);
        Expr outValid = m.output("out_valid", 1, "output pixel offered");
        Expr outReady = m.input("out_ready", 1, "output pixel taken when valid && ready");
        Expr outData = m.output("out_data", outputBits(), w.outChannels() + " x " + ob + "-bit codes, channel c at bit c*" + ob);

        Expr winValid = m.wire("win_valid", 1, "");
        Expr winReady = m.wire("win_ready", 1, "the controller is done with this window");
        Expr winData = m.wire("win_data", winBits, "");
        m.add(new ModuleItem.Instance(window.name(), "swg", Map.of(),
                StreamPorts.clocked().stream("in", "in").stream("out", "win").map(), "3x3 windows with zero padding"));

        m.comment("Fold controller: per window, " + groups + " output group(s) x " + beats + " beat(s).");
        Expr group = m.reg("group", gBits, "output-channel group of the next beat");
        Expr beat = m.reg("beat", sBits, "window chunk of the next beat");
        Expr addr = m.reg("addr", addrBits, "weight ROM address = group*" + beats + " + beat");
        Expr rom = m.memory("weight_rom", wordBits, groups * beats, pe + " x " + simd + " weight codes per word");
        m.add(new ModuleItem.ReadMemH(weightFile(), "weight_rom"));
        Expr romData = m.reg("rom_data", wordBits, "registered ROM read (block RAM)");
        Expr opValid = m.reg("op_valid", 1, "an operand beat waits for the MAC array");
        Expr opAct = m.reg("op_act", chunk, "activations of that beat");
        Expr opFirst = m.reg("op_first", 1, "");
        Expr opLast = m.reg("op_last", 1, "");
        Expr macInReady = m.wire("mac_in_ready", 1, "");
        Expr issue = m.wire("issue", 1, "read the next weights and activations");
        Expr lastBeat = m.wire("last_beat", 1, "");
        Expr lastGroup = m.wire("last_group", 1, "");
        m.assign(lastBeat, beat.eq(Rtl.u(sBits, beats - 1L)));
        m.assign(lastGroup, group.eq(Rtl.u(gBits, groups - 1L)));
        m.assign(issue, winValid.and(opValid.not().or(macInReady)));
        m.assign(winReady, issue.and(lastBeat).and(lastGroup));
        m.always("clk", List.of(
                when(issue, List.of(
                        nb(beat, Rtl.wrapIncrement(beat, sBits, beats - 1L)),
                        when(lastBeat, nb(group, Rtl.wrapIncrement(group, gBits, groups - 1L))),
                        nb(addr, Rtl.wrapIncrement(addr, addrBits, (long) groups * beats - 1)),
                        nb(romData, rom.at(addr)),
                        actSelect(winData, beat, sBits, beats, chunk, opAct),
                        nb(opFirst, beat.eq(Rtl.u(sBits, 0))),
                        nb(opLast, lastBeat)), List.of()),
                when(rst, List.of(nb(opValid, bit(false)), nb(beat, Rtl.u(sBits, 0)), nb(group, Rtl.u(gBits, 0)),
                        nb(addr, Rtl.u(addrBits, 0))), List.of(
                        when(issue, List.of(nb(opValid, bit(true))), List.of(
                                when(macInReady, nb(opValid, bit(false)))))))));

        Expr macOutValid = m.wire("mac_out_valid", 1, "");
        Expr macOutReady = m.wire("mac_out_ready", 1, "");
        Expr macAcc = m.wire("mac_acc", pe * mac.accBits(), "");
        Map<String, Expr> macPorts = new LinkedHashMap<>();
        macPorts.put("clk", ref("clk"));
        macPorts.put("rst", rst);
        macPorts.put("in_valid", opValid);
        macPorts.put("in_ready", macInReady);
        macPorts.put("in_first", opFirst);
        macPorts.put("in_last", opLast);
        macPorts.put("in_act", opAct);
        macPorts.put("in_wgt", romData);
        macPorts.put("out_valid", macOutValid);
        macPorts.put("out_ready", macOutReady);
        macPorts.put("out_acc", macAcc);
        m.add(new ModuleItem.Instance(mac.name(), "mac", Map.of(), macPorts, pe + " x " + simd + " MAC array"));

        m.comment("Requantize each lane with its channel's parameters, then collect groups into an output pixel.");
        int pb = requant.paramBits();
        Expr outGroup = m.reg("out_group", gBits, "group the next MAC result belongs to");
        Expr paramRom = m.memory("param_rom", pe * pb, groups, "requantizer parameters per group");
        m.add(new ModuleItem.ReadMemH(paramFile(), "param_rom"));
        Expr params = m.wire("params", pe * pb, "");
        m.assign(params, paramRom.at(outGroup));
        Expr codes = m.wire("codes", pe * ob, "requantized codes of this group");
        int[] pw = requant.paramWidths();
        List<ModuleItem> lane = new ArrayList<>();
        Map<String, Expr> rq = new LinkedHashMap<>();
        rq.put("acc", macAcc.part(ref("r").times(num(mac.accBits())), mac.accBits()));
        rq.put("bias", new Expr.PartSelect(params, ref("r").times(num(pb)), pw[0]));
        rq.put("mult", new Expr.PartSelect(params, ref("r").times(num(pb)).plus(num(pw[0])), pw[1]));
        rq.put("offset", new Expr.PartSelect(params, ref("r").times(num(pb)).plus(num(pw[0] + pw[1])), pw[2]));
        rq.put("q", codes.part(ref("r").times(num(ob)), ob));
        lane.add(new ModuleItem.Instance(requant.name(), "requant", Map.of(), rq, ""));
        m.add(new ModuleItem.GenerateFor("r", pe, "lane", lane));

        Expr outValidQ = m.reg("out_valid_q", 1, "a complete output pixel waits");
        Expr outDataQ = m.reg("out_data_q", outputBits(), "");
        Expr macFire = m.wire("mac_fire", 1, "");
        m.assign(macOutReady, outValidQ.not().or(outReady));
        m.assign(macFire, macOutValid.and(macOutReady));
        Expr lastOutGroup = outGroup.eq(Rtl.u(gBits, groups - 1L));
        m.always("clk", List.of(
                when(macFire, List.of(
                        slotWrite(outDataQ, outGroup, gBits, groups, pe * ob, codes),
                        nb(outGroup, Rtl.wrapIncrement(outGroup, gBits, groups - 1L))), List.of()),
                when(rst, List.of(nb(outValidQ, bit(false)), nb(outGroup, Rtl.u(gBits, 0))), List.of(
                        when(macFire.and(lastOutGroup), List.of(nb(outValidQ, bit(true))), List.of(
                                when(outReady, nb(outValidQ, bit(false)))))))));
        m.assign(outValid, outValidQ);
        m.assign(outData, outDataQ);
        return m.build();
    }

    /** Packs one input pixel (all channels) as the in_data port expects. */
    public BigInteger packInput(long[] channelCodes) {
        int[] widths = new int[channelCodes.length];
        java.util.Arrays.fill(widths, mac.actBits());
        return MemH.pack(channelCodes, widths);
    }

    /** Unpacks one output beat into signed channel codes. */
    public long[] unpackOutput(BigInteger beat) {
        int cout = layer.weights().outChannels();
        int ob = requant.outBits();
        long[] codes = new long[cout];
        for (int c = 0; c < cout; c++) {
            long raw = beat.shiftRight(c * ob).and(BigInteger.ONE.shiftLeft(ob).subtract(BigInteger.ONE)).longValue();
            codes[c] = Bits.signExtend(raw, ob);
        }
        return codes;
    }

    /** {@code out[group] <= codes}: a case over the groups with constant slices (no shifter, no multiplier). */
    private static Statement slotWrite(Expr out, Expr group, int gBits, int groups, int slot, Expr codes) {
        if (groups == 1) {
            return nb(out, codes);
        }
        List<Statement.CaseItem> items = new ArrayList<>();
        for (int g = 0; g < groups - 1; g++) {
            items.add(new Statement.CaseItem(List.of(Rtl.u(gBits, g)), List.of(nb(out.slice((g + 1) * slot - 1, g * slot), codes))));
        }
        return new Statement.Case(group, items, List.of(nb(out.slice(groups * slot - 1, (groups - 1) * slot), codes)));
    }

    /**
     * {@code op <= window chunk number beat}, as a case over the beats: constant slices, so synthesis
     * builds a word mux. (A part-select at beat * chunk became a bit-granular barrel shifter in
     * Yosys: 12k LUTs for a 64-channel layer at SIMD 3.)
     */
    private static Statement actSelect(Expr window, Expr beat, int sBits, int beats, int chunk, Expr op) {
        if (beats == 1) {
            return nb(op, window.slice(chunk - 1, 0));
        }
        List<Statement.CaseItem> items = new ArrayList<>();
        for (int b = 0; b < beats - 1; b++) {
            items.add(new Statement.CaseItem(List.of(Rtl.u(sBits, b)), List.of(nb(op, window.slice((b + 1) * chunk - 1, b * chunk)))));
        }
        return new Statement.Case(beat, items, List.of(nb(op, window.slice(beats * chunk - 1, (beats - 1) * chunk))));
    }
}
