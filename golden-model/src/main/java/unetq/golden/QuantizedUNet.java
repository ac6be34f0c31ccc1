package unetq.golden;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The integer U-Net: the bit-exact reference for the accelerator. Every conv is a {@link ConvLayer}
 * of the contract; between them: 2x2 max-pool, bilinear x2 upsampling (+4 fraction bits), concat
 * [up, skip] aligned to the upsampled format, and the head's logit compared with the threshold.
 *
 * <p>Formats: image UQ0.8; activations one format A (QA.0 in the paper's configs); decoder concat
 * inputs A with 4 more fraction bits; the head writes logits in {@link #LOGIT_FORMAT} (its weights
 * are Q0.8, so the logit keeps the accumulator's 8 fraction bits). Logits beyond +-128 saturate,
 * which cannot change the mask.
 */
public final class QuantizedUNet {
    public static final QFormat IMAGE_FORMAT = QFormat.uq(0, 8);
    public static final QFormat LOGIT_FORMAT = QFormat.q(7, 8);
    public static final QFormat HEAD_WEIGHTS = QFormat.weights(8);

    private final UNetTopology topology;
    private final QFormat activations;
    private final Map<String, ConvLayer> layers;
    private final double threshold;
    private final UNetGraph graph;

    public QuantizedUNet(UNetTopology topology, QFormat activations, List<ConvLayer> convs, double threshold) {
        this.topology = topology;
        this.activations = activations;
        this.threshold = threshold;
        new Threshold(threshold, LOGIT_FORMAT.fracBits());
        this.graph = UNetGraph.of(topology, activations);
        List<UNetTopology.ConvSpec> specs = topology.convs();
        if (convs.size() != specs.size()) {
            throw new IllegalArgumentException("a " + topology + " U-Net has " + specs.size() + " convs, got " + convs.size());
        }
        this.layers = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            UNetTopology.ConvSpec s = specs.get(i);
            ConvLayer l = convs.get(i);
            if (!l.name().equals(s.name()) || l.weights().inChannels() != s.in() || l.weights().outChannels() != s.out()
                    || l.weights().kernel() != 3) {
                throw new IllegalArgumentException("layer " + i + " should be " + s.name() + " (3x3, " + s.in() + " -> "
                        + s.out() + "), got " + l.name() + " (" + l.weights().kernel() + "x" + l.weights().kernel() + ", "
                        + l.weights().inChannels() + " -> " + l.weights().outChannels() + ")");
            }
            QFormat expectedIn = inputFormat(s.role(), activations);
            if (!l.inputFormat().equals(expectedIn)) {
                throw new IllegalArgumentException(s.name() + " input format should be " + expectedIn + ", got "
                        + l.inputFormat());
            }
            // on the fixed grid the head only shifts (mult 1) its accumulator to Q7.8; a learned input step
            // adds a multiplier, whose fraction bits then add to the shift
            int headDrop = l.inputFormat().fracBits() + l.weightFormat().fracBits() - LOGIT_FORMAT.fracBits();
            boolean unitMult = java.util.stream.IntStream.range(0, l.requantizer().channels()).allMatch(c -> l.requantizer().mult(c) == 1);
            if (s.role() == UNetTopology.Role.HEAD && (unitMult ? l.requantizer().shift() != headDrop : l.requantizer().shift() < headDrop)) {
                throw new IllegalArgumentException("head shift " + l.requantizer().shift() + " does not bring its accumulator ("
                        + (l.inputFormat().fracBits() + l.weightFormat().fracBits()) + " fraction bits) to "
                        + LOGIT_FORMAT.paperName());
            }
            QFormat expectedOut = s.role() == UNetTopology.Role.HEAD ? LOGIT_FORMAT : activations;
            if (!l.outputFormat().equals(expectedOut)) {
                throw new IllegalArgumentException(s.name() + " output format should be " + expectedOut + ", got "
                        + l.outputFormat());
            }
            layers.put(s.name(), l);
        }
    }

    /** The input format a conv of this role reads. */
    public static QFormat inputFormat(UNetTopology.Role role, QFormat activations) {
        return switch (role) {
            case FIRST -> IMAGE_FORMAT;
            case DECODER_CONCAT -> Ops.concatFormat(Ops.upsampledFormat(activations), activations);
            default -> activations;
        };
    }

    public UNetTopology topology() {
        return topology;
    }

    public QFormat activationFormat() {
        return activations;
    }

    public double threshold() {
        return threshold;
    }

    public List<ConvLayer> layers() {
        return List.copyOf(layers.values());
    }

    public ConvLayer layer(String name) {
        ConvLayer l = layers.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no layer " + name);
        }
        return l;
    }

    /** The weight format of the quantized body (not the first conv or the head). */
    public QFormat weightFormat() {
        return layer("enc1a").weightFormat();
    }

    /** Everything one inference produced: each conv's input and output by name, the logits and the mask. */
    public record Result(Map<String, IntTensor> inputs, Map<String, IntTensor> taps, IntTensor logits, boolean[][] mask) {
    }

    /** The dataflow graph this network runs (the one every other view of the U-Net walks). */
    public UNetGraph graph() {
        return graph;
    }

    public Result forward(IntTensor image) {
        if (image.channels() != 1) {
            throw new IllegalArgumentException("the U-Net takes one grey channel, got " + image.channels());
        }
        topology.requireSize(image.height(), image.width());
        Map<String, IntTensor> taps = new LinkedHashMap<>();
        Map<String, IntTensor> inputs = new LinkedHashMap<>();
        Map<String, IntTensor> out = graph.evaluate(image, new UNetGraph.Evaluator<>() {
            @Override
            public IntTensor conv(UNetGraph.Node node, IntTensor in) {
                inputs.put(node.name(), in);
                IntTensor y = layers.get(node.name()).forward(in);
                taps.put(node.name(), y);
                return y;
            }

            @Override
            public IntTensor maxPool(UNetGraph.Node node, IntTensor in) {
                return Ops.maxPool2x2(in);
            }

            @Override
            public IntTensor upsample(UNetGraph.Node node, IntTensor in) {
                return Ops.upsampleBilinear2x(in);
            }

            @Override
            public IntTensor concat(UNetGraph.Node node, IntTensor first, IntTensor second) {
                return Ops.concat(first, graph.node(node.inputs().get(0)).output().format(), second,
                        graph.node(node.inputs().get(1)).output().format());
            }
        });
        IntTensor logits = out.get("head");
        return new Result(inputs, taps, logits, new Threshold(threshold, LOGIT_FORMAT.fracBits()).mask(logits));
    }

    /** Number of weight codes (all convs). */
    public long weightCount() {
        return layers.values().stream().mapToLong(l -> (long) l.weights().fanIn() * l.weights().outChannels()).sum();
    }

    /**
     * A seeded random model of a preset: weights uniform over each format, requantizers spread over
     * the activation range (see {@link RandomLayers}). For exploring hardware before any training.
     */
    public static QuantizedUNet random(UNetTopology topology, QFormat weights, QFormat activations, long seed) {
        Random rnd = new Random(seed);
        List<ConvLayer> convs = new ArrayList<>();
        for (UNetTopology.ConvSpec s : topology.convs()) {
            QFormat in = inputFormat(s.role(), activations);
            if (s.role() == UNetTopology.Role.HEAD) {
                ConvWeights w = RandomLayers.weights(rnd, 1, s.in(), 3, HEAD_WEIGHTS);
                // accumulator fraction bits in.f + 8; the logit keeps 8
                Requantizer identity = new Requantizer(new long[] {rnd.nextInt(2001) - 1000}, new long[] {1},
                        new long[] {0}, in.fracBits() + HEAD_WEIGHTS.fracBits() - LOGIT_FORMAT.fracBits(), false, LOGIT_FORMAT);
                convs.add(new ConvLayer(s.name(), w, HEAD_WEIGHTS, in, identity));
            } else {
                QFormat wf = s.role() == UNetTopology.Role.FIRST ? HEAD_WEIGHTS : weights;
                convs.add(RandomLayers.conv(rnd, s.name(), s.in(), s.out(), 3, wf, in, activations, true));
            }
        }
        return new QuantizedUNet(topology, activations, convs, 0.5);
    }
}
