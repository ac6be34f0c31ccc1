package unetq.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import unetq.files.OutputFile;
import unetq.files.OutputFolder;
import unetq.golden.Confidence;
import unetq.golden.Dice;
import unetq.golden.EmDataset;
import unetq.golden.IntTensor;
import unetq.golden.Sample;
import unetq.golden.ModelFile;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.SegmentationDataset;
import unetq.train.Checkpoint;
import unetq.train.QatNetwork;
import unetq.train.Trainer;

/**
 * {@code unetq eval}: Dice of models over a dataset folder, the paper's protocol (per-image Dice,
 * threshold 0.999, also 0.5). A {@code .unetq} model runs in the integer golden model (the truth
 * for every quantized Dice); a float {@code .ckpt} runs through the training engine (the
 * full-precision baseline). Several models give a comparison table, optionally as Markdown.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Dice per image and mean (paper protocol) of models over a dataset folder.",
        footer = {"", "Examples:",
                "  unetq eval --model models/em-compact-w4a6.unetq --data ../shared/data/isbi2012-em",
                "  unetq eval --model models/em-compact-fp.ckpt --model models/em-compact-w4a6.unetq \\",
                "             --data ../shared/data/isbi2012-em --markdown docs/results-em.md"})
final class EvalCommand implements Callable<Integer> {
    /** The paper's published Dice losses of W4/A6 against full precision (arXiv abstract). */
    static final String PAPER_LOSSES = "EM 2.21, GM 0.57, NIH pancreas 2.09 points";

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A .unetq integer model or a float .ckpt; repeat to compare (the first .ckpt is the baseline).")
    List<Path> models;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder laid out like ../shared/data/*.")
    Path data;

    @Option(names = "--holdout", description = "Evaluate every image of the folder (a holdout set), not the validation split.")
    boolean holdout;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch threads for float checkpoints; images evaluated at once for integer models (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the comparison as a Markdown table.")
    Path markdown;

    @Option(names = "--force", description = "Replace an existing --markdown file or --save-samples folder.")
    boolean force;

    @Option(names = "--confidence",
            description = "Also report foreground logits by distance to the background: mean, and share below logit(0.999).")
    boolean confidence;

    @Option(names = "--save-samples", paramLabel = "DIR",
            description = "Also write each evaluated image exactly as the network sees it (ID.png) and its label (ID-label.png).")
    Path saveSamples;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One model's numbers. */
    record Row(String file, String weights, String activations, long weightCount, int weightBitsPaper,
               int weightBitsHardware, double[] perImage999, double[] perImage05, String trainCommand, String seconds,
               String versusFloat, Confidence confidence) {
        double mean(double[] v) {
            double s = 0;
            for (double d : v) {
                s += d;
            }
            return s / v.length;
        }
    }

    @Override
    public Integer call() throws Exception {
        Checks.range("--threads", threads, 1, 256);
        OutputFile md = markdown == null ? null : Checks.outputFile(markdown, force, "--markdown");
        OutputFolder sampleDir = saveSamples == null ? null : Checks.outputFolder(saveSamples, force, "--save-samples");
        String kind = Datasets.detect(data);
        for (Path m : models) { // every model readable before any work
            try {
                if (m.getFileName().toString().endsWith(".ckpt")) {
                    Checkpoint.config(m);
                } else {
                    ModelFile.read(m);
                }
            } catch (IOException e) {
                throw new UsageError("--model " + m + ": " + e.getMessage());
            }
        }
        SegmentationDataset ds = Datasets.open(kind, data);
        List<Sample> samples = holdout ? ds.all() : ds.validation();
        if (samples.isEmpty()) {
            throw new UsageError("--data " + data + " holds no validation images (" + ds.splitDescription()
                    + "); use --holdout to evaluate every image of the folder");
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%s: %d images (%s)%n", data, samples.size(), holdout ? "all images" : ds.splitDescription());
        List<Row> rows = new ArrayList<>();
        for (Path m : models) {
            o.printf("evaluating %s ...%n", m);
            o.flush();
            Progress progress = new Progress(o, m.getFileName().toString(), samples.size(), "images");
            rows.add(m.getFileName().toString().endsWith(".ckpt") ? evalFloat(m, samples, progress)
                    : evalInteger(m, samples, progress));
        }
        if (rows.size() == 1) {
            Row r = rows.get(0);
            o.printf("%-16s %12s %10s%n", "image", "Dice t=0.999", "t=0.5");
            for (int i = 0; i < samples.size(); i++) {
                o.printf("%-16s %11.2f %% %8.2f %%%n", samples.get(i).id(), r.perImage999()[i], r.perImage05()[i]);
            }
            o.printf("%-16s %11.2f %% %8.2f %%%n", "mean", r.mean(r.perImage999()), r.mean(r.perImage05()));
        }
        Row base = rows.stream().filter(r -> r.weights().equals("float")).findFirst().orElse(null);
        o.printf("%-28s %-7s %-7s %12s %12s %8s %10s%n", "model", "weights", "acts", "Dice t=0.999", "t=0.5", "loss", "weight kB");
        for (Row r : rows) {
            o.printf("%-28s %-7s %-7s %11.2f %% %10.2f %% %8s %10.1f%n", r.file(), r.weights(), r.activations(),
                    r.mean(r.perImage999()), r.mean(r.perImage05()), loss(base, r),
                    r.weightCount() * (double) r.weightBitsPaper() / 8 / 1000);
        }
        String subjects = subjectTable(ds, samples, rows, false);
        if (!subjects.isEmpty()) {
            o.print(subjects);
            o.flush();
        }
        if (confidence) {
            o.println(confidenceTable(rows, false));
        }
        if (sampleDir != null) {
            saveSamples(sampleDir.staging(), samples);
            sampleDir.publish();
            o.printf("wrote %d samples in %s%n", samples.size(), saveSamples);
        }
        if (md != null) {
            md.writeString(markdown(ds, samples, rows, base) + subjectTable(ds, samples, rows, true) + (confidence ? "\n" + confidenceTable(rows, true) : ""));
            o.printf("wrote %s%n", markdown);
        }
        return 0;
    }

    private void saveSamples(Path dir, List<Sample> samples) throws IOException {
        for (Sample s : samples) {
            String id = s.id().replaceAll("[^A-Za-z0-9_.-]", "_");
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(s.image().width(), s.image().height(),
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            java.awt.image.BufferedImage lab = new java.awt.image.BufferedImage(s.image().width(), s.image().height(),
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < s.image().height(); y++) {
                for (int x = 0; x < s.image().width(); x++) {
                    img.getRaster().setSample(x, y, 0, (int) s.image().get(0, y, x));
                    lab.getRaster().setSample(x, y, 0, s.label()[y][x] ? 255 : 0);
                }
            }
            javax.imageio.ImageIO.write(img, "png", dir.resolve(id + ".png").toFile());
            javax.imageio.ImageIO.write(lab, "png", dir.resolve(id + "-label.png").toFile());
        }
        Files.writeString(dir.resolve("README.md"), "Network inputs (UQ0.8 codes as 8-bit grey) and labels (255 = foreground) "
                + "of " + samples.size() + " samples of " + data + " (" + (holdout ? "all images" : "validation split")
                + "), written by:\n\n    unetq eval" + models.stream().map(m -> " --model " + m).reduce("", String::concat)
                + " --data " + data + (holdout ? " --holdout" : "") + " --save-samples " + saveSamples + "\n\nData: "
                + Provenance.dataHash(data) + ".\n", StandardCharsets.UTF_8);
    }

    /** Foreground logits by distance to the background, one row per model (a Markdown table when {@code md}). */
    private static String confidenceTable(List<Row> rows, boolean md) {
        StringBuilder sb = new StringBuilder();
        StringBuilder bins = new StringBuilder();
        for (int b = 0; b < Confidence.bins(); b++) {
            bins.append(b == 0 ? "" : ", ").append(Confidence.binName(b));
        }
        String title = String.format("Foreground logits by chessboard distance to the background (%s px): mean logit, and the share"
                + " below logit(0.999) = %.2f, which the 0.999 threshold drops.", bins, Trainer.LOGIT_999);
        if (md) {
            sb.append(title).append("\n\n| model |");
            for (int b = 0; b < Confidence.bins(); b++) {
                sb.append(" ").append(Confidence.binName(b)).append(" px |");
            }
            sb.append("\n| --- |").append(" --- |".repeat(Confidence.bins())).append("\n");
        } else {
            sb.append(title).append("\n");
        }
        for (Row r : rows) {
            Confidence c = r.confidence();
            sb.append(md ? String.format("| `%s` |", r.file()) : String.format("%-28s", r.file()));
            for (int b = 0; b < Confidence.bins(); b++) {
                if (c.count(b) == 0) { // no foreground pixel that far from the background (thin structures)
                    sb.append(md ? " - |" : String.format(" %14s", "-"));
                } else {
                    sb.append(String.format(md ? " %.2f, %.1f %% |" : " %6.2f %5.1f %%", c.meanLogit(b), c.percentBelow(b)));
                }
            }
            sb.append("\n");
        }
        return sb.toString().stripTrailing() + (md ? "\n" : "");
    }

    /** Dice points lost against the baseline at t=0.999 (the paper's threshold). */
    private static String loss(Row base, Row r) {
        return base == null || r == base ? "-" : String.format("%.2f", r.mean(base.perImage999()) - r.mean(r.perImage999()));
    }

    /**
     * Mean Dice per subject (person or patient) and model at both thresholds, when the images come from
     * more than one subject; empty otherwise. A Markdown table when {@code md}.
     */
    static String subjectTable(SegmentationDataset ds, List<Sample> samples, List<Row> rows, boolean md) {
        java.util.Map<String, List<Integer>> bySubject = new java.util.TreeMap<>();
        for (int i = 0; i < samples.size(); i++) {
            bySubject.computeIfAbsent(ds.subjectOf(samples.get(i)), k -> new ArrayList<>()).add(i);
        }
        if (bySubject.size() < 2 || bySubject.size() == samples.size()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(md ? "\nDice per subject (t=0.999 / t=0.5):\n\n| subject | images |" : "Dice per subject (t=0.999 / t=0.5):\n");
        if (md) {
            rows.forEach(r -> sb.append(" `").append(r.file()).append("` |"));
            sb.append("\n| --- | --- |").append(" --- |".repeat(rows.size())).append('\n');
        } else {
            sb.append(String.format("%-16s %6s", "subject", "images"));
            rows.forEach(r -> sb.append(String.format(" %22s", r.file().length() > 22 ? r.file().substring(0, 22) : r.file())));
            sb.append('\n');
        }
        bySubject.forEach((subject, idx) -> {
            sb.append(md ? String.format("| %s | %d |", subject, idx.size()) : String.format("%-16s %6d", subject, idx.size()));
            for (Row r : rows) {
                double d999 = idx.stream().mapToDouble(i -> r.perImage999()[i]).average().orElse(0);
                double d05 = idx.stream().mapToDouble(i -> r.perImage05()[i]).average().orElse(0);
                sb.append(md ? String.format(" %.2f / %.2f %% |", d999, d05) : String.format(" %9.2f / %6.2f %%", d999, d05));
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    /** The same loss at both thresholds, for the Markdown table. */
    private static String losses(Row base, Row r) {
        return base == null || r == base ? "-" : String.format("%.2f / %.2f", r.mean(base.perImage999()) - r.mean(r.perImage999()),
                r.mean(base.perImage05()) - r.mean(r.perImage05()));
    }

    private String markdown(SegmentationDataset ds, List<Sample> samples, List<Row> rows, Row base) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!-- written by: unetq eval");
        for (Path m : models) {
            sb.append(" --model ").append(m);
        }
        sb.append(" --data ").append(data).append(holdout ? " --holdout" : "").append(confidence ? " --confidence" : "")
                .append(" --markdown ").append(markdown).append(" -->\n");
        sb.append("Dataset `").append(ds.name()).append("`, ").append(samples.size()).append(" images (")
                .append(holdout ? "all" : ds.splitDescription()).append("). Dice: per image, then the mean, the paper's protocol; ")
                .append("quantized models run in the integer golden model, float checkpoints in the training engine. ")
                .append("Weight memory: codes x the paper's bits (sign-magnitude); bits in hardware in brackets.\n\n");
        sb.append("| model | weights | activations | Dice t=0.999 | Dice t=0.5 | loss vs full precision (t=0.999 / t=0.5) | integer vs fake-quant float (at training) | weight memory | training time | trained with |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            sb.append(String.format("| `%s` | %s | %s | %.2f %% | %.2f %% | %s | %s | %s | %s | `%s` |%n", r.file(), r.weights(),
                    r.activations(), r.mean(r.perImage999()), r.mean(r.perImage05()), losses(base, r), r.versusFloat(),
                    String.format("%.1f kB (%d b/weight) [%d b]", r.weightCount() * (double) r.weightBitsPaper() / 8 / 1000,
                            r.weightBitsPaper(), r.weightBitsHardware()),
                    r.seconds().isEmpty() ? "-" : r.seconds() + " s", r.trainCommand()));
        }
        sb.append("\nThe paper's published losses of W4/A6 against full precision: ").append(PAPER_LOSSES)
                .append(" (its networks are the 64-128-256-256 U-Net; these rows use the preset named in the command).\n");
        return sb.toString();
    }

    /** What training measured: integer and fake-quantized Dice, mask agreement, equal logit codes. */
    private static String versusFloat(java.util.Map<String, String> p) {
        if (!p.containsKey("maskAgreement")) {
            return "-";
        }
        return String.format("Dice %s vs %s %%, masks agree on %s %%, logit codes equal on %s %%",
                p.get("validationDiceInteger"), p.get("validationDiceFakeQuant"), p.get("maskAgreement"), p.get("logitCodesEqual"));
    }

    Row evalInteger(Path file, List<Sample> samples, Progress progress) {
        ModelFile.Model m;
        try {
            m = ModelFile.read(file);
        } catch (IOException e) {
            throw new UsageError(e.getMessage());
        }
        QuantizedUNet net = m.net();
        double[] d999 = new double[samples.size()];
        double[] d05 = new double[samples.size()];
        Confidence conf = new Confidence(Trainer.LOGIT_999);
        double unit = Math.scalb(1.0, -QuantizedUNet.LOGIT_FORMAT.fracBits());
        unetq.golden.Threshold atModel = new unetq.golden.Threshold(net.threshold(), QuantizedUNet.LOGIT_FORMAT.fracBits());
        // images on --threads workers (the golden model is single-threaded per image); results kept in image order
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(threads, samples.size()));
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<IntTensor>> logits = new java.util.ArrayList<>();
        try {
            for (Sample s : samples) {
                logits.add(pool.submit(() -> {
                    IntTensor l = net.forward(s.image()).logits();
                    synchronized (progress) {
                        progress.step(done.incrementAndGet(), String.format("%s: Dice %.2f %%", s.id(),
                                Dice.percent(atModel.mask(l), s.label())));
                    }
                    return l;
                }));
            }
            for (int i = 0; i < samples.size(); i++) {
                IntTensor l = logits.get(i).get();
                conf.add((y, x) -> l.get(0, y, x) * unit, samples.get(i).label());
                boolean[][] half = new unetq.golden.Threshold(0.5, QuantizedUNet.LOGIT_FORMAT.fracBits()).mask(l);
                d999[i] = Dice.percent(atModel.mask(l), samples.get(i).label());
                d05[i] = Dice.percent(half, samples.get(i).label());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        QFormat wf = net.weightFormat();
        return new Row(file.getFileName().toString(), wf.paperName(), net.activationFormat().paperName(), net.weightCount(),
                wf.paperBits(), wf.hardwareBits(), d999, d05, m.provenance().getOrDefault("command", "unknown"),
                m.provenance().getOrDefault("trainingSeconds", ""), versusFloat(m.provenance()), conf);
    }

    Row evalFloat(Path file, List<Sample> samples, Progress progress) throws IOException {
        Trainer.configureThreads(threads);
        try (NDManager manager = NDManager.newBaseManager()) {
            QatNetwork net;
            try {
                net = Checkpoint.loadBest(file, manager);
            } catch (IOException e) {
                throw new UsageError(e.getMessage());
            }
            float[][][] logits = Trainer.logits(manager, net, samples);
            double[] d999 = new double[samples.size()];
            double[] d05 = new double[samples.size()];
            Confidence conf = new Confidence(Trainer.LOGIT_999);
            for (int i = 0; i < samples.size(); i++) {
                float[][] image = logits[i];
                conf.add((y, x) -> image[y][x], samples.get(i).label());
                d999[i] = Dice.percent(Trainer.mask(logits[i], Trainer.LOGIT_999), samples.get(i).label());
                d05[i] = Dice.percent(Trainer.mask(logits[i], 0), samples.get(i).label());
                progress.step(i + 1, String.format("%s: Dice %.2f %%", samples.get(i).id(), d999[i]));
            }
            long weights = net.config().topology().convs().stream().mapToLong(c -> 9L * c.in() * c.out()).sum();
            Checkpoint.Info info = Checkpoint.info(file);
            return new Row(file.getFileName().toString(), "float", "float", weights, 32, 32, d999, d05, info.command(),
                    "", "-", conf);
        }
    }
}
