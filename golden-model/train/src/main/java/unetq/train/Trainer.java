package unetq.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import unetq.golden.Dice;
import unetq.golden.EmDataset;
import unetq.golden.Sample;
import unetq.golden.SegmentationDataset;

/**
 * Quantization-aware training on CPU: Adam, the dataset's loss (the paper's), the {@link Recipe}'s
 * learning-rate schedule and augmentation, seeded crops, per-epoch validation Dice
 * at the paper's threshold 0.999 and at 0.5, best-validation model kept (as the paper; with frozen
 * BatchNorm statistics, the best of the frozen epochs), a checkpoint after every epoch, and resume
 * from one. Optionally a teacher network's logits are distilled into the student (logit matching).
 */
public final class Trainer {
    /**
     * Forward passes in training mode that {@code calibrate} runs so BatchNorm's running statistics become
     * the quantized network's own (momentum 0.9: the float network's weigh 0.9^30 = 4 % after them).
     * Truncation toward zero shifts every quantized activation's mean; the float statistics would carry
     * that shift into the next layer ({@code QatIT.calibrationStartsFineTuningCloseToTheFloatModel}).
     */
    static final int RECALIBRATION_BATCHES = 30;

    /** Logit of the paper's threshold 0.999. */
    public static final double LOGIT_999 = Math.log(999);

    /**
     * How to train. The last {@code frozenBnEpochs} epochs train with BatchNorm in inference mode (running
     * statistics frozen), so the network is fitted to the function the integer model computes; every
     * BatchNorm scale starts at {@code bnGamma} (the paper: 1). {@code teacher}, when not null, adds its
     * logit-matching term to the loss. {@code averagedEpochs} N &gt; 0 keeps the average of the weights of the
     * last N epochs instead of the best validation epoch (with frozen statistics, N may not exceed the frozen
     * epochs, so every averaged network shares one set of BatchNorm statistics). {@code init}, when not null,
     * is a trained checkpoint of the same topology whose weights, BatchNorm parameters and statistics (and
     * learned steps, if it has them) the network starts from instead of random ones; {@code calibrate}
     * then fits the quantizers to it: each conv channel's weights scaled onto the weight grid
     * ({@link QatNetwork#scaleWeightsOntoGrid}), learned steps to its activations on a training batch, and
     * BatchNorm statistics re-estimated on the quantized network ({@link #RECALIBRATION_BATCHES}).
     */
    public record Options(int epochs, int batchSize, int stepsPerEpoch, float learningRate, Recipe recipe, long seed,
                          int frozenBnEpochs, float bnGamma, Teacher teacher, Path checkpoint, Path resume, String command,
                          int averagedEpochs, Path init, boolean calibrate) {
        /** Starts from {@code init}'s arrays, learned steps it lacks at their fixed start. */
        public Options(int epochs, int batchSize, int stepsPerEpoch, float learningRate, Recipe recipe, long seed,
                       int frozenBnEpochs, float bnGamma, Teacher teacher, Path checkpoint, Path resume, String command,
                       int averagedEpochs, Path init) {
            this(epochs, batchSize, stepsPerEpoch, learningRate, recipe, seed, frozenBnEpochs, bnGamma, teacher, checkpoint,
                    resume, command, averagedEpochs, init, false);
        }

        /** Starts from the seed's random weights. */
        public Options(int epochs, int batchSize, int stepsPerEpoch, float learningRate, Recipe recipe, long seed,
                       int frozenBnEpochs, float bnGamma, Teacher teacher, Path checkpoint, Path resume, String command,
                       int averagedEpochs) {
            this(epochs, batchSize, stepsPerEpoch, learningRate, recipe, seed, frozenBnEpochs, bnGamma, teacher, checkpoint,
                    resume, command, averagedEpochs, null);
        }

        /** Keeps the best validation epoch. */
        public Options(int epochs, int batchSize, int stepsPerEpoch, float learningRate, Recipe recipe, long seed,
                       int frozenBnEpochs, float bnGamma, Teacher teacher, Path checkpoint, Path resume, String command) {
            this(epochs, batchSize, stepsPerEpoch, learningRate, recipe, seed, frozenBnEpochs, bnGamma, teacher, checkpoint,
                    resume, command, 0);
        }

        public Options {
            java.util.Objects.requireNonNull(recipe, "recipe");
            if (!(bnGamma > 0) || Float.isInfinite(bnGamma)) {
                throw new IllegalArgumentException("BatchNorm starting scale must be a positive number, got " + bnGamma);
            }
            if (epochs < 1 || batchSize < 1 || stepsPerEpoch < 1) {
                throw new IllegalArgumentException("epochs, batch size and steps per epoch must be >= 1");
            }
            if (frozenBnEpochs < 0 || frozenBnEpochs > epochs) {
                throw new IllegalArgumentException("frozen-BatchNorm epochs must be between 0 and the epochs (" + epochs + ")");
            }
            int most = frozenBnEpochs > 0 ? frozenBnEpochs : epochs;
            if (calibrate && init == null) {
                throw new IllegalArgumentException("calibration needs a trained network to start from (init)");
            }
            if (averagedEpochs < 0 || averagedEpochs > most) {
                throw new IllegalArgumentException("averaged epochs must be between 0 and the " + (frozenBnEpochs > 0
                        ? "frozen-BatchNorm epochs (" : "epochs (") + most + ")");
            }
        }

        /** Whether the weights after epoch {@code epoch} (1-based) join the average; its position in it from 1. */
        int averagePosition(int epoch) {
            return averagedEpochs == 0 ? 0 : Math.max(0, epoch - (epochs - averagedEpochs));
        }

        /**
         * Whether epoch {@code epoch} (1-based) may be kept as the best: any epoch, or with frozen statistics
         * only the frozen ones, whose validation measures the function they were trained as (an early epoch
         * of a noisy start cannot win).
         */
        boolean selectable(int epoch) {
            return epoch >= 1 && (frozenBnEpochs == 0 || !batchStatistics(epoch - 1));
        }

        /** Whether epoch {@code e} (0-based) updates BatchNorm running statistics from its batches. */
        boolean batchStatistics(int e) {
            return e < epochs - frozenBnEpochs;
        }
    }

    /**
     * Logit matching (Ba and Caruana 2014): {@code weight * mean((z - z_teacher)^2)} over every pixel is added
     * to the loss, with the teacher in inference mode. Unlike the sigmoid losses, whose gradients vanish once
     * a pixel is confidently classified, its gradient keeps pulling the student's logits to the teacher's
     * (inside a cell, the shipped float EM model's average 7.79) - the confidence the paper's threshold 0.999
     * measures (docs/training.md).
     */
    public record Teacher(QatNetwork network, float weight, float clip) {
        public Teacher {
            if (!(weight > 0) || Float.isInfinite(weight)) {
                throw new IllegalArgumentException("teacher weight must be a positive number, got " + weight);
            }
            if (!(clip > 0)) {
                throw new IllegalArgumentException("teacher logit clip must be a positive number or infinity, got " + clip);
            }
        }

        /** Without a clip. */
        public Teacher(QatNetwork network, float weight) {
            this(network, weight, Float.POSITIVE_INFINITY);
        }

        /**
         * The teacher's logits for a batch, detached from any gradient, clipped to [-clip, clip]: a soft-Dice
         * teacher's logits grow without bound (GM: 157-270), and matching those is a regression to
         * saturation rather than a nudge near the threshold.
         */
        NDArray logits(NDArray images) {
            NDArray z = network.forward(images, false).stopGradient();
            return Float.isInfinite(clip) ? z : z.clip(-clip, clip);
        }
    }

    /** One epoch's numbers; {@code seconds} is this process's wall-clock time (0 for epochs read from a checkpoint). */
    public record Epoch(int epoch, double loss, double diceAt999, double diceAt05, double seconds) {
    }

    /**
     * Training produced a non-finite loss, weight or BatchNorm statistic: the run stops, and nothing of
     * the diverged state is written.
     */
    public static final class Diverged extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Diverged(String message) {
            super(message);
        }
    }

    /**
     * The trained network (best validation epoch, or the average of the last epochs, loaded), its history,
     * and this process's training time; with an average, {@code bestEpoch} is the last epoch and
     * {@code bestDice} the average's.
     */
    public record Outcome(QatNetwork network, List<Epoch> history, int bestEpoch, double bestDice, double seconds) {
    }

    private Trainer() {
    }

    /** Sets the PyTorch thread counts; must run before the engine starts. */
    public static void configureThreads(int threads) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.default_engine", "PyTorch");
    }

    public static Outcome train(NDManager manager, SegmentationDataset data, QatConfig config, Options opt,
                                Consumer<String> progress) throws IOException {
        if (opt.teacher() != null && !opt.teacher().network().config().topology().equals(config.topology())) {
            throw new IllegalArgumentException("the teacher is a " + opt.teacher().network().config().topology()
                    + " network, the student a " + config.topology() + ": they must have the same topology");
        }
        QatNetwork net = new QatNetwork(manager, config, opt.seed(), opt.bnGamma());
        if (opt.init() != null && opt.resume() == null) {
            QatNetwork source = Checkpoint.loadBest(opt.init(), manager);
            progress.accept("initialised " + initialise(net, source, opt.init()) + " arrays from " + opt.init());
            if (opt.calibrate() && config.quantized()) {
                progress.accept("scaled " + net.scaleWeightsOntoGrid() + " conv channels onto the " + config.weights().paperName()
                        + " grid (BatchNorm statistics scaled to match)");
                Random rnd = new Random(opt.seed());
                if (config.learnedSteps()) {
                    List<Sample> b = batch(data, rnd, opt.batchSize(), opt.recipe());
                    progress.accept("calibrated " + net.calibrateSteps(source, tensors(manager, b)[0])
                            + " activation steps on " + b.size() + " training images");
                }
                for (int i = 0; i < RECALIBRATION_BATCHES; i++) {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        net.forward(tensors(manager, batch(data, rnd, opt.batchSize(), opt.recipe()))[0], true);
                    }
                }
                progress.accept("re-estimated BatchNorm statistics of the quantized network on " + RECALIBRATION_BATCHES
                        + " training batches");
            }
        }
        Adam adam = new Adam(manager, net.trainable());
        List<Epoch> history = new ArrayList<>();
        Map<String, float[]> best = null;
        int bestEpoch = 0;
        double bestDice = -1;
        int start = 0;
        if (opt.resume() != null) {
            Checkpoint.State s = Checkpoint.load(opt.resume(), net, adam, config);
            start = s.epochsDone();
            history.addAll(s.history());
            best = s.best();
            bestEpoch = s.bestEpoch();
            bestDice = s.bestDice();
            progress.accept("resumed from " + opt.resume() + " after epoch " + start);
        }
        long t0 = System.nanoTime();
        for (int e = start; e < opt.epochs(); e++) {
            long te = System.nanoTime();
            float lr = opt.recipe().learningRate(data.name(), opt.learningRate(), e, opt.epochs());
            Random rnd = new Random(opt.seed() * 1_000_003L + e);
            double lossSum = 0;
            boolean batchStats = opt.batchStatistics(e);
            for (int step = 0; step < opt.stepsPerEpoch(); step++) {
                double loss = step(manager, net, adam, batch(data, rnd, opt.batchSize(), opt.recipe()), lr, (float) data.bceWeight(),
                        batchStats, opt.teacher());
                requireFinite(net, loss, e + 1, step + 1);
                lossSum += loss;
            }
            double[] dice = validate(manager, net, data.validation());
            Epoch ep = new Epoch(e + 1, lossSum / opt.stepsPerEpoch(), dice[0], dice[1], (System.nanoTime() - te) / 1e9);
            history.add(ep);
            int k = opt.averagePosition(e + 1);
            if (k > 0) { // the running mean of the weights lives where the best snapshot would
                best = WeightAverage.add(best, snapshot(net), k);
                bestEpoch = e + 1;
                bestDice = -1; // measured once the average is complete
            } else if (opt.averagedEpochs() == 0 && opt.selectable(e + 1) && (dice[0] > bestDice || !opt.selectable(bestEpoch))) {
                bestDice = dice[0];
                bestEpoch = e + 1;
                best = snapshot(net);
            }
            progress.accept(String.format("epoch %3d/%d  loss %.4f  val Dice %.2f %% (t=0.999)  %.2f %% (t=0.5)  lr %.2e  %.1f s%s",
                    e + 1, opt.epochs(), ep.loss(), ep.diceAt999(), ep.diceAt05(), lr, ep.seconds(),
                    batchStats ? "" : "  BN frozen"));
            if (opt.checkpoint() != null) {
                Checkpoint.save(opt.checkpoint(), net, adam, config, new Checkpoint.State(e + 1, history, best, bestEpoch,
                        bestDice, opt.command(), data.name()));
            }
        }
        if (best != null) {
            restore(net, best);
        }
        if (opt.averagedEpochs() > 0) {
            double[] dice = validate(manager, net, data.validation());
            bestDice = dice[0];
            progress.accept(String.format("average of epochs %d..%d: val Dice %.2f %% (t=0.999)  %.2f %% (t=0.5)",
                    opt.epochs() - opt.averagedEpochs() + 1, opt.epochs(), dice[0], dice[1]));
        }
        return new Outcome(net, history, bestEpoch, bestDice, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Copies every array of {@code from}'s kept network whose name {@code net} has too (weights, biases,
     * BatchNorm parameters and statistics, learned steps when both learn them); returns how many.
     */
    static int initialise(QatNetwork net, QatNetwork src, Path from) {
        if (!src.config().topology().equals(net.config().topology())) {
            throw new IllegalArgumentException(from.getFileName() + " is a " + src.config().topology() + " network, the one to "
                    + "train a " + net.config().topology() + ": --init needs the same topology");
        }
        Map<String, NDArray> to = net.state();
        int copied = 0;
        for (Map.Entry<String, NDArray> e : src.state().entrySet()) {
            NDArray target = to.get(e.getKey());
            if (target != null && target.getShape().equals(e.getValue().getShape())) {
                assign(target, e.getValue().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
                copied++;
            }
        }
        return copied;
    }

    /** Stops a run whose loss, parameters or BatchNorm statistics left the finite numbers. */
    private static void requireFinite(QatNetwork net, double loss, int epoch, int step) {
        String where = "epoch " + epoch + ", step " + step;
        if (!Double.isFinite(loss)) {
            throw new Diverged("training diverged at " + where + ": the loss is " + loss + " (try a lower --lr)");
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, NDArray> p : net.state().entrySet()) {
                if (p.getValue().isNaN().logicalOr(p.getValue().isInfinite()).any().getBoolean()) {
                    throw new Diverged("training diverged at " + where + ": " + p.getKey() + " is no longer finite (try a lower --lr)");
                }
            }
        }
    }

    /** Images (N x 1 x H x W, value code/256) and labels (0/1) of a list of samples. */
    static NDArray[] tensors(NDManager manager, List<Sample> samples) {
        int n = samples.size();
        int h = samples.get(0).image().height();
        int w = samples.get(0).image().width();
        float[] img = new float[n * h * w];
        float[] lab = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img[(i * h + y) * w + x] = s.image().get(0, y, x) / 256f;
                    lab[(i * h + y) * w + x] = s.label()[y][x] ? 1f : 0f;
                }
            }
        }
        Shape shape = new Shape(n, 1, h, w);
        return new NDArray[] {manager.create(img, shape), manager.create(lab, shape)};
    }

    private static List<Sample> batch(SegmentationDataset data, Random rnd, int size, Recipe recipe) {
        List<Sample> b = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            b.add(data.randomTrainingSample(rnd, recipe.augmentation()));
        }
        return b;
    }

    /**
     * One Adam step; {@code batchStats} false runs BatchNorm on its running statistics and leaves them unchanged;
     * a non-null {@code teacher} adds its logit-matching term.
     */
    private static double step(NDManager manager, QatNetwork net, Adam adam, List<Sample> batch, float lr,
                               float bceWeight, boolean batchStats, Teacher teacher) {
        double loss;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray[] xy = tensors(manager, batch);
            NDArray target = teacher == null ? null : teacher.logits(xy[0]);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(xy[0], batchStats);
                NDArray l = loss(logits, xy[1], bceWeight);
                if (target != null) {
                    l = l.add(logits.sub(target).square().mean().mul(teacher.weight()));
                }
                gc.backward(l);
                loss = l.getFloat();
            }
            adam.step(net.trainable(), lr);
        }
        return loss;
    }

    /** {@code w * BCE(logits) + (1 - w) * (1 - soft Dice)}: the paper's EM loss for w = 0.5, its GM/NIH loss for w = 0. */
    static NDArray loss(NDArray logits, NDArray labels, float bceWeight) {
        NDArray dice = diceLoss(logits, labels);
        if (bceWeight == 0) {
            return dice;
        }
        // numerically stable BCE with logits: max(x, 0) - x*y + log(1 + exp(-|x|))
        NDArray bce = logits.maximum(0f).sub(logits.mul(labels)).add(logits.abs().neg().exp().add(1f).log()).mean();
        return bce.mul(bceWeight).add(dice.mul(1 - bceWeight));
    }

    /** 1 - soft Dice of sigmoid(logits) over the batch (eps 1e-4), the paper's GM/NIH loss. */
    static NDArray diceLoss(NDArray logits, NDArray labels) {
        NDArray p = Activation.sigmoid(logits);
        NDArray inter = p.mul(labels).sum();
        return inter.mul(2).add(1e-4f).div(p.sum().add(labels.sum()).add(1e-4f)).neg().add(1f);
    }

    /** Mean per-image Dice at the thresholds 0.999 and 0.5, from the float (fake-quantized) network in eval mode. */
    public static double[] validate(NDManager manager, QatNetwork net, List<Sample> samples) {
        double d999 = 0;
        double d05 = 0;
        for (int i = 0; i < samples.size(); i += 4) {
            List<Sample> part = samples.subList(i, Math.min(samples.size(), i + 4));
            float[][][] logits = logits(manager, net, part);
            for (int k = 0; k < part.size(); k++) {
                d999 += Dice.percent(mask(logits[k], LOGIT_999), part.get(k).label());
                d05 += Dice.percent(mask(logits[k], 0), part.get(k).label());
            }
        }
        return new double[] {d999 / samples.size(), d05 / samples.size()};
    }

    /** Float logits [n][h][w] of the network in eval mode. */
    public static float[][][] logits(NDManager manager, QatNetwork net, List<Sample> samples) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray[] xy = tensors(manager, samples);
            NDArray images = xy[0].toType(net.dataType(), false);
            NDArray logits = net.forward(images, false);
            float[] flat = logits.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            int h = samples.get(0).image().height();
            int w = samples.get(0).image().width();
            float[][][] out = new float[samples.size()][h][w];
            for (int i = 0; i < samples.size(); i++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(flat, (i * h + y) * w, out[i][y], 0, w);
                }
            }
            return out;
        }
    }

    public static boolean[][] mask(float[][] logits, double threshold) {
        boolean[][] m = new boolean[logits.length][logits[0].length];
        for (int y = 0; y < logits.length; y++) {
            for (int x = 0; x < logits[0].length; x++) {
                m[y][x] = logits[y][x] >= threshold;
            }
        }
        return m;
    }

    static Map<String, float[]> snapshot(QatNetwork net) {
        Map<String, float[]> m = new LinkedHashMap<>();
        net.state().forEach((k, v) -> m.put(k, v.toFloatArray()));
        return m;
    }

    static void restore(QatNetwork net, Map<String, float[]> values) {
        net.state().forEach((k, v) -> assign(v, values.get(k)));
    }

    /**
     * Copies {@code values} into {@code array} in place. Through an indexed assignment, not
     * {@code NDArray.set(float[])}: DJL's native code for that one prints a PyTorch deprecation warning.
     */
    static void assign(NDArray array, float[] values) {
        try (NDArray v = array.getManager().create(values, array.getShape())) {
            array.set(new NDIndex("..."), v);
        }
    }
}
