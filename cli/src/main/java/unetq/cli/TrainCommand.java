package unetq.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import unetq.golden.Dice;
import unetq.golden.EmDataset;
import unetq.golden.Sample;
import unetq.golden.ModelFile;
import unetq.golden.QuantizedUNet;
import unetq.golden.SegmentationDataset;
import unetq.golden.UNetTopology;
import unetq.files.OutputFile;
import unetq.train.Exporter;
import unetq.train.QatConfig;
import unetq.train.QatNetwork;
import unetq.train.Recipe;
import unetq.train.Trainer;

/** {@code unetq train}: quantization-aware training and export of an integer model. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Quantization-aware training (DJL + PyTorch, CPU) and export of an integer .unetq model.",
        footer = {"", "Examples:",
                "  unetq train --dataset em --data ../shared/data/isbi2012-em --preset compact --wbits 4 --abits 6 --out em.unetq",
                "  unetq train --dataset em --data ../shared/data/isbi2012-em --preset compact --float --out em-fp.ckpt"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--dataset", description = "Dataset kind: em, gm or pancreas (default: read from the --data folder's layout).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder (default: the --dataset's, or the --resume "
            + "checkpoint's, folder in ../shared/data, e.g. ../shared/data/isbi2012-em).")
    Path data;

    @Option(names = "--preset", defaultValue = "compact", description = "Topology: paper, compact, tiny, or channels per level such as 8-16-32 (default ${DEFAULT-VALUE}).")
    String preset;

    @CommandLine.Mixin
    BitOptions bits = new BitOptions();

    @Option(names = "--float", description = "Train the full-precision baseline (writes a float checkpoint, no integer model).")
    boolean fullPrecision;

    @Option(names = "--epochs", defaultValue = "100", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--act-steps", defaultValue = "fixed", paramLabel = "fixed|learned",
            description = "Activation grid: the paper's fixed one, or a step per layer learned in training (LSQ) and "
                    + "folded into the integer requantizers at export (docs/quantization.md). Default ${DEFAULT-VALUE}.")
    String actSteps;

    @Option(names = "--frozen-bn-epochs", defaultValue = "0", paramLabel = "N",
            description = "Train the last N epochs with BatchNorm statistics frozen, as inference runs it (default ${DEFAULT-VALUE}).")
    int frozenBnEpochs;

    @Option(names = "--average-last", defaultValue = "0", paramLabel = "N",
            description = "Keep the average of the weights of the last N epochs instead of the best validation epoch "
                    + "(with --frozen-bn-epochs, N at most that; default ${DEFAULT-VALUE}: the best epoch).")
    int averageLast;

    @Option(names = "--bn-gamma", defaultValue = "1", paramLabel = "G|auto",
            description = "Starting BatchNorm scale: a number, or auto (eight activation grid steps per deviation; "
                    + "the paper and the default: ${DEFAULT-VALUE}).")
    String bnGamma;

    @Option(names = "--teacher", paramLabel = "CKPT",
            description = "Distil this trained checkpoint's logits into the model (logit matching; e.g. the float model "
                    + "of the same topology, to carry its confidence into the quantized one).")
    Path teacher;

    @Option(names = "--init", paramLabel = "CKPT",
            description = "Start from this trained checkpoint's weights, BatchNorm parameters and statistics (e.g. the float "
                    + "model of the same topology: quantization-aware fine-tuning) instead of random ones.")
    Path init;

    @Option(names = "--calibrate", description = "With --init and a quantized model: fit the quantizers to the --init "
            + "network before training. Each conv channel's weights are scaled onto the weight grid, its BatchNorm "
            + "statistics scaled to match (the float network is unchanged); with --act-steps learned, each step starts "
            + "at the one that best quantizes that network's activations on a training batch.")
    boolean calibrate;

    @Option(names = "--teacher-weight", defaultValue = "1", paramLabel = "W",
            description = "Weight of the logit-matching term, mean squared logit difference (default ${DEFAULT-VALUE}).")
    float teacherWeight;

    @Option(names = "--teacher-clip", paramLabel = "L",
            description = "Clip the teacher's logits to [-L, L] before matching (a soft-Dice teacher's grow without bound; "
                    + "default: no clip).")
    Float teacherClip;

    @Option(names = "--steps-per-epoch", defaultValue = "6", description = "Batches per epoch (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "4", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate at the start, decayed by the recipe (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--recipe", defaultValue = "paper", paramLabel = "paper|v1",
            description = "Learning-rate schedule and augmentation: the paper's for the dataset, or v1, unetq's first "
                    + "(cosine, jitter and flips; docs/training.md). Default ${DEFAULT-VALUE}.")
    String recipe;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation and crops (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch threads (default ${DEFAULT-VALUE}; use 1 when another job holds a core).")
    int threads;

    @Option(names = "--threshold", defaultValue = "0.999", description = "Output threshold on sigmoid (default ${DEFAULT-VALUE}, the paper's).")
    double threshold;

    @Option(names = "--resume", paramLabel = "CKPT", description = "Continue from a checkpoint of the same configuration.")
    Path resume;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file (.unetq), or checkpoint (.ckpt) with --float; "
            + "the resumable checkpoint NAME.train.ckpt goes beside it.")
    Path out;

    @Option(names = "--force", description = "Replace an existing --out (and its NAME.train.ckpt).")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Most epochs, steps, batch and threads a run accepts (a typo guard, far above any real run). */
    static final int MAX_COUNT = 1_000_000;

    @Override
    public Integer call() throws Exception {
        UNetTopology topo;
        try {
            topo = UNetTopology.preset(preset);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--preset: " + e.getMessage());
        }
        if (fullPrecision && (bits.wbits != null || bits.abits != null || bits.weights != null || bits.activations != null)) {
            throw new UsageError("--float trains without quantization: drop the bit-width options");
        }
        if (!actSteps.equals("fixed") && !actSteps.equals("learned")) {
            throw new UsageError("--act-steps must be fixed or learned, got " + actSteps);
        }
        boolean learned = actSteps.equals("learned");
        if (fullPrecision && learned) {
            throw new UsageError("--act-steps learned applies to a quantized model: drop --float or the option");
        }
        QatConfig cfg = fullPrecision ? new QatConfig(topo, null, null)
                : new QatConfig(topo, bits.weightFormat(), bits.activationFormat(), learned);
        Checks.range("--epochs", epochs, 1, MAX_COUNT);
        Checks.range("--steps-per-epoch", steps, 1, MAX_COUNT);
        Checks.range("--batch", batch, 1, 1024);
        Checks.range("--threads", threads, 1, 256);
        Checks.range("--frozen-bn-epochs", frozenBnEpochs, 0, epochs);
        Checks.range("--average-last", averageLast, 0, frozenBnEpochs > 0 ? frozenBnEpochs : epochs);
        Checks.positive("--lr", lr, 1);
        Checks.range("--threshold", threshold, 0, true, 1, true);
        float gamma0 = startingGamma(cfg);
        Recipe rec = switch (recipe) {
            case "paper" -> Recipe.PAPER;
            case "v1" -> Recipe.V1;
            default -> throw new UsageError("--recipe must be paper or v1, got " + recipe);
        };
        Checks.positive("--teacher-weight", teacherWeight, 1e6);
        if (teacherClip != null) {
            Checks.positive("--teacher-clip", teacherClip, 1e6);
            if (teacher == null) {
                throw new UsageError("--teacher-clip applies to a --teacher");
            }
        }
        if (teacher != null && !Files.isRegularFile(teacher)) {
            throw new UsageError("--teacher " + teacher + ": no such checkpoint");
        }
        if (init != null) {
            if (resume != null) {
                throw new UsageError("choose one of --init and --resume (a resumed run already has its weights)");
            }
            QatConfig initCfg;
            try {
                initCfg = unetq.train.Checkpoint.config(init);
            } catch (Exception e) {
                throw new UsageError("--init " + init + " is not a training checkpoint: " + e.getMessage());
            }
            if (!initCfg.topology().equals(topo)) {
                throw new UsageError("--init " + init + " is a " + initCfg.topology() + " network; the model to train is " + topo
                        + ": they must have the same topology");
            }
        }
        if (calibrate && (init == null || fullPrecision)) {
            throw new UsageError("--calibrate fits a quantized model's grids to its --init network: give --init, without --float");
        }
        if (resume != null && !Files.isRegularFile(resume)) {
            throw new UsageError("--resume " + resume + ": no such checkpoint");
        }
        String outName = out.getFileName() == null ? "" : out.getFileName().toString();
        if (fullPrecision && !outName.endsWith(".ckpt")) {
            throw new UsageError("--float writes a checkpoint: name --out *.ckpt");
        }
        if (!fullPrecision && !outName.endsWith(".unetq")) {
            throw new UsageError("--out must name a .unetq model file, got " + outName);
        }
        // the resumable checkpoint (with optimizer state) sits beside the output as NAME.train.ckpt
        Path checkpoint = out.resolveSibling(outName.replaceAll("\\.(unetq|ckpt)$", "") + ".train.ckpt");
        OutputFile model = claim(out, "--out");
        boolean resumesItself = resume != null && Files.isRegularFile(checkpoint) && Files.isSameFile(resume, checkpoint);
        if (!resumesItself) {
            claim(checkpoint, "--out (its checkpoint)");
        }
        Path curvePath = out.resolveSibling(outName.replaceAll("\\.(unetq|ckpt)$", "") + ".curve.png");
        OutputFile curve = claim(curvePath, "--out (its learning curve)");
        String given = dataset != null ? dataset : resume != null && data == null ? resumedDataset() : null;
        Path data = Datasets.folder(this.data, given);
        String kind = given == null ? Datasets.detect(data) : given;
        SegmentationDataset ds = Datasets.open(kind, data);
        if (ds.trainingCount() == 0 || ds.validation().isEmpty()) {
            throw new UsageError("--data " + data + " holds no " + (ds.trainingCount() == 0 ? "training" : "validation")
                    + " slices (" + ds.splitDescription() + ")");
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("training %s on %s (%s), %d epochs x %d steps x batch %d, seed %d, %d threads%n", cfg.describe(),
                ds.name(), ds.splitDescription(), epochs, steps, batch, seed, threads);
        o.flush();
        String command = "unetq train --dataset " + ds.name() + " --data " + data + " --preset " + preset
                + (cfg.quantized() ? " --weights " + cfg.weights().paperName() + " --activations " + cfg.activations().paperName()
                : " --float") + " --epochs " + epochs + " --steps-per-epoch " + steps + " --batch " + batch + " --lr " + lr
                + (learned ? " --act-steps learned" : "") + " --recipe " + rec.optionName() + " --seed " + seed + (frozenBnEpochs > 0 ? " --frozen-bn-epochs " + frozenBnEpochs : "")
                + (averageLast > 0 ? " --average-last " + averageLast : "")
                + (bnGamma.equals("1") ? "" : " --bn-gamma " + bnGamma)
                + (teacher == null ? "" : " --teacher " + teacher + " --teacher-weight " + teacherWeight)
                + (teacherClip == null ? "" : " --teacher-clip " + teacherClip)
                + (init == null ? "" : " --init " + init)
                + (calibrate ? " --calibrate" : "");
        String commit = Provenance.commit(); // the code as training starts
        Trainer.configureThreads(threads);
        try (NDManager manager = NDManager.newBaseManager()) {
            Trainer.Teacher distil = teacher == null ? null : new Trainer.Teacher(loadTeacher(manager, topo), teacherWeight,
                    teacherClip == null ? Float.POSITIVE_INFINITY : teacherClip);
            Trainer.Outcome res = Trainer.train(manager, ds, cfg, new Trainer.Options(epochs, batch, steps, lr, rec, seed,
                    frozenBnEpochs, gamma0, distil, checkpoint, resume, command, averageLast, init, calibrate), line -> {
                        o.println(line);
                        o.flush();
                    });
            o.printf("%s: validation Dice %.2f %% (float%s, t=%s), trained in %.0f s%n", averageLast > 0
                    ? "kept the average of the last " + averageLast + " epochs" : "best epoch " + res.bestEpoch(), res.bestDice(),
                    cfg.quantized() ? " with fake quantization" : "", threshold, res.seconds());
            curve.write(LearningCurve.png(out.getFileName() + ": " + cfg.describe() + " on " + ds.name(), res.history().stream()
                    .map(e -> new LearningCurve.Point(e.epoch(), e.diceAt999(), e.diceAt05(), e.epoch() > epochs - frozenBnEpochs))
                    .toList(), res.bestEpoch()));
            o.printf("wrote %s (validation Dice per epoch)%n", curvePath);
            if (!cfg.quantized()) {
                model.write(bytes -> unetq.train.Checkpoint.writeFinal(bytes, res.network(), new unetq.train.Checkpoint.State(
                        epochs, res.history(), null, res.bestEpoch(), res.bestDice(), command, ds.name())));
                o.printf("wrote %s (%s, %d bytes); resumable checkpoint %s%n", out, averageLast > 0 ? "the average" : "best epoch",
                        Files.size(out), checkpoint);
                return 0;
            }
            QuantizedUNet net = Exporter.export(res.network(), threshold);
            Comparison c = compare(manager, res.network(), net, ds.validation(), o);
            o.println(c.describe(threshold));
            Map<String, String> prov = dataProvenance(ds, data);
            prov.put("seed", Long.toString(seed));
            prov.put("epochs", Integer.toString(epochs));
            if (averageLast > 0) {
                prov.put("averagedEpochs", (epochs - averageLast + 1) + ".." + epochs);
            } else {
                prov.put("bestEpoch", Integer.toString(res.bestEpoch()));
            }
            prov.put("stepsPerEpoch", Integer.toString(steps));
            prov.put("batch", Integer.toString(batch));
            prov.put("learningRate", Float.toString(lr));
            prov.put("recipe", rec.optionName());
            prov.put("activationSteps", actSteps);
            if (frozenBnEpochs > 0) {
                prov.put("frozenBnEpochs", Integer.toString(frozenBnEpochs));
            }
            if (gamma0 != 1f) {
                prov.put("bnGammaStart", Float.toString(gamma0));
            }
            if (teacher != null) {
                prov.put("teacher", teacher + " (" + Provenance.fileHash(teacher) + ")");
                prov.put("teacherWeight", Float.toString(teacherWeight));
                if (teacherClip != null) {
                    prov.put("teacherClip", Float.toString(teacherClip));
                }
            }
            if (init != null) {
                prov.put("initialisedFrom", init + " (" + Provenance.fileHash(init) + ")");
            }
            prov.put("commit", commit);
            prov.put("threads", Integer.toString(threads));
            prov.put("trainingSeconds", String.format("%.0f", res.seconds()));
            if (resume != null) {
                prov.put("resumedFrom", resume + " (trainingSeconds counts the resumed part only)");
            }
            c.recordIn(prov);
            prov.put("command", command);
            model.write(ModelFile.encode(new ModelFile.Model(net, prov)));
            o.printf("wrote %s (%d bytes); checkpoint %s%n", out, Files.size(out), checkpoint);
            return 0;
        }
    }

    /** The dataset a --resume checkpoint records. */
    private String resumedDataset() {
        try {
            return unetq.train.Checkpoint.info(resume).dataset();
        } catch (java.io.IOException e) {
            throw new UsageError("--resume: " + e.getMessage());
        }
    }

    private OutputFile claim(Path file, String flag) {
        return Checks.outputFile(file, force, flag);
    }

    /** The --teacher checkpoint's best network; it must have the student's topology. */
    private QatNetwork loadTeacher(NDManager manager, UNetTopology topo) {
        QatNetwork t;
        try {
            t = unetq.train.Checkpoint.loadBest(teacher, manager);
        } catch (Exception e) {
            throw new UsageError("--teacher " + teacher + " is not a training checkpoint: " + e.getMessage());
        }
        if (!t.config().topology().equals(topo)) {
            throw new UsageError("--teacher " + teacher + " is a " + t.config().topology() + " network; the model to train is "
                    + topo + ": they must have the same topology");
        }
        return t;
    }

    /** The --bn-gamma value: auto fits the activation format (1 in full precision), else a positive number. */
    private float startingGamma(QatConfig cfg) {
        if (bnGamma.equals("auto")) {
            return cfg.quantized() ? QatNetwork.initialGamma(cfg.activations()) : 1f;
        }
        try {
            return (float) Checks.positive("--bn-gamma", Float.parseFloat(bnGamma), 1e6);
        } catch (NumberFormatException e) {
            throw new UsageError("--bn-gamma must be a positive number or auto, got " + bnGamma);
        }
    }

    record Comparison(double intDice, double intDice05, double floatDice, double agreement, double logitsEqual) {
        /** The check's numbers as provenance entries. */
        void recordIn(Map<String, String> prov) {
            prov.put("validationDiceInteger", String.format("%.2f", intDice));
            prov.put("validationDiceFakeQuant", String.format("%.2f", floatDice));
            prov.put("maskAgreement", String.format("%.3f", agreement));
            prov.put("logitCodesEqual", String.format("%.3f", logitsEqual));
        }

        /** The line train and export print. */
        String describe(double threshold) {
            return String.format("integer model: validation Dice %.2f %% (t=%s), %.2f %% (t=0.5); float64 with fake quantization "
                    + "%.2f %%; masks agree on %.3f %% of pixels, logit codes equal on %.3f %%", intDice, threshold, intDice05,
                    floatDice, agreement, logitsEqual);
        }
    }

    /** Where a model's data came from: dataset, folder, data hash, split. */
    static Map<String, String> dataProvenance(SegmentationDataset ds, Path data) {
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("dataset", ds.name());
        prov.put("data", data.toString());
        prov.put("dataHash", Provenance.dataHash(data));
        prov.put("split", ds.splitDescription());
        return prov;
    }

    /**
     * Integer golden model against the trained network with fake quantization, evaluated in float64:
     * float32 cannot hold Q8.8 products exactly (they need about 32 bits of mantissa), float64 can.
     */
    static Comparison compare(NDManager manager, QatNetwork floatNet, QuantizedUNet net, List<Sample> samples, PrintWriter o) {
        Progress progress = new Progress(o, "integer check", samples.size(), "images");
        float[][][] logits = Trainer.logits(manager, floatNet.copyAs(ai.djl.ndarray.types.DataType.FLOAT64), samples);
        double intDice = 0;
        double intDice05 = 0;
        double floatDice = 0;
        double agree = 0;
        long equal = 0;
        long total = 0;
        double thresholdLogit = Math.log(net.threshold() / (1 - net.threshold()));
        for (int i = 0; i < samples.size(); i++) {
            QuantizedUNet.Result r = net.forward(samples.get(i).image());
            boolean[][] fm = Trainer.mask(logits[i], thresholdLogit);
            boolean[][] half = new unetq.golden.Threshold(0.5, QuantizedUNet.LOGIT_FORMAT.fracBits()).mask(r.logits());
            intDice += Dice.percent(r.mask(), samples.get(i).label());
            intDice05 += Dice.percent(half, samples.get(i).label());
            floatDice += Dice.percent(fm, samples.get(i).label());
            agree += Dice.agreement(r.mask(), fm);
            for (int y = 0; y < logits[i].length; y++) {
                for (int x = 0; x < logits[i][0].length; x++) {
                    total++;
                    equal += Math.round(logits[i][y][x] * 256.0) == r.logits().get(0, y, x) ? 1 : 0;
                }
            }
            progress.step(i + 1);
        }
        int n = samples.size();
        return new Comparison(intDice / n, intDice05 / n, floatDice / n, agree / n, 100.0 * equal / total);
    }
}
