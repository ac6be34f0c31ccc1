package unetq.hw.graph;

import static unetq.verilog.Expr.bit;
import static unetq.verilog.Expr.ref;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.hw.block.ConvLayer;
import unetq.hw.block.FrameMarks;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.Memory;
import unetq.hw.block.SkipFifo;
import unetq.hw.block.StreamPorts;
import unetq.hw.block.Threshold;
import unetq.hw.cost.Device;
import unetq.hw.cost.MemoryPlacement;
import unetq.hw.schedule.Folding;
import unetq.hw.schedule.SkipSchedule;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;
import unetq.verilog.Netlist;
import unetq.verilog.Rtl;
import unetq.verilog.SharedModules;

/**
 * The whole U-Net as one streaming dataflow design: the {@link Dataflow} graph of the model at a
 * folding, its skip buffers sized by {@link SkipSchedule}, and the RTL top derived from the graph
 * (a net bundle {@code <stream>_valid/_ready/_data} per edge, an instance per node, every port
 * checked against the instantiated module by {@link Netlist}).
 *
 * <p>Top ports are AXI4-Stream: 8-bit grey pixels in on {@code s_axis_*} ({@code tuser} = start
 * of frame, {@code tlast} = end of row, checked), the mask bit and the logit out on
 * {@code m_axis_*}. The simulation wrapper {@link #simWrapper()} adds, outside the synthesised
 * design, each skip buffer's largest occupancy.
 */
public final class UNetAccelerator implements HardwareBlock {
    /** Bits of {@code m_axis_tdata}: bit 0 the mask, bits 31:8 the logit code sign-extended. */
    public static final int OUT_TDATA_BITS = 32;

    private final String name;
    private final QuantizedUNet net;
    private final int height;
    private final int width;
    private final Map<String, Folding> foldings;
    private final SkipSchedule schedule;
    private final Dataflow graph;
    private final MemoryPlacement placement;

    public UNetAccelerator(String name, QuantizedUNet net, int height, int width, Map<String, Folding> foldings) {
        this(name, net, height, width, foldings, MemoryPlacement.AUTO);
    }

    /** @param placement where the memories go ({@link MemoryPlacement#AUTO}: the synthesis tool decides) */
    public UNetAccelerator(String name, QuantizedUNet net, int height, int width, Map<String, Folding> foldings,
                           MemoryPlacement placement) {
        net.topology().requireSize(height, width);
        this.name = name;
        this.placement = placement;
        this.net = net;
        this.height = height;
        this.width = width;
        this.foldings = new TreeMap<>(foldings);
        for (UNetTopology.ConvSpec s : net.topology().convs()) {
            Folding f = foldings.get(s.name());
            if (f == null) {
                throw new IllegalArgumentException("no folding for layer " + s.name());
            }
            f.requireFits(s.out(), s.in());
        }
        this.schedule = new SkipSchedule(new Dataflow(name, net, height, width, foldings, Map.of()));
        this.graph = new Dataflow(name, net, height, width, foldings, schedule.depths());
    }

    /**
     * For each layer the cheapest folding (fewest PE x SIMD, then the larger SIMD) whose cycles per
     * frame stay within {@code target}, with every stream the folding sets wide enough for the blocks
     * on it to keep the pace too (a max-pool takes a beat a cycle: Cin/PE beats a pixel); a layer
     * that cannot meet it gets full parallelism.
     */
    public static Map<String, Folding> foldingsFor(QuantizedUNet net, int height, int width, long target) {
        Map<String, Folding> out = new LinkedHashMap<>();
        for (UNetTopology.ConvSpec s : net.topology().convs()) {
            List<Folding> meet = shapes(net, height, width, s.name(), target);
            out.put(s.name(), meet.isEmpty() ? new Folding(s.out(), s.in()) : meet.get(0));
        }
        return out;
    }

    /**
     * Every (PE, SIMD) of layer {@code layer} whose cycles per frame stay within {@code target}, with
     * its output stream wide enough for the blocks on it to keep the pace too (they move a beat a
     * cycle: Cout/PE beats a pixel, and an upsampler after the conv emits (2w + 1) x 2h of them a
     * frame); the fewest PE x SIMD first, then the larger SIMD. Empty when none meets it.
     */
    public static List<Folding> shapes(QuantizedUNet net, int height, int width, String layer, long target) {
        UNetTopology.ConvSpec s = net.topology().conv(layer);
        int level = net.graph().node(layer).level();
        long h = height >> level;
        long w = width >> level;
        long pixels = h * w;
        boolean up = net.graph().consumers(layer).stream().anyMatch(c -> c.kind() == unetq.golden.UNetGraph.Kind.UPSAMPLE);
        long beatSlots = up ? 2 * h * (2 * w + 1) : pixels;
        int minPe = minGroup(s.out(), beatSlots, target);
        if (pixels * s.out() / minPe > target) {
            return List.of();
        }
        List<Folding> meet = new ArrayList<>();
        for (int pe : divisors(s.out())) {
            for (int simd : divisors(s.in())) {
                Folding f = new Folding(pe, simd);
                if (pe >= minPe && pixels * f.cyclesPerPixel(s.out(), s.in()) <= target) {
                    meet.add(f);
                }
            }
        }
        meet.sort(java.util.Comparator.comparingInt((Folding f) -> f.pe() * f.simd()).thenComparing(f -> -f.simd()));
        return meet;
    }

    /** The smallest divisor g of {@code channels} with pixels x channels / g within {@code target} (channels if none). */
    static int minGroup(int channels, long pixels, long target) {
        for (int g : divisors(channels)) {
            if (pixels * (channels / g) <= target) {
                return g;
            }
        }
        return channels;
    }

    static List<Integer> divisors(int n) {
        List<Integer> d = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (n % i == 0) {
                d.add(i);
            }
        }
        return d;
    }

    @Override
    public String name() {
        return name;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public Dataflow graph() {
        return graph;
    }

    public SkipSchedule schedule() {
        return schedule;
    }

    public Map<String, Folding> foldings() {
        return foldings;
    }

    public QuantizedUNet net() {
        return net;
    }

    /** The block of each conv, in execution order. */
    public Map<String, ConvLayer> convBlocks() {
        return graph.convBlocks();
    }

    /** Cycles per frame of every node at full rate, in graph order. */
    public Map<String, Long> cyclesPerFrame() {
        Map<String, Long> m = new LinkedHashMap<>();
        graph.nodes().forEach(n -> m.put(n.name(), n.cyclesPerFrame()));
        return m;
    }

    /** The slowest node sets the frame rate. */
    public long boundCyclesPerFrame() {
        return cyclesPerFrame().values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /** Every block of the design, in graph order, and the frame marks: the rows of a resource table. */
    public List<HardwareBlock> blocks() {
        List<HardwareBlock> b = new ArrayList<>();
        graph.blocks().forEach(x -> b.add(placement.place(x)));
        b.add(marks());
        return b;
    }

    /** Where the design's memories go. */
    public MemoryPlacement placement() {
        return placement;
    }

    private FrameMarks marks() {
        return new FrameMarks(name + "_marks", height, width);
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

    @Override
    public long redundantRegisterBits() {
        return blocks().stream().mapToLong(HardwareBlock::redundantRegisterBits).sum();
    }

    /** Every memory of the design: window buffers, ROMs, pool and upsampler rows, skip FIFOs. */
    @Override
    public List<Memory> memories() {
        List<Memory> m = new ArrayList<>();
        blocks().forEach(b -> m.addAll(b.memories()));
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

    /** Blocks' modules (each once, submodules first, shared where equal), then the top. */
    @Override
    public List<Module> modules() {
        return shared().modules();
    }

    /** The module that implements block {@code blockName} in {@link #modules()}: its own, or the one it shares. */
    public String moduleOf(String blockName) {
        return shared().canonical(blockName);
    }

    private SharedModules sharedModules;

    private synchronized SharedModules shared() {
        if (sharedModules == null) {
            Map<String, Module> unique = new LinkedHashMap<>();
            for (HardwareBlock b : blocks()) {
                for (Module m : b.modules()) {
                    Module prev = unique.putIfAbsent(m.name(), m);
                    if (prev != null && !prev.equals(m)) {
                        throw new IllegalStateException("two different modules named " + m.name());
                    }
                }
            }
            List<Module> all = new ArrayList<>(unique.values());
            all.add(top());
            SharedModules s = SharedModules.of(all);
            Netlist.check(s.modules(), name);
            sharedModules = s;
        }
        return sharedModules;
    }

    private Module top() {
        UNetTopology topo = net.topology();
        Module.Builder m = Module.builder(name).description(
                "UNetAccelerator " + name + ": " + topo + " U-Net on " + height + "x" + width + " grey images, weights "
                        + net.weightFormat().describe() + ", activations " + net.activationFormat().describe() + ".\n"
                        + "AXI4-Stream: pixels in on s_axis (tuser = start of frame, tlast = end of row), frames back to back;"
                        + " mask (tdata[0]) and logit (tdata[31:8]) out on m_axis. Slowest node: " + boundCyclesPerFrame()
                        + " cycles per frame.");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr sValid = m.input("s_axis_tvalid", 1, "pixel offered");
        Expr sReady = m.output("s_axis_tready", 1, "pixel taken when tvalid && tready");
        Expr sData = m.input("s_axis_tdata", 8, "grey pixel 0..255");
        Expr sUser = m.input("s_axis_tuser", 1, "start of frame: 1 on a frame's first pixel");
        Expr sLast = m.input("s_axis_tlast", 1, "end of row: 1 on a row's last pixel");
        Expr mValid = m.output("m_axis_tvalid", 1, "mask pixel offered");
        Expr mReady = m.input("m_axis_tready", 1, "taken when tvalid && tready");
        Expr mData = m.output("m_axis_tdata", OUT_TDATA_BITS, "bit 0: foreground; bits 31:8: the logit code ("
                + QuantizedUNet.LOGIT_FORMAT.paperName() + "), sign-extended");
        Expr mUser = m.output("m_axis_tuser", 1, "the pixel starts a frame");
        Expr mLast = m.output("m_axis_tlast", 1, "the pixel ends a row");
        Expr framing = m.output("framing_error", 1, "an input pixel's tuser/tlast disagreed with its position (sticky until reset)");

        for (Dataflow.Node n : graph.nodes()) {
            for (Dataflow.Stream s : n.outputs().values()) {
                m.wire(s.name() + "_valid", 1, s.channels() + " x " + s.format().paperName() + ", " + s.group() + " a beat ("
                        + s.beatsPerPixel() + " beats a pixel), " + s.height() + "x" + s.width());
                m.wire(s.name() + "_ready", 1, "");
                m.wire(s.name() + "_data", s.wordBits(), "");
            }
        }
        Dataflow.Stream image = graph.node("image").out();
        m.assign(ref(image.name() + "_valid"), sValid);
        m.assign(sReady, ref(image.name() + "_ready"));
        m.assign(ref(image.name() + "_data"), Expr.concat(bit(false), sData));

        for (Dataflow.Node n : graph.nodes()) {
            if (n.block() == null) {
                continue;
            }
            StreamPorts p = StreamPorts.clocked();
            switch (n.kind()) {
                case CONCAT -> p.stream("in", n.inputs().get("in").name()).stream("skip", n.inputs().get("skip").name())
                        .stream("out", n.out().name());
                case FORK -> p.stream("in", n.in().name()).stream("a", n.outputs().get("a").name())
                        .stream("b", n.outputs().get("b").name());
                case THRESHOLD -> {
                    Expr mask = m.wire("mask", 1, "");
                    Expr logit = m.wire("logit", logitBits(), "");
                    p.stream("in", n.in().name()).port("out_valid", mValid).port("out_ready", mReady)
                            .port("out_mask", mask).port("out_logit", logit);
                    m.assign(mData, Expr.concat(Rtl.sext(logit, logitBits(), OUT_TDATA_BITS - 8), Rtl.u(7, 0), mask));
                }
                default -> p.stream("in", n.in().name()).stream("out", n.out().name());
            }
            m.add(new ModuleItem.Instance(n.block().name(), "u_" + n.name(), Map.of(), p.map(), describe(n)));
        }
        FrameMarks marks = marks();
        StreamPorts fm = StreamPorts.clocked();
        fm.port("in_fire", sValid.and(sReady)).port("in_sof", sUser).port("in_eol", sLast)
                .port("out_fire", mValid.and(mReady)).port("out_sof", mUser).port("out_eol", mLast).port("framing_error", framing);
        m.add(new ModuleItem.Instance(marks.name(), "u_marks", Map.of(), fm.map(), "frame marks in and out"));
        return m.build();
    }

    private String describe(Dataflow.Node n) {
        return switch (n.kind()) {
            case CONV -> n.name() + ": " + ((ConvLayer) n.block()).layer().weights().inChannels() + " -> "
                    + ((ConvLayer) n.block()).layer().weights().outChannels() + ", " + foldings.get(n.name());
            case SKIP_FIFO -> {
                SkipSchedule.Buffer b = schedule.buffers().get(n.name());
                yield b.depthBeats() + "-beat skip buffer: max(lead " + b.leadPixels() + " + 1, timed peak "
                        + b.timedPeakPixels() + ") pixels x " + b.beatsPerPixel() + " beats + " + SkipSchedule.PIPELINE_SLACK;
            }
            case ADAPTER -> n.name() + ": " + n.in().group() + " -> " + n.out().group() + " codes a beat";
            case THRESHOLD -> "sigmoid(logit) >= " + net.threshold();
            default -> n.name();
        };
    }

    /** Name of the simulation wrapper. */
    public String simName() {
        return name + "_sim";
    }

    /**
     * The simulation-only wrapper: the stream-harness port names ({@code in_*}, {@code out_*}) around
     * the design, and per skip buffer the most beats it ever held ({@code out_skip<l>_max}), counted
     * from its handshakes through hierarchical references (never synthesised).
     */
    public Module simWrapper() {
        Module.Builder m = Module.builder(simName()).description(
                "Simulation wrapper of " + name + " (Verilator only; not in files.f): harness port names, and each skip buffer's"
                        + " largest occupancy counted from its handshakes.");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "");
        m.input("in_valid", 1, "");
        m.output("in_ready", 1, "");
        m.input("in_data", 8, "");
        m.input("in_sof", 1, "");
        m.input("in_eol", 1, "");
        m.output("out_valid", 1, "");
        m.input("out_ready", 1, "");
        m.output("out_mask", 1, "");
        m.output("out_logit", logitBits(), "");
        List<Dataflow.Node> fifos = graph.nodes(Dataflow.Kind.SKIP_FIFO);
        for (Dataflow.Node f : fifos) {
            m.output("out_" + f.name() + "_max", 32, "most beats " + f.name() + " held (depth "
                    + schedule.buffers().get(f.name()).depthBeats() + ")");
        }
        m.output("out_sof", 1, "");
        m.output("out_eol", 1, "");
        m.output("out_framing_error", 1, "");
        Expr tdata = m.wire("tdata", OUT_TDATA_BITS, "");
        Map<String, Expr> ports = new LinkedHashMap<>();
        ports.put("clk", ref("clk"));
        ports.put("rst", rst);
        ports.put("s_axis_tvalid", ref("in_valid"));
        ports.put("s_axis_tready", ref("in_ready"));
        ports.put("s_axis_tdata", ref("in_data"));
        ports.put("s_axis_tuser", ref("in_sof"));
        ports.put("s_axis_tlast", ref("in_eol"));
        ports.put("m_axis_tvalid", ref("out_valid"));
        ports.put("m_axis_tready", ref("out_ready"));
        ports.put("m_axis_tdata", tdata);
        ports.put("m_axis_tuser", ref("out_sof"));
        ports.put("m_axis_tlast", ref("out_eol"));
        ports.put("framing_error", ref("out_framing_error"));
        m.add(new ModuleItem.Instance(name, "dut", Map.of(), ports, ""));
        m.assign(ref("out_mask"), tdata.slice(0, 0));
        m.assign(ref("out_logit"), tdata.slice(8 + logitBits() - 1, 8));
        Expr unused = m.wire("unused_tdata", 1, "the zero bits and the logit's sign copies");
        m.assign(unused, new Expr.Unary("&", Expr.concat(bit(false), tdata.slice(7, 1), tdata.slice(OUT_TDATA_BITS - 1, 8 + logitBits()))));
        for (Dataflow.Node f : fifos) {
            String in = f.in().name();
            String out = f.out().name();
            Expr push = m.wire(f.name() + "_push", 1, "");
            Expr pop = m.wire(f.name() + "_pop", 1, "");
            m.assign(push, new Expr.Hier(List.of("dut", in + "_valid")).and(new Expr.Hier(List.of("dut", in + "_ready"))));
            m.assign(pop, new Expr.Hier(List.of("dut", out + "_valid")).and(new Expr.Hier(List.of("dut", out + "_ready"))));
            Expr occ = m.reg(f.name() + "_occ", 32, "beats held now");
            Expr max = m.reg(f.name() + "_max", 32, "");
            m.always("clk", List.of(when(rst, List.of(nb(occ, Rtl.u(32, 0)), nb(max, Rtl.u(32, 0))), List.of(
                    nb(occ, occ.plus(Rtl.zext(push, 1, 32)).minus(Rtl.zext(pop, 1, 32))),
                    when(occ.gt(max), nb(max, occ))))));
            m.assign(ref("out_" + f.name() + "_max"), max);
        }
        return m.build();
    }

    /** Depth of each skip FIFO in beats, by name. */
    public Map<String, Integer> skipDepths() {
        Map<String, Integer> d = new LinkedHashMap<>();
        for (Dataflow.Node f : graph.nodes(Dataflow.Kind.SKIP_FIFO)) {
            d.put(f.name(), ((SkipFifo) f.block()).depth());
        }
        return d;
    }

    Threshold threshold() {
        return (Threshold) graph.nodes(Dataflow.Kind.THRESHOLD).get(0).block();
    }
}
