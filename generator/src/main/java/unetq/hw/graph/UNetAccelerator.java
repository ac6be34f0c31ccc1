package unetq.hw.graph;

import static unetq.verilog.Expr.ref;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import unetq.golden.Bits;
import unetq.golden.ConvLayer;
import unetq.golden.Ops;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Rtl;
import unetq.hw.block.Concat;
import unetq.hw.block.FrameMarks;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.MaxPool2x2;
import unetq.hw.block.Memory;
import unetq.hw.block.SkipFifo;
import unetq.hw.block.StreamFork;
import unetq.hw.block.StreamPorts;
import unetq.hw.block.Threshold;
import unetq.hw.block.UpsampleBilinear2x;
import unetq.hw.cost.Device;
import unetq.hw.schedule.Folding;
import unetq.hw.schedule.SkipSchedule;

/**
 * The whole U-Net as one streaming dataflow design, FINN-style: 8-bit grey pixels in, one mask
 * bit (and the logit) per pixel out. Per level two {@link unetq.hw.block.ConvLayer}s; between encoder
 * levels a {@link StreamFork} (skip and pool path), a {@link SkipFifo} sized by
 * {@link SkipSchedule}, a {@link MaxPool2x2}; on the way up {@link UpsampleBilinear2x},
 * {@link Concat}, two convs; then the head conv and the {@link Threshold}.
 */
public final class UNetAccelerator implements HardwareBlock {
    private final String name;
    private final QuantizedUNet net;
    private final int height;
    private final int width;
    private final Map<String, Folding> foldings;
    private final SkipSchedule schedule;

    public UNetAccelerator(String name, QuantizedUNet net, int height, int width, Map<String, Folding> foldings) {
        net.topology().requireSize(height, width);
        this.name = name;
        this.net = net;
        this.height = height;
        this.width = width;
        this.foldings = new TreeMap<>(foldings);
        for (UNetTopology.ConvSpec s : net.topology().convs()) {
            Folding f = foldings.get(s.name());
            if (f == null) {
                throw new IllegalArgumentException("no folding for layer " + s.name());
            }
            f.requireFits(s.out(), 9 * s.in());
        }
        Map<String, Long> cyclesPerPixel = new LinkedHashMap<>();
        for (UNetTopology.ConvSpec s : net.topology().convs()) {
            cyclesPerPixel.put(s.name(), this.foldings.get(s.name()).cyclesPerPixel(s.out(), 9 * s.in()));
        }
        this.schedule = new SkipSchedule(net.topology(), height, width, cyclesPerPixel);
    }

    /**
     * For each layer the cheapest folding (fewest PE x SIMD, then the larger SIMD) whose cycles per
     * frame stay within {@code target}; a layer that cannot meet it gets full parallelism.
     */
    public static Map<String, Folding> foldingsFor(QuantizedUNet net, int height, int width, long target) {
        Map<String, Folding> out = new LinkedHashMap<>();
        for (UNetTopology.ConvSpec s : net.topology().convs()) {
            long pixels = (long) (height >> level(s.name())) * (width >> level(s.name()));
            Folding best = new Folding(s.out(), 9 * s.in());
            for (int pe : divisors(s.out())) {
                for (int simd : divisors(9 * s.in())) {
                    Folding f = new Folding(pe, simd);
                    boolean meets = pixels * f.cyclesPerPixel(s.out(), 9 * s.in()) <= target;
                    int size = pe * simd;
                    int bestSize = best.pe() * best.simd();
                    if (meets && (size < bestSize || (size == bestSize && simd > best.simd()))) {
                        best = f;
                    }
                }
            }
            out.put(s.name(), best);
        }
        return out;
    }

    private static List<Integer> divisors(int n) {
        List<Integer> d = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (n % i == 0) {
                d.add(i);
            }
        }
        return d;
    }

    /** Level of a conv from its name: enc2a -> 2, dec0b -> 0, head -> 0. */
    public static int level(String conv) {
        return conv.equals("head") ? 0 : conv.charAt(3) - '0';
    }

    @Override
    public String name() {
        return name;
    }

    public SkipSchedule schedule() {
        return schedule;
    }

    public Map<String, Folding> foldings() {
        return foldings;
    }

    /** The block of each conv, in execution order. */
    public Map<String, unetq.hw.block.ConvLayer> convBlocks() {
        Map<String, unetq.hw.block.ConvLayer> m = new LinkedHashMap<>();
        for (ConvLayer l : net.layers()) {
            int lv = level(l.name());
            m.put(l.name(), new unetq.hw.block.ConvLayer(name + "_" + l.name(), l, height >> lv, width >> lv, foldings.get(l.name())));
        }
        return m;
    }

    /** Cycles per frame of each conv at its folding. */
    public Map<String, Long> cyclesPerFrame() {
        Map<String, Long> m = new LinkedHashMap<>();
        convBlocks().forEach((k, b) -> m.put(k, b.cyclesPerFrame()));
        return m;
    }

    /** The slowest layer sets the frame rate. */
    public long boundCyclesPerFrame() {
        return cyclesPerFrame().values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private int actBits() {
        return net.activationFormat().hardwareBits();
    }

    private MaxPool2x2 pool(int l) {
        return new MaxPool2x2(name + "_pool" + l, net.topology().channels(l), actBits(), height >> l, width >> l);
    }

    private SkipFifo fifo(int l) {
        return new SkipFifo(name + "_skip" + l, net.topology().channels(l) * actBits(), schedule.depth(l));
    }

    private StreamFork fork(int l) {
        return new StreamFork(name + "_fork" + l, net.topology().channels(l) * actBits());
    }

    private Concat concat(int l) {
        return new Concat(name + "_cat" + l, deepChannels(l), Ops.upsampledFormat(net.activationFormat()),
                net.topology().channels(l), net.activationFormat());
    }

    private Threshold threshold() {
        return new Threshold(name + "_threshold", logitBits(),
                new unetq.golden.Threshold(net.threshold(), QuantizedUNet.LOGIT_FORMAT.fracBits()).minCode());
    }

    private FrameMarks marks() {
        return new FrameMarks(name + "_marks", height, width);
    }

    /** Every block of the design, in stream order per level: the rows of a resource table. */
    public List<HardwareBlock> blocks() {
        List<HardwareBlock> b = new ArrayList<>();
        Map<String, unetq.hw.block.ConvLayer> convs = convBlocks();
        int levels = net.topology().levels();
        for (int l = 0; l < levels; l++) {
            b.add(convs.get("enc" + l + "a"));
            b.add(convs.get("enc" + l + "b"));
            if (l < levels - 1) {
                b.addAll(List.of(fork(l), fifo(l), pool(l)));
            }
        }
        for (int l = levels - 2; l >= 0; l--) {
            b.addAll(List.of(up(l), concat(l), convs.get("dec" + l + "a"), convs.get("dec" + l + "b")));
        }
        b.addAll(List.of(convs.get("head"), threshold(), marks()));
        return b;
    }

    @Override
    public long logicLuts() {
        return blocks().stream().mapToLong(HardwareBlock::logicLuts).sum();
    }

    @Override
    public double ice40LogicLuts() {
        return blocks().stream().mapToDouble(HardwareBlock::ice40LogicLuts).sum();
    }

    @Override
    public long dsps(Device.Family family) {
        return blocks().stream().mapToLong(x -> x.dsps(family)).sum();
    }

    @Override
    public long dspProductBits(Device.Family family) {
        return blocks().stream().mapToLong(x -> x.dspProductBits(family)).sum();
    }

    /** Channels of the stream the upsampler at level l reads (enc{L-1}b's or dec{l+1}b's output): C(l+1). */
    private int deepChannels(int l) {
        return net.topology().channels(l + 1);
    }

    private UpsampleBilinear2x up(int l) {
        return new UpsampleBilinear2x(name + "_up" + l, deepChannels(l), actBits(), height >> (l + 1), width >> (l + 1),
                Ops.upsampledFormat(net.activationFormat()).hardwareBits());
    }

    /** Every memory of the design: line buffers and ROMs of the convs, pool and upsampler buffers, skip FIFOs. */
    @Override
    public List<Memory> memories() {
        List<Memory> m = new ArrayList<>();
        convBlocks().values().forEach(c -> m.addAll(c.memories()));
        for (int l = 0; l < net.topology().levels() - 1; l++) {
            m.addAll(pool(l).memories());
            m.addAll(up(l).memories());
            m.addAll(fifo(l).memories());
        }
        return m;
    }

    @Override
    public long multipliers() {
        return convBlocks().values().stream().mapToLong(HardwareBlock::multipliers).sum();
    }

    public int logitBits() {
        return QuantizedUNet.LOGIT_FORMAT.hardwareBits();
    }

    @Override
    public long cyclesPerOutput() {
        return Math.max(1, boundCyclesPerFrame() / ((long) height * width));
    }

    @Override
    public Map<String, String> memoryFiles() {
        Map<String, String> files = new TreeMap<>();
        convBlocks().values().forEach(b -> files.putAll(b.memoryFiles()));
        return files;
    }

    @Override
    public List<Module> modules() {
        UNetTopology topo = net.topology();
        int levels = topo.levels();
        QFormat act = net.activationFormat();
        int ab = act.hardwareBits();
        QFormat upFormat = Ops.upsampledFormat(act);
        int ub = upFormat.hardwareBits();
        Map<String, unetq.hw.block.ConvLayer> convs = convBlocks();
        List<Module> modules = new ArrayList<>();
        convs.values().forEach(c -> modules.addAll(c.modules()));

        Module.Builder m = Module.builder(name).description(
                "UNetAccelerator " + name + ": " + topo + " U-Net on " + height + "x" + width + " grey images, weights "
                        + net.weightFormat().describe() + ", activations " + act.describe() + ".\n"
                        + "Pixels in (8-bit, raster order, frames back to back), mask bit and logit out. Slowest layer: "
                        + boundCyclesPerFrame() + " cycles per frame.");
        m.input("clk", 1, "clock");
        m.input("rst", 1, "synchronous reset, active high");
        m.input("in_valid", 1, "pixel offered");
        m.output("in_ready", 1, "pixel accepted when valid && ready");
        m.input("in_data", 8, "grey pixel 0..255");
        m.input("in_sof", 1, "start of frame: 1 on a frame's first pixel (AXI4-Stream video tuser)");
        m.input("in_eol", 1, "end of row: 1 on a row's last pixel (tlast); marks are checked, see out_framing_error");
        m.output("out_valid", 1, "mask pixel offered");
        m.input("out_ready", 1, "mask pixel taken when valid && ready");
        m.output("out_mask", 1, "1 = foreground");
        m.output("out_logit", logitBits(), "logit code (" + QuantizedUNet.LOGIT_FORMAT.paperName() + "), for debugging");
        for (int l = 0; l < levels - 1; l++) {
            m.output("out_skip" + l + "_max", 32, "most pixels skip buffer " + l + " ever held (depth " + schedule.depth(l) + ")");
        }
        m.output("out_sof", 1, "the mask pixel starts a frame");
        m.output("out_eol", 1, "the mask pixel ends a row");
        m.output("out_framing_error", 1, "an input pixel's sof/eol marks disagreed with its position (sticky until reset)");

        // streams between blocks: <stream>_valid, _ready, _data
        stream(m, "s_img", 9, "the pixel as a UQ0.8 code with a zero sign bit");
        m.assign(ref("s_img_valid"), ref("in_valid"));
        m.assign(ref("in_ready"), ref("s_img_ready"));
        m.assign(ref("s_img_data"), Expr.concat(Expr.bit(false), ref("in_data")));

        String input = "s_img";
        for (int l = 0; l < levels; l++) {
            int c = topo.channels(l);
            input = conv(m, convs.get("enc" + l + "a"), input, "s_enc" + l + "a");
            input = conv(m, convs.get("enc" + l + "b"), input, "s_enc" + l + "b");
            if (l < levels - 1) {
                StreamFork fork = fork(l);
                SkipFifo fifo = fifo(l);
                MaxPool2x2 pool = pool(l);
                modules.addAll(fork.modules());
                modules.addAll(fifo.modules());
                modules.addAll(pool.modules());
                stream(m, "s_down" + l, c * ab, "to the pool");
                stream(m, "s_side" + l, c * ab, "to the skip buffer");
                stream(m, "s_skip" + l, c * ab, "skip, buffered");
                stream(m, "s_pool" + l, c * ab, "pooled");
                StreamPorts f = StreamPorts.clocked();
                f.stream("in", input);
                f.stream("a", "s_down" + l);
                f.stream("b", "s_side" + l);
                m.add(new ModuleItem.Instance(fork.name(), "u_fork" + l, Map.of(), f.map(), "skip connection " + l));
                StreamPorts q = StreamPorts.clocked();
                q.stream("in", "s_side" + l);
                q.stream("out", "s_skip" + l);
                Expr occ = m.wire("skip" + l + "_occupancy", fifo.occupancyBits(), "");
                q.port("max_occupancy", occ);
                m.assign(ref("out_skip" + l + "_max"), Rtl.zext(occ, fifo.occupancyBits(), 32));
                m.add(new ModuleItem.Instance(fifo.name(), "u_skip" + l, Map.of(), q.map(), schedule.depth(l) + "-pixel skip buffer: max(lead "
                        + schedule.lead(l) + " + 1, timed peak " + schedule.timedPeak(l) + ") + " + SkipSchedule.PIPELINE_SLACK));
                StreamPorts p = StreamPorts.clocked();
                p.stream("in", "s_down" + l);
                p.stream("out", "s_pool" + l);
                m.add(new ModuleItem.Instance(pool.name(), "u_pool" + l, Map.of(), p.map(), ""));
                input = "s_pool" + l;
            }
        }
        int deepChannels = topo.channels(levels - 1);
        for (int l = levels - 2; l >= 0; l--) {
            int c = topo.channels(l);
            UpsampleBilinear2x up = up(l);
            Concat cat = concat(l);
            modules.addAll(up.modules());
            modules.addAll(cat.modules());
            stream(m, "s_up" + l, deepChannels * ub, "upsampled");
            stream(m, "s_cat" + l, (deepChannels + c) * cat.outputBits(), "[up, skip]");
            StreamPorts u = StreamPorts.clocked();
            u.stream("in", input);
            u.stream("out", "s_up" + l);
            m.add(new ModuleItem.Instance(up.name(), "u_up" + l, Map.of(), u.map(), ""));
            StreamPorts k = StreamPorts.clocked();
            k.stream("in", "s_up" + l);
            k.stream("skip", "s_skip" + l);
            k.stream("out", "s_cat" + l);
            m.add(new ModuleItem.Instance(cat.name(), "u_cat" + l, Map.of(), k.map(), ""));
            input = conv(m, convs.get("dec" + l + "a"), "s_cat" + l, "s_dec" + l + "a");
            input = conv(m, convs.get("dec" + l + "b"), input, "s_dec" + l + "b");
            deepChannels = c;
        }
        input = conv(m, convs.get("head"), input, "s_head");
        Threshold thr = threshold();
        modules.addAll(thr.modules());
        StreamPorts t = StreamPorts.clocked();
        t.stream("in", input);
        t.port("out_valid", ref("out_valid")).port("out_ready", ref("out_ready")).port("out_mask", ref("out_mask"))
                .port("out_logit", ref("out_logit"));
        m.add(new ModuleItem.Instance(thr.name(), "u_threshold", Map.of(), t.map(), "sigmoid(logit) >= " + net.threshold()));
        FrameMarks marks = marks();
        modules.addAll(marks.modules());
        StreamPorts fm = StreamPorts.clocked();
        fm.port("in_fire", ref("in_valid").and(ref("in_ready"))).port("in_sof", ref("in_sof")).port("in_eol", ref("in_eol"))
                .port("out_fire", ref("out_valid").and(ref("out_ready"))).port("out_sof", ref("out_sof"))
                .port("out_eol", ref("out_eol")).port("framing_error", ref("out_framing_error"));
        m.add(new ModuleItem.Instance(marks.name(), "u_marks", Map.of(), fm.map(), "frame marks in and out"));
        modules.add(m.build());
        return modules;
    }

    private static void stream(Module.Builder m, String s, int bits, String comment) {
        m.wire(s + "_valid", 1, comment);
        m.wire(s + "_ready", 1, "");
        m.wire(s + "_data", bits, "");
    }

    private static String conv(Module.Builder m, unetq.hw.block.ConvLayer block, String in, String out) {
        stream(m, out, block.outputBits(), block.layer().name() + " output");
        StreamPorts p = StreamPorts.clocked();
        p.stream("in", in);
        p.stream("out", out);
        m.add(new ModuleItem.Instance(block.name(), "u_" + block.layer().name(), Map.of(), p.map(), block.layer().name() + ": "
                + block.layer().weights().inChannels() + " -> " + block.layer().weights().outChannels() + ", PE "
                + block.folding().pe() + " SIMD " + block.folding().simd()));
        return out;
    }
}
