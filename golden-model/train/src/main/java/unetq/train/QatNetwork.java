package unetq.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetGraph;
import unetq.golden.UNetTopology;

/**
 * The paper's U-Net with fake quantization, written with DJL's raw ops (autograd is PyTorch's):
 * per conv {@code conv(x, Q(w), Q(b)) -> ReLU -> BatchNorm -> Q_a}, the head {@code conv(x, Q(w), Q(b))}.
 * Each conv's input is on its integer grid, so the integer export computes the same thing.
 */
public final class QatNetwork {
    static final float BN_EPS = 1e-5f;
    /** DJL's momentum weights the old running value (MXNet convention): 0.9 here is PyTorch's momentum 0.1. */
    static final float BN_MOMENTUM = 0.9f;

    /** The trainable and running tensors of one conv. */
    public static final class Conv {
        final UNetTopology.ConvSpec spec;
        final NDArray weight;
        final NDArray bias;
        final NDArray gamma;
        final NDArray beta;
        final NDArray runningMean;
        final NDArray runningVar;

        Conv(UNetTopology.ConvSpec spec, NDArray weight, NDArray bias, NDArray gamma, NDArray beta, NDArray mean,
             NDArray var) {
            this.spec = spec;
            this.weight = weight;
            this.bias = bias;
            this.gamma = gamma;
            this.beta = beta;
            this.runningMean = mean;
            this.runningVar = var;
        }

        boolean isHead() {
            return spec.role() == UNetTopology.Role.HEAD;
        }
    }

    private final QatConfig config;
    private final List<Conv> convs = new ArrayList<>();
    private final Map<String, Conv> byName = new LinkedHashMap<>();
    private final UNetGraph graph;
    private final ActivationSteps stepGroups;
    /** ln(step) per group of {@link ActivationSteps}, when the config learns its steps. */
    private final Map<String, NDArray> logSteps = new LinkedHashMap<>();

    /** New parameters: the paper's uniform(-1, 1) for quantized convs, 1/sqrt(fan-in) bounds for the first conv and head. */
    public QatNetwork(NDManager manager, QatConfig config, long seed) {
        this(manager, config, seed, 1f);
    }

    /** As {@link #QatNetwork(NDManager, QatConfig, long)}, with every BatchNorm scale starting at {@code gamma0}. */
    public QatNetwork(NDManager manager, QatConfig config, long seed, float gamma0) {
        this.config = config;
        this.graph = graphOf(config);
        this.stepGroups = new ActivationSteps(graph);
        Random rnd = new Random(seed);
        for (UNetTopology.ConvSpec s : config.topology().convs()) {
            int fanIn = 9 * s.in();
            boolean floatInPaper = s.role() == UNetTopology.Role.FIRST || s.role() == UNetTopology.Role.HEAD;
            float bound = floatInPaper || !config.quantized() ? (float) (1 / Math.sqrt(fanIn)) : 1f;
            float[] w = new float[s.out() * fanIn];
            for (int i = 0; i < w.length; i++) {
                w[i] = (rnd.nextFloat() * 2 - 1) * bound;
            }
            NDArray weight = manager.create(w, new Shape(s.out(), s.in(), 3, 3));
            NDArray bias = manager.zeros(new Shape(s.out()));
            boolean head = s.role() == UNetTopology.Role.HEAD;
            add(new Conv(s, weight, bias, head ? null : manager.ones(new Shape(s.out())).mul(gamma0),
                    head ? null : manager.zeros(new Shape(s.out())), head ? null : manager.zeros(new Shape(s.out())),
                    head ? null : manager.ones(new Shape(s.out()))));
        }
        if (config.learnedSteps()) {
            float step0 = 1f / initialGamma(config.activations());
            for (String g : stepGroups.groups()) {
                logSteps.put(g, manager.create(new float[] {(float) Math.log(step0)}, new Shape(1)));
            }
        }
        for (NDArray p : trainable().values()) {
            p.setRequiresGradient(true);
        }
    }

    /**
     * A BatchNorm starting scale fitted to an activation format ({@code --bn-gamma auto}). The quantizer
     * truncates toward zero onto the format's grid, so with the paper's gamma 1 a unit-variance output on
     * the integer grid of Q6.0 keeps about five levels and zeroes everything in (-1, 1). Eight grid steps
     * per standard deviation (or range / 8 where the format is too short for that, never below 1) uses
     * the bits the format has.
     */
    public static float initialGamma(QFormat activations) {
        double range = activations.maxCode() * activations.step();
        return (float) Math.max(1, Math.min(8 * activations.step(), range / 8));
    }

    private QatNetwork(QatConfig config) {
        this.config = config;
        this.graph = graphOf(config);
        this.stepGroups = new ActivationSteps(graph);
    }

    /** The network's wiring; a float network's formats are nominal (Q6.0), only the structure is used. */
    private static UNetGraph graphOf(QatConfig config) {
        return UNetGraph.of(config.topology(), config.quantized() ? config.activations() : QFormat.activations(6));
    }

    private void add(Conv c) {
        convs.add(c);
        byName.put(c.spec.name(), c);
    }

    /**
     * A copy with every tensor cast to {@code type} (no gradients). In float64 every product and
     * sum of the formats up to Q8.8 is exact, so the copy computes what the integer model computes.
     */
    public QatNetwork copyAs(ai.djl.ndarray.types.DataType type) {
        QatNetwork n = new QatNetwork(config);
        for (Conv c : convs) {
            n.add(new Conv(c.spec, c.weight.toType(type, true), c.bias.toType(type, true),
                    c.gamma == null ? null : c.gamma.toType(type, true), c.beta == null ? null : c.beta.toType(type, true),
                    c.runningMean == null ? null : c.runningMean.toType(type, true),
                    c.runningVar == null ? null : c.runningVar.toType(type, true)));
        }
        logSteps.forEach((g, v) -> n.logSteps.put(g, v.toType(type, true)));
        return n;
    }

    /** The element type of the parameters. */
    public ai.djl.ndarray.types.DataType dataType() {
        return convs.get(0).weight.getDataType();
    }

    public QatConfig config() {
        return config;
    }

    List<Conv> convs() {
        return convs;
    }

    /** Parameters Adam updates, by stable name. */
    public Map<String, NDArray> trainable() {
        Map<String, NDArray> m = new LinkedHashMap<>();
        for (Conv c : convs) {
            m.put(c.spec.name() + ".weight", c.weight);
            m.put(c.spec.name() + ".bias", c.bias);
            if (!c.isHead()) {
                m.put(c.spec.name() + ".gamma", c.gamma);
                m.put(c.spec.name() + ".beta", c.beta);
            }
        }
        logSteps.forEach((g, v) -> m.put(g + ".logStep", v));
        return m;
    }

    /**
     * Scales each output channel of every conv followed by a BatchNorm onto its weight grid: weights and
     * bias by a = 1 / (the channel's best step, {@link StepCalibration}), the running mean by a and the
     * running deviation sqrt(var + eps) by a. ReLU commutes with a positive scale, so BatchNorm's output,
     * and the float network, stay as they were; a float-trained conv's small weights would otherwise mostly round to
     * zero on Q0.4's 1/16 grid. A channel reaches at most |w| = 1: a format with integer bits
     * (Q8.8) has the same 1/256 grid below 1 as Q0.8, and scaling into them would only grow the BatchNorm
     * deviation and with it the requantizer's shift. Returns how many channels were scaled.
     */
    int scaleWeightsOntoGrid() {
        int scaled = 0;
        for (Conv c : convs) {
            QFormat wf = weightFormat(c.spec);
            if (c.isHead() || wf == null) {
                continue;
            }
            float[] w = c.weight.toFloatArray();
            float[] b = c.bias.toFloatArray();
            float[] mean = c.runningMean.toFloatArray();
            float[] var = c.runningVar.toFloatArray();
            int per = w.length / b.length;
            for (int o = 0; o < b.length; o++) {
                float[] channel = java.util.Arrays.copyOfRange(w, o * per, (o + 1) * per);
                float a = (float) (1 / StepCalibration.bestStep(channel, wf, 1));
                for (int i = o * per; i < (o + 1) * per; i++) {
                    w[i] *= a;
                }
                b[o] *= a;
                mean[o] *= a;
                var[o] = Math.max(0, a * a * (var[o] + BN_EPS) - BN_EPS); // sqrt(var + eps) scales by a exactly
                scaled++;
            }
            Trainer.assign(c.weight, w);
            Trainer.assign(c.bias, b);
            Trainer.assign(c.runningMean, mean);
            Trainer.assign(c.runningVar, var);
        }
        return scaled;
    }

    /**
     * Sets each learned step to the one that best quantizes what {@code reference} (a trained network of
     * the same topology, in inference mode) puts out in its group on {@code images} ({@link StepCalibration});
     * returns how many steps were set.
     */
    int calibrateSteps(QatNetwork reference, NDArray images) {
        Map<String, List<float[]>> byGroup = new LinkedHashMap<>();
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            scope.suppressNotUsedWarning();
            Map<String, NDArray> taps = new LinkedHashMap<>();
            reference.forward(images, false, taps);
            taps.forEach((conv, y) -> {
                String g = stepGroups.outputGroup(conv);
                if (g != null && logSteps.containsKey(g)) {
                    byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(y.toFloatArray());
                }
            });
        }
        byGroup.forEach((g, parts) -> {
            float[] all = new float[parts.stream().mapToInt(a -> a.length).sum()];
            int at = 0;
            for (float[] a : parts) {
                System.arraycopy(a, 0, all, at, a.length);
                at += a.length;
            }
            float log = (float) Math.log(StepCalibration.bestStep(all, config.activations()));
            Trainer.assign(logSteps.get(g), new float[] {log});
        });
        return byGroup.size();
    }

    /**
     * The learned step of a conv's output (a real value per code), or 1 on the paper's fixed grid.
     * Convs joined by a concat share one.
     */
    public double outputStep(UNetTopology.ConvSpec s) {
        return step(stepGroups.outputGroup(s.name()));
    }

    /** The step of a conv's input codes: its producer's output step, 1 for the image (whose UQ0.8 grid is fixed). */
    public double inputStep(UNetTopology.ConvSpec s) {
        return step(stepGroups.inputGroup(s.name()));
    }

    private double step(String group) {
        NDArray l = group == null ? null : logSteps.get(group);
        return l == null ? 1 : Math.exp(l.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble(0));
    }

    /** Everything a checkpoint must hold: trainable parameters and BatchNorm running statistics. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> m = trainable();
        for (Conv c : convs) {
            if (!c.isHead()) {
                m.put(c.spec.name() + ".runningMean", c.runningMean);
                m.put(c.spec.name() + ".runningVar", c.runningVar);
            }
        }
        return m;
    }

    /** Weight format of a conv (Q0.8 for the first conv and the head), or null in full precision. */
    QFormat weightFormat(UNetTopology.ConvSpec s) {
        if (!config.quantized()) {
            return null;
        }
        return s.role() == UNetTopology.Role.FIRST || s.role() == UNetTopology.Role.HEAD ? QuantizedUNet.HEAD_WEIGHTS
                : config.weights();
    }

    /** Input format of a conv, or null in full precision. */
    QFormat inputFormat(UNetTopology.ConvSpec s) {
        return config.quantized() ? QuantizedUNet.inputFormat(s.role(), config.activations()) : null;
    }

    /** Logits for a batch N x 1 x H x W of images with values code/256. */
    public NDArray forward(NDArray images, boolean training) {
        return forward(images, training, null);
    }

    /**
     * As {@link #forward(NDArray, boolean)}, recording each conv's output by name when {@code taps} is
     * given. The wiring is {@link UNetGraph}'s, the same graph the integer model and the hardware walk.
     */
    public NDArray forward(NDArray images, boolean training, Map<String, NDArray> taps) {
        Map<String, NDArray> out = graph.evaluate(images, new UNetGraph.Evaluator<>() {
            @Override
            public NDArray conv(UNetGraph.Node node, NDArray in) {
                NDArray y = layer(byName.get(node.name()), in, training);
                if (taps != null) {
                    taps.put(node.name(), y);
                }
                return y;
            }

            @Override
            public NDArray maxPool(UNetGraph.Node node, NDArray in) {
                return Pool.maxPool2d(in, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }

            @Override
            public NDArray upsample(UNetGraph.Node node, NDArray in) {
                long h = in.getShape().get(2);
                long w = in.getShape().get(3);
                return in.getNDArrayInternal().interpolation(new long[] {2 * h, 2 * w}, 1, false);
            }

            @Override
            public NDArray concat(UNetGraph.Node node, NDArray first, NDArray second) {
                return NDArrays.concat(new NDList(first, second), 1);
            }
        });
        return out.get("head");
    }

    /**
     * One conv. Its input x is real: codes times the producer's step. With learned steps the bias sits on
     * the accumulator grid times that step (so it is an integer at the accumulator's scale), and the
     * output is step * Q(y / step): codes on the format's grid, scaled back (LSQ, Esser et al. 2020; the
     * straight-through gradient reaches the step through both the division and the product).
     */
    private NDArray layer(Conv c, NDArray x, boolean training) {
        QFormat wf = weightFormat(c.spec);
        NDArray w = wf == null ? c.weight : FakeQuant.ste(c.weight, wf);
        NDArray b;
        if (wf == null) {
            b = c.bias;
        } else {
            int accFrac = inputFormat(c.spec).fracBits() + wf.fracBits();
            NDArray inStep = stepArray(stepGroups.inputGroup(c.spec.name()));
            b = inStep == null ? FakeQuant.steGrid(c.bias, accFrac) : FakeQuant.steGrid(c.bias.div(inStep), accFrac).mul(inStep);
        }
        NDArray y = BlockAlignedConv.conv3x3(x, w, b);
        if (c.isHead()) {
            return y;
        }
        y = Activation.relu(y);
        y = BatchNorm.batchNorm(y, c.runningMean, c.runningVar, c.gamma, c.beta, 1, BN_MOMENTUM, BN_EPS, training)
                .singletonOrThrow();
        if (!config.quantized()) {
            return y;
        }
        NDArray outStep = stepArray(stepGroups.outputGroup(c.spec.name()));
        return outStep == null ? FakeQuant.ste(y, config.activations())
                : FakeQuant.ste(y.div(outStep), config.activations()).mul(outStep);
    }

    /** exp(ln step) of a group as a differentiable 1-element array, or null on the fixed grid. */
    private NDArray stepArray(String group) {
        NDArray l = group == null ? null : logSteps.get(group);
        return l == null ? null : l.exp();
    }
}
