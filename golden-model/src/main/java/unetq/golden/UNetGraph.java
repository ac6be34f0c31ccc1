package unetq.golden;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The U-Net as one dataflow graph of ops (FINN's ModelWrapper in spirit): the only place that
 * says how the network is wired. The integer forward pass ({@link QuantizedUNet}), the training
 * network, and the hardware (timing, skip analysis, folding, estimate, RTL top) all walk it.
 *
 * <p>Nodes come in topological order: {@code image}, per encoder level {@code enc{l}a},
 * {@code enc{l}b} and (but at the bottom) {@code pool{l}} to level l+1; per decoder level from the
 * bottom {@code up{l}} (from level l+1 to l), {@code cat{l}} = [up{l}, enc{l}b], {@code dec{l}a},
 * {@code dec{l}b}; then {@code head} and {@code mask}. Each node's output is a {@link Tensor}: its
 * channels, its level (the image side divided by 2^level) and its format.
 */
public final class UNetGraph {
    /** What a node computes. */
    public enum Kind { INPUT, CONV, MAX_POOL, UPSAMPLE, CONCAT, THRESHOLD }

    /** A tensor between ops: channels, spatial level (sides >> level) and the format of its codes. */
    public record Tensor(int channels, int level, QFormat format) {
    }

    /** One op: name, kind, input nodes in order, output tensor; a conv also has its spec. */
    public record Node(String name, Kind kind, List<String> inputs, Tensor output, UNetTopology.ConvSpec conv) {
        public Node {
            inputs = List.copyOf(inputs);
        }

        public int level() {
            return output.level();
        }
    }

    /** The mask a threshold node writes: one bit per pixel. */
    public static final QFormat MASK_FORMAT = QFormat.uq(1, 0);

    private final UNetTopology topology;
    private final QFormat activations;
    private final Map<String, Node> nodes;

    private UNetGraph(UNetTopology topology, QFormat activations, Map<String, Node> nodes) {
        this.topology = topology;
        this.activations = activations;
        this.nodes = Collections.unmodifiableMap(nodes);
    }

    /** The graph of a topology whose hidden activations are in {@code activations}. */
    public static UNetGraph of(UNetTopology topology, QFormat activations) {
        Map<String, Node> g = new LinkedHashMap<>();
        Map<String, UNetTopology.ConvSpec> specs = new LinkedHashMap<>();
        topology.convs().forEach(s -> specs.put(s.name(), s));
        add(g, new Node("image", Kind.INPUT, List.of(), new Tensor(1, 0, QuantizedUNet.IMAGE_FORMAT), null));
        String x = "image";
        int levels = topology.levels();
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                Tensor in = g.get(x).output();
                String pool = "pool" + (l - 1);
                add(g, new Node(pool, Kind.MAX_POOL, List.of(x), new Tensor(in.channels(), l, in.format()), null));
                x = pool;
            }
            x = conv(g, specs.get("enc" + l + "a"), x, l, activations);
            x = conv(g, specs.get("enc" + l + "b"), x, l, activations);
        }
        for (int l = levels - 2; l >= 0; l--) {
            Tensor deep = g.get(x).output();
            String up = "up" + l;
            add(g, new Node(up, Kind.UPSAMPLE, List.of(x), new Tensor(deep.channels(), l, Ops.upsampledFormat(deep.format())), null));
            String skip = "enc" + l + "b";
            Tensor s = g.get(skip).output();
            String cat = "cat" + l;
            add(g, new Node(cat, Kind.CONCAT, List.of(up, skip), new Tensor(deep.channels() + s.channels(), l,
                    Ops.concatFormat(g.get(up).output().format(), s.format())), null));
            x = conv(g, specs.get("dec" + l + "a"), cat, l, activations);
            x = conv(g, specs.get("dec" + l + "b"), x, l, activations);
        }
        x = conv(g, specs.get("head"), x, 0, activations);
        add(g, new Node("mask", Kind.THRESHOLD, List.of(x), new Tensor(1, 0, MASK_FORMAT), null));
        return new UNetGraph(topology, activations, g);
    }

    private static String conv(Map<String, Node> g, UNetTopology.ConvSpec s, String input, int level, QFormat activations) {
        Tensor in = g.get(input).output();
        if (in.channels() != s.in()) {
            throw new IllegalStateException(s.name() + " reads " + s.in() + " channels, " + input + " has " + in.channels());
        }
        if (!in.format().equals(QuantizedUNet.inputFormat(s.role(), activations))) {
            throw new IllegalStateException(s.name() + " reads " + QuantizedUNet.inputFormat(s.role(), activations)
                    + ", " + input + " writes " + in.format());
        }
        QFormat out = s.role() == UNetTopology.Role.HEAD ? QuantizedUNet.LOGIT_FORMAT : activations;
        add(g, new Node(s.name(), Kind.CONV, List.of(input), new Tensor(s.out(), level, out), s));
        return s.name();
    }

    private static void add(Map<String, Node> g, Node n) {
        if (g.putIfAbsent(n.name(), n) != null) {
            throw new IllegalStateException("two nodes named " + n.name());
        }
    }

    public UNetTopology topology() {
        return topology;
    }

    public QFormat activations() {
        return activations;
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

    /** The nodes that read {@code name}'s output, in order. */
    public List<Node> consumers(String name) {
        List<Node> c = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.inputs().contains(name)) {
                c.add(n);
            }
        }
        return c;
    }

    /** How to compute each op on tensors of type {@code T}: the golden model's integers, the training engine's arrays. */
    public interface Evaluator<T> {
        T conv(Node node, T in);

        T maxPool(Node node, T in);

        T upsample(Node node, T in);

        T concat(Node node, T first, T second);
    }

    /**
     * Runs the graph on {@code image} in topological order and returns every node's output by name
     * (the threshold node is the caller's: it turns logits into a mask).
     */
    public <T> Map<String, T> evaluate(T image, Evaluator<T> ev) {
        Map<String, T> out = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            List<T> in = n.inputs().stream().map(out::get).toList();
            switch (n.kind()) {
                case INPUT -> out.put(n.name(), image);
                case CONV -> out.put(n.name(), ev.conv(n, in.get(0)));
                case MAX_POOL -> out.put(n.name(), ev.maxPool(n, in.get(0)));
                case UPSAMPLE -> out.put(n.name(), ev.upsample(n, in.get(0)));
                case CONCAT -> out.put(n.name(), ev.concat(n, in.get(0), in.get(1)));
                case THRESHOLD -> { }
                default -> throw new IllegalStateException("unknown op " + n.kind());
            }
        }
        return out;
    }
}
