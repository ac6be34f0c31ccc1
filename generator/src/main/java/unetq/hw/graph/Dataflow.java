package unetq.hw.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetGraph;
import unetq.hw.block.Concat;
import unetq.hw.block.ConvLayer;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.MaxPool2x2;
import unetq.hw.block.SkipFifo;
import unetq.hw.block.StreamFork;
import unetq.hw.block.Threshold;
import unetq.hw.block.UpsampleBilinear2x;
import unetq.hw.block.WidthAdapter;
import unetq.hw.schedule.Folding;

/**
 * The accelerator as a dataflow graph of hardware nodes, lowered from the golden {@link UNetGraph}
 * (FINN's ModelWrapper after its transforms): every golden op becomes the block of the same name,
 * and the lowering inserts what streaming needs - a {@link StreamFork} where an op's output has two
 * readers, a {@link SkipFifo} on the concat's skip input, a {@link WidthAdapter} where a stream's
 * group width changes. Edges are typed {@link Stream}s (format, bits, channels, group width, pixel
 * grid). The timing model, the skip analysis, the estimate and the RTL top all walk this graph.
 *
 * <p>Group widths follow the folding: a conv reads SIMD channels a beat and writes PE; a max-pool,
 * an upsampler and a fork keep their input's width; a concat writes (and reads) the largest width
 * that divides both its inputs' channels and the SIMD of the conv after it.
 */
public final class Dataflow {
    /** What a node is. */
    public enum Kind { INPUT, CONV, POOL, UPSAMPLE, CONCAT, THRESHOLD, FORK, SKIP_FIFO, ADAPTER }

    /**
     * A stream between two nodes: codes of {@code format}, {@code bits} each in hardware, a pixel of
     * {@code channels} codes carried {@code group} a beat, on a {@code height} x {@code width} grid.
     */
    public record Stream(String name, QFormat format, int bits, int channels, int group, int height, int width) {
        public Stream {
            if (group < 1 || channels % group != 0) {
                throw new IllegalArgumentException(name + ": group " + group + " must divide " + channels + " channels");
            }
        }

        public int beatsPerPixel() {
            return channels / group;
        }

        public int wordBits() {
            return group * bits;
        }

        public long pixels() {
            return (long) height * width;
        }

        Stream regrouped(String newName, int newGroup) {
            return new Stream(newName, format, bits, channels, newGroup, height, width);
        }
    }

    /**
     * A node: its kind, the golden op it computes (none for inserted forks, FIFOs and adapters), its
     * block (none for the input), and its streams by port ({@code in}, {@code skip}; {@code out},
     * {@code a}, {@code b}).
     */
    public record Node(String name, Kind kind, UNetGraph.Node op, HardwareBlock block, Map<String, Stream> inputs,
                       Map<String, Stream> outputs) {
        public Node {
            // by port name: callers pass Map.of, whose order differs from JVM to JVM
            inputs = Collections.unmodifiableMap(new LinkedHashMap<>(new java.util.TreeMap<>(inputs)));
            outputs = Collections.unmodifiableMap(new LinkedHashMap<>(new java.util.TreeMap<>(outputs)));
        }

        public Stream in() {
            return inputs.get("in");
        }

        public Stream out() {
            return outputs.get("out");
        }

        /** Cycles this node needs per frame at full rate (the design's bound is the largest). */
        public long cyclesPerFrame() {
            return switch (kind) {
                case INPUT -> out().pixels();
                case CONV -> ((ConvLayer) block).cyclesPerFrame();
                case POOL, FORK, SKIP_FIFO, THRESHOLD -> in().pixels() * in().beatsPerPixel();
                case UPSAMPLE -> ((UpsampleBilinear2x) block).cyclesPerFrame();
                case CONCAT, ADAPTER -> out().pixels() * Math.max(out().beatsPerPixel(),
                        inputs.values().stream().mapToInt(Stream::beatsPerPixel).max().orElse(1));
            };
        }
    }

    private final String top;
    private final QuantizedUNet net;
    private final int height;
    private final int width;
    private final Map<String, Folding> foldings;
    private final Map<String, Integer> fifoDepths;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    // per golden node: its stream, and how many of its readers have taken it
    private final Map<String, Stream> produced = new LinkedHashMap<>();
    private final Map<String, Integer> taken = new LinkedHashMap<>();
    private final Map<String, String> forkOf = new LinkedHashMap<>();
    private final Map<String, Map.Entry<Node, String>> producers = new java.util.HashMap<>();
    private final Map<String, Map.Entry<Node, String>> consumers = new java.util.HashMap<>();

    /**
     * Lowers {@code net} for {@code height} x {@code width} images with {@code foldings} per conv;
     * {@code fifoDepths} gives each skip FIFO's depth in beats by its node name ({@code skip<l>}),
     * 2 where absent (the skip analysis runs on a graph built that way, then the real one is built).
     */
    public Dataflow(String top, QuantizedUNet net, int height, int width, Map<String, Folding> foldings,
                    Map<String, Integer> fifoDepths) {
        net.topology().requireSize(height, width);
        this.top = top;
        this.net = net;
        this.height = height;
        this.width = width;
        this.foldings = Map.copyOf(foldings);
        this.fifoDepths = Map.copyOf(fifoDepths);
        UNetGraph g = net.graph();
        for (UNetGraph.Node n : g.nodes()) {
            lower(g, n);
        }
        for (Node n : nodes.values()) {
            n.outputs().forEach((port, st) -> producers.put(st.name(), Map.entry(n, port)));
            n.inputs().forEach((port, st) -> consumers.put(st.name(), Map.entry(n, port)));
        }
    }

    public String top() {
        return top;
    }

    public QuantizedUNet net() {
        return net;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public Map<String, Folding> foldings() {
        return foldings;
    }

    /** Every node in topological order. */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    public Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node " + name);
        }
        return n;
    }

    /** The node that writes {@code stream}, and its port. */
    public Map.Entry<Node, String> producer(Stream stream) {
        Map.Entry<Node, String> p = producers.get(stream.name());
        if (p == null) {
            throw new IllegalArgumentException("no producer of " + stream.name());
        }
        return p;
    }

    /** The node that reads {@code stream}, and its port (null for the design's output). */
    public Map.Entry<Node, String> consumer(Stream stream) {
        return consumers.get(stream.name());
    }

    /** Nodes of a kind, in order. */
    public List<Node> nodes(Kind kind) {
        return nodes.values().stream().filter(n -> n.kind() == kind).toList();
    }

    private int level(UNetGraph.Node n) {
        return n.level();
    }

    private void lower(UNetGraph g, UNetGraph.Node n) {
        int h = height >> level(n);
        int w = width >> level(n);
        String blockName = top + "_" + n.name();
        switch (n.kind()) {
            case INPUT -> {
                Stream s = new Stream("s_image", n.output().format(), ConvLayer.actBits(n.output().format()), 1, 1, h, w);
                add(new Node("image", Kind.INPUT, n, null, Map.of(), Map.of("out", s)));
                produced.put(n.name(), s);
            }
            case CONV -> {
                Folding f = foldings.get(n.name());
                if (f == null) {
                    throw new IllegalArgumentException("no folding for layer " + n.name());
                }
                ConvLayer block = convBlock(top, net, height, width, n.name(), f);
                Stream in = fetch(g, n, n.inputs().get(0), f.simd(), false);
                Stream out = new Stream("s_" + n.name(), n.output().format(), block.outputCodeBits(), n.output().channels(),
                        f.pe(), h, w);
                add(new Node(n.name(), Kind.CONV, n, block, Map.of("in", in), Map.of("out", out)));
                produced.put(n.name(), out);
            }
            case MAX_POOL -> {
                Stream in = fetch(g, n, n.inputs().get(0), producerGroup(n.inputs().get(0)), false);
                MaxPool2x2 block = new MaxPool2x2(blockName, in.channels(), in.group(), in.bits(), in.height(), in.width());
                Stream out = new Stream("s_" + n.name(), in.format(), in.bits(), in.channels(), in.group(), h, w);
                add(new Node(n.name(), Kind.POOL, n, block, Map.of("in", in), Map.of("out", out)));
                produced.put(n.name(), out);
            }
            case UPSAMPLE -> {
                Stream in = fetch(g, n, n.inputs().get(0), producerGroup(n.inputs().get(0)), false);
                QFormat f = n.output().format();
                UpsampleBilinear2x block = new UpsampleBilinear2x(blockName, in.channels(), in.group(), in.bits(), in.height(),
                        in.width(), f.hardwareBits());
                Stream out = new Stream("s_" + n.name(), f, f.hardwareBits(), in.channels(), in.group(), h, w);
                add(new Node(n.name(), Kind.UPSAMPLE, n, block, Map.of("in", in), Map.of("out", out)));
                produced.put(n.name(), out);
            }
            case CONCAT -> {
                // the conv after it reads SIMD channels a beat; the concat's beats must not straddle its
                // inputs, so it writes gcd(SIMD, Ca, Cb) a beat (an adapter gathers them when less than SIMD)
                UNetGraph.Node conv = g.consumers(n.name()).get(0);
                int ca = g.node(n.inputs().get(0)).output().channels();
                int cb = g.node(n.inputs().get(1)).output().channels();
                int group = gcd(foldings.get(conv.name()).simd(), gcd(ca, cb));
                Stream a = fetch(g, n, n.inputs().get(0), group, false);
                Stream b = fetch(g, n, n.inputs().get(1), group, true);
                Concat block = new Concat(blockName, a.channels(), a.format(), b.channels(), b.format(), group);
                Stream out = new Stream("s_" + n.name(), n.output().format(), block.outputBits(), n.output().channels(), group, h, w);
                add(new Node(n.name(), Kind.CONCAT, n, block, Map.of("in", a, "skip", b), Map.of("out", out)));
                produced.put(n.name(), out);
            }
            case THRESHOLD -> {
                Stream in = fetch(g, n, n.inputs().get(0), 1, false);
                Threshold block = new Threshold(blockName, in.bits(),
                        new unetq.golden.Threshold(net.threshold(), QuantizedUNet.LOGIT_FORMAT.fracBits()).minCode());
                add(new Node(n.name(), Kind.THRESHOLD, n, block, Map.of("in", in), Map.of()));
            }
            default -> throw new IllegalStateException("unknown op " + n.kind());
        }
    }

    /**
     * The block of conv layer {@code layer} in a design named {@code top} for {@code height} x {@code width}
     * images. A max-pool delivers each of its rows in half a row period of its input: a conv it feeds
     * gets a row of slack in its window buffer, to take the burst while it still works on the row before.
     */
    public static ConvLayer convBlock(String top, QuantizedUNet net, int height, int width, String layer, Folding f) {
        UNetGraph g = net.graph();
        UNetGraph.Node n = g.node(layer);
        int slack = g.node(n.inputs().get(0)).kind() == UNetGraph.Kind.MAX_POOL ? 1 : 0;
        return new ConvLayer(top + "_" + layer, net.layer(layer), height >> n.level(), width >> n.level(), f, slack);
    }

    static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private int producerGroup(String golden) {
        return produced.get(golden).group();
    }

    /**
     * The stream {@code consumer} reads from golden node {@code from}, {@code group} channels a beat:
     * through a fork when {@code from} has two readers, a skip FIFO for a concat's skip input, and a
     * width adapter when the group differs.
     */
    private Stream fetch(UNetGraph g, UNetGraph.Node consumer, String from, int group, boolean skip) {
        Stream s = produced.get(from);
        int readers = g.consumers(from).size();
        if (readers == 2) {
            int k = taken.merge(from, 1, Integer::sum);
            String fork = forkOf.computeIfAbsent(from, x -> "fork" + g.node(from).level());
            if (k == 1) {
                Stream a = s.regrouped("s_" + fork + "_a", s.group());
                Stream b = s.regrouped("s_" + fork + "_b", s.group());
                add(new Node(fork, Kind.FORK, null, new StreamFork(top + "_" + fork, s.wordBits()), Map.of("in", s),
                        Map.of("a", a, "b", b)));
                s = a;
            } else {
                s = nodes.get(fork).outputs().get("b");
            }
        } else if (readers != 1) {
            throw new IllegalStateException(from + " has " + readers + " readers");
        }
        if (skip) {
            String fifo = "skip" + consumer.level();
            Stream out = s.regrouped("s_" + fifo, s.group());
            int depth = fifoDepths.getOrDefault(fifo, 2);
            int pack = SkipFifo.bestPack(s.wordBits(), depth, s.pixels() * s.beatsPerPixel());
            add(new Node(fifo, Kind.SKIP_FIFO, null, new SkipFifo(top + "_" + fifo, s.wordBits(), depth, pack), Map.of("in", s),
                    Map.of("out", out)));
            s = out;
        }
        if (s.group() != group) {
            String adapter = "adapt_" + consumer.name() + (skip ? "_skip" : "");
            Stream out = s.regrouped("s_" + adapter, group);
            add(new Node(adapter, Kind.ADAPTER, null, new WidthAdapter(top + "_" + adapter, s.group(), group, s.bits()),
                    Map.of("in", s), Map.of("out", out)));
            s = out;
        }
        return s;
    }

    private void add(Node n) {
        if (nodes.putIfAbsent(n.name(), n) != null) {
            throw new IllegalStateException("two nodes named " + n.name());
        }
    }

    /** The blocks, in order (the rows of a resource table). */
    public List<HardwareBlock> blocks() {
        List<HardwareBlock> b = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.block() != null) {
                b.add(n.block());
            }
        }
        return b;
    }

    /** The conv blocks by layer name, in order. */
    public Map<String, ConvLayer> convBlocks() {
        Map<String, ConvLayer> m = new LinkedHashMap<>();
        for (Node n : nodes(Kind.CONV)) {
            m.put(n.name(), (ConvLayer) n.block());
        }
        return m;
    }
}
