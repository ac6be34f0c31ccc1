package unetq.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import unetq.files.OutputFile;
import unetq.golden.ModelFile;
import unetq.golden.QuantizedUNet;
import unetq.golden.Sample;
import unetq.golden.SegmentationDataset;
import unetq.hw.block.HardwareBlock;
import unetq.hw.cost.Device;
import unetq.hw.cost.Resources;
import unetq.hw.graph.UNetAccelerator;
import unetq.hw.schedule.FoldingSearch;

/**
 * {@code unetq sweep bits}: the paper's bit-width table with the hardware beside it. Per model: Dice
 * on the validation split at both thresholds (golden model; the float checkpoint through the
 * training engine), the fastest design that fits the device at the validation images' size, its
 * estimate and frames/s; a Markdown table and PNG/SVG plots (JFreeChart).
 */
@Command(name = "bits", mixinStandardHelpOptions = true,
        description = "Dice and hardware per bit-width: each model evaluated on the validation split, then the fastest design "
                + "that fits --device generated and estimated; writes a table and plots (Dice vs weight bits, Dice vs LUTs with "
                + "the Pareto front, LUTs per layer).",
        footer = {"", "Example:", "  unetq sweep bits --dataset em --device xc7z020 --out docs/bits.md --force"})
final class SweepBitsCommand implements Callable<Integer> {
    /**
     * The shipped models of a dataset, in the paper's order, and its float baseline: for EM the bit-width set
     * trained one way (fine-tuned from the float model with calibration, learned steps and it as teacher).
     */
    static final Map<String, List<String>> SHIPPED = Map.of(
            "em", List.of("em-compact-kd100-fp.ckpt", "em-compact-w2a4.unetq", "em-compact-w4a6-lsq.unetq", "em-compact-w8a8.unetq",
                    "em-compact-q88.unetq"),
            "gm", List.of("gm-compact-fp.ckpt", "gm-compact-w4a6.unetq"),
            "pancreas", List.of("pancreas-compact-fp.ckpt", "pancreas-compact-w4a6.unetq"));
    static final double CLOCK_MHZ = 100;

    @Option(names = "--dataset", defaultValue = "em", description = "em, gm or pancreas (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", description = "Dataset folder (default: ../shared/data/<dataset's folder> beside the repository).")
    Path data;

    @Option(names = "--device", defaultValue = Devices.DEFAULT, description = "Device the designs must fit (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--fps", description = "Instead of the fastest design, the cheapest that reaches this many frames/s at "
            + "100 MHz (then LUTs compare the bit-widths at one speed).")
    Double fps;

    @Option(names = "--model", description = "Model (.unetq or float .ckpt), repeatable (default: the dataset's shipped models).")
    List<Path> models;

    @Option(names = "--threads", defaultValue = "2", description = "Images evaluated at once / PyTorch threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--train", description = "Train the configurations instead of using the shipped models: the float model "
            + "(the last fifth of the epochs on frozen BatchNorm, averaged), then W2A4, W4A6, W8A8 and Q8.8 fine-tuned from it "
            + "for three fifths of the epochs (--init, --calibrate, learned steps, the float model as teacher, "
            + "the last third frozen and averaged: the shipped EM set's recipe); into --work.")
    boolean train;

    @Option(names = "--epochs", defaultValue = "100", description = "With --train: epochs per model (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--preset", defaultValue = "compact", description = "With --train: topology (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--work", defaultValue = "${sys:unetq.root:-.}/target/sweep-bits",
            description = "With --train: where the trained models go, one folder per dataset (default ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--out", defaultValue = "${sys:unetq.root:-.}/docs/bits.md", description = "Markdown table; the plots go beside it (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace existing outputs.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One configuration's results. */
    record Result(String file, String weights, String activations, int weightBits, double dice999, double dice05,
                  long weightKbit, Resources estimate, long cyclesPerFrame, Map<String, Resources> perLayer,
                  Map<String, Long> cyclesPerLayer, boolean fits) {
        boolean isFloat() {
            return estimate == null;
        }

        /** A design that fits the device (the float model has none). */
        boolean hasDesign() {
            return estimate != null && fits;
        }

        double fps() {
            return CLOCK_MHZ * 1e6 / cyclesPerFrame;
        }

        long luts() {
            return estimate.luts() + estimate.lutram();
        }
    }

    @Override
    public Integer call() throws Exception {
        Checks.range("--threads", threads, 1, 256);
        if (fps != null) {
            Checks.positive("--fps", fps, CLOCK_MHZ * 1e6);
        }
        if (!Datasets.FOLDERS.containsKey(dataset)) {
            throw new UsageError("--dataset: unknown '" + dataset + "' (choose em, gm or pancreas)");
        }
        Device dev = Devices.byId(device);
        if (train && models != null) {
            throw new UsageError("choose one of --train and --model");
        }
        Checks.range("--epochs", epochs, 1, TrainCommand.MAX_COUNT);
        try {
            unetq.golden.UNetTopology.preset(preset);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--preset: " + e.getMessage());
        }
        Path root = Path.of(System.getProperty("unetq.root", "."));
        List<Path> files = models != null ? models : train ? trainedFiles() : SHIPPED.get(dataset).stream()
                .map(f -> root.resolve("models").resolve(f)).toList();
        if (train) {
            Checks.outputFolder(work.resolve(dataset), true, "--work").close(); // writable, and unetq's if it exists
        }
        for (Path m : train ? List.<Path>of() : files) {
            if (!Files.isRegularFile(m)) {
                throw new UsageError("--model " + m + ": no such file");
            }
        }
        String stem = out.getFileName().toString().replaceFirst("\\.md$", "");
        OutputFile table = claim(out, "--out");
        OutputFile page = claim(out.resolveSibling(stem + ".html"), "--out (its HTML page)");
        Map<String, OutputFile> plots = new java.util.LinkedHashMap<>();
        for (String p : PLOTS.keySet()) {
            for (String ext : List.of("png", "svg")) {
                plots.put(p + "." + ext, claim(out.resolveSibling(stem + "-" + p + "." + ext), "--out"));
            }
        }
        Path dir = Datasets.folder(data, dataset);
        SegmentationDataset ds = Datasets.open(dataset, dir);
        List<Sample> samples = ds.validation();
        if (samples.isEmpty()) {
            throw new UsageError("--data " + dir + " holds no validation images (" + ds.splitDescription() + ")");
        }
        int h = samples.get(0).image().height();
        int w = samples.get(0).image().width();

        PrintWriter o = spec.commandLine().getOut();
        if (train) {
            trainAll(o, dir, files);
        }
        o.printf("%s: %d validation images of %dx%d; designs for %s at %.0f MHz%n", dir, samples.size(), h, w, dev, CLOCK_MHZ);
        EvalCommand eval = new EvalCommand();
        eval.threads = threads;
        List<Result> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            o.printf("[%d/%d] %s: Dice ...%n", i + 1, files.size(), f.getFileName());
            o.flush();
            Progress progress = new Progress(o, f.getFileName().toString(), samples.size(), "images");
            boolean isFloat = f.getFileName().toString().endsWith(".ckpt");
            EvalCommand.Row row = isFloat ? eval.evalFloat(f, samples, progress) : eval.evalInteger(f, samples, progress);
            double d999 = row.mean(row.perImage999());
            double d05 = row.mean(row.perImage05());
            if (isFloat) {
                results.add(new Result(row.file(), "float", "float", 32, d999, d05, row.weightCount() * 32 / 1000, null, 0, Map.of(), Map.of(),
                        false));
            } else {
                QuantizedUNet net = ModelFile.read(f).net();
                o.printf("[%d/%d] %s: the %s design that fits %s ...%n", i + 1, files.size(), f.getFileName(),
                        fps == null ? "fastest" : "cheapest " + fps + " frames/s", dev);
                o.flush();
                FoldingSearch.Choice c;
                boolean fits = true;
                FoldingSearch.Budget budget = FoldingSearch.Budget.of(dev);
                if (fps != null) {
                    c = FoldingSearch.at(net, h, w, (long) Math.floor(CLOCK_MHZ * 1e6 / fps), budget);
                    fits = budget.fits(c.estimate());
                } else {
                    try {
                        c = FoldingSearch.fastest(net, h, w, budget);
                    } catch (FoldingSearch.NothingFits e) { // a row of its own: what the closest design needs
                        c = e.closest();
                        fits = false;
                    }
                }
                UNetAccelerator acc = new UNetAccelerator("unet", net, h, w, c.foldings(), c.placement());
                Map<String, Resources> perLayer = new java.util.LinkedHashMap<>();
                for (HardwareBlock b : acc.blocks()) {
                    String name = b.name().substring(acc.name().length() + 1);
                    if (c.foldings().containsKey(name)) {
                        perLayer.put(name, dev.estimate(b));
                    }
                }
                Map<String, Long> cyclesPerLayer = new java.util.LinkedHashMap<>(acc.cyclesPerFrame());
                cyclesPerLayer.keySet().retainAll(c.foldings().keySet());
                long weightKbit = net.weightCount() * net.weightFormat().hardwareBits() / 1000;
                results.add(new Result(row.file(), row.weights(), row.activations(),
                        net.weightFormat().intBits() + net.weightFormat().fracBits(), d999, d05,
                        weightKbit, dev.estimate(acc), c.boundCyclesPerFrame(), perLayer, cyclesPerLayer, fits));
            }
            Result r = results.get(results.size() - 1);
            o.printf("[%d/%d] %s: Dice %.2f / %.2f %%%s (%s elapsed)%n", i + 1, files.size(), r.file(), r.dice999(), r.dice05(),
                    r.isFloat() ? "" : r.fits() ? String.format(", %d LUT, %.2f frames/s", r.luts(), r.fps())
                            : ", no design fits " + dev + ": " + dev.overflow(r.estimate()),
                    Progress.duration((System.nanoTime() - start) / 1e9));
            o.flush();
        }
        String command = "unetq sweep bits --dataset " + dataset + " --device " + dev + (fps == null ? "" : " --fps " + fps)
                + (models == null ? "" : " --model ...") + (train ? " --train --epochs " + epochs + " --preset " + preset : "")
                + " --out " + Checks.shown(out) + " --force";
        table.writeString(markdown(results, dev, dir, samples.size(), h, w, stem, command));
        writeChart(plots, "dice-vs-bits", diceVsBits(results));
        writeChart(plots, "dice-vs-luts", diceVsLuts(results, dev));
        writeChart(plots, "luts-per-layer", lutsPerLayer(results));
        writeChart(plots, "cycles-per-layer", cyclesPerLayer(results));
        page.writeString(html(results, dev, samples.size(), h, w, stem, command));
        o.printf("wrote %s, %s and %d plots beside them%n", out, out.resolveSibling(stem + ".html"), plots.size());
        return 0;
    }

    private OutputFile claim(Path file, String flag) {
        return Checks.outputFile(file, force, flag);
    }

    /** The float model's Dice at t=0.5, for "loss vs float" (NaN without a float row). */
    private static double floatDice(List<Result> results, boolean t999) {
        return results.stream().filter(Result::isFloat).mapToDouble(r -> t999 ? r.dice999() : r.dice05()).findFirst().orElse(Double.NaN);
    }

    String markdown(List<Result> results, Device dev, Path dir, int images, int h, int w, String stem, String command) {
        Resources cap = dev.capacity();
        StringBuilder sb = new StringBuilder();
        sb.append("# Bit-width against hardware: ").append(dataset).append(" on ").append(dev).append("\n\n");
        sb.append("Written by `").append(command).append("` (").append(java.time.LocalDate.now(java.time.ZoneOffset.UTC))
                .append("); nothing here is edited by hand.\n\n");
        sb.append(String.format("Dice: mean over the %d validation images of %s (%dx%d), at the paper's threshold 0.999 and at 0.5; "
                + "quantized models in the integer golden model, the float one through the training engine. Loss: points below the "
                + "float model at the same threshold. Hardware: the %s design whose estimate fits the %s (`generate --device`%s), "
                + "at %dx%d and %.0f MHz; LUT = logic + LUTRAM; fill against %,d LUT, %d BRAM18, %d DSP. Weight memory: weights x "
                + "their bits in hardware.%n%n", images, dir.getFileName(), h, w,
                fps == null ? "fastest" : "cheapest " + fps + " frames/s", dev, fps == null ? "" : " --fps " + fps, h, w, CLOCK_MHZ, cap.luts(), cap.bram18(), cap.dsps()));
        sb.append("| model | weights | activations | Dice t=0.999 | t=0.5 | loss t=0.999 / 0.5 | weight kbit | LUT | FF | BRAM18 | DSP | LUT fill | frames/s |\n");
        sb.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        double f999 = floatDice(results, true);
        double f05 = floatDice(results, false);
        for (Result r : results) {
            String loss = r.isFloat() || Double.isNaN(f05) ? "-" : String.format("%.2f / %.2f", f999 - r.dice999(), f05 - r.dice05());
            if (r.isFloat()) {
                sb.append(String.format("| %s | float | float | %.2f %% | %.2f %% | - | %,d | - | - | - | - | - | - |%n", r.file(),
                        r.dice999(), r.dice05(), r.weightKbit()));
            } else {
                Resources e = r.estimate();
                sb.append(String.format("| %s | %s | %s | %.2f %% | %.2f %% | %s | %,d | %,d | %,d | %d | %d | %.1f %% | %s |%n",
                        r.file(), r.weights(), r.activations(), r.dice999(), r.dice05(), loss, r.weightKbit(), r.luts(), e.ffs(),
                        e.bram18(), e.dsps(), 100.0 * r.luts() / cap.luts(),
                        r.fits() ? String.format("%.2f", r.fps()) : "does not fit: " + dev.overflow(e) + " (the closest design)"));
            }
        }
        sb.append("\n![Dice against weight bits](").append(stem).append("-dice-vs-bits.png)\n");
        sb.append("![Dice against LUTs, Pareto front](").append(stem).append("-dice-vs-luts.png)\n");
        sb.append("![LUTs per layer](").append(stem).append("-luts-per-layer.png)\n");
        sb.append("![Cycles per layer](").append(stem).append("-cycles-per-layer.png)\n\n");
        sb.append("SVG versions beside the PNGs. Per layer (LUT + LUTRAM of each convolution's block):\n\n");
        List<Result> hw = results.stream().filter(Result::hasDesign).toList();
        if (!hw.isEmpty()) {
            sb.append("| layer |");
            hw.forEach(r -> sb.append(' ').append(r.file()).append(" |"));
            sb.append("\n| --- |");
            hw.forEach(r -> sb.append(" ---: |"));
            sb.append('\n');
            for (String layer : hw.get(0).perLayer().keySet()) {
                sb.append("| ").append(layer).append(" |");
                for (Result r : hw) {
                    Resources l = r.perLayer().get(layer);
                    sb.append(l == null ? " - |" : String.format(" %,d |", l.luts() + l.lutram()));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static JFreeChart diceVsBits(List<Result> results) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries t999 = new XYSeries("t = 0.999", true, true);
        XYSeries t05 = new XYSeries("t = 0.5", true, true);
        for (Result r : results) {
            t999.add(r.weightBits(), r.dice999());
            t05.add(r.weightBits(), r.dice05());
        }
        data.addSeries(t999);
        data.addSeries(t05);
        JFreeChart chart = org.jfree.chart.ChartFactory.createXYLineChart("Dice against weight bits (32 = float)",
                "weight bits (the W of WxA: Q0.4 is 4, Q8.8 16)", "Dice (%)", data, PlotOrientation.VERTICAL, true, false, false);
        ((XYPlot) chart.getPlot()).setRenderer(new XYLineAndShapeRenderer(true, true));
        ((org.jfree.chart.axis.NumberAxis) ((XYPlot) chart.getPlot()).getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    /** Dice (t=0.5) against LUTs; the front: no other design has fewer LUTs and a higher Dice. */
    private static JFreeChart diceVsLuts(List<Result> results, Device dev) {
        List<Result> hw = results.stream().filter(Result::hasDesign).toList();
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries all = new XYSeries("designs", false, true);
        XYSeries front = new XYSeries("Pareto front", true, true);
        for (Result r : hw) {
            all.add(r.luts(), r.dice05());
            boolean dominated = hw.stream().anyMatch(q -> q != r && q.luts() <= r.luts() && q.dice05() >= r.dice05()
                    && (q.luts() < r.luts() || q.dice05() > r.dice05()));
            if (!dominated) {
                front.add(r.luts(), r.dice05());
            }
        }
        data.addSeries(front);
        data.addSeries(all);
        JFreeChart chart = org.jfree.chart.ChartFactory.createXYLineChart("Dice (t = 0.5) against LUTs on " + dev,
                "LUT + LUTRAM (estimate)", "Dice (%)", data, PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, true);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesPaint(0, new Color(0xd62728));
        renderer.setSeriesLinesVisible(1, false);
        renderer.setSeriesShapesVisible(1, true);
        renderer.setSeriesPaint(1, new Color(0x1f77b4));
        ((XYPlot) chart.getPlot()).setRenderer(renderer);
        ((org.jfree.chart.axis.NumberAxis) ((XYPlot) chart.getPlot()).getRangeAxis()).setAutoRangeIncludesZero(false);
        for (Result r : hw) {
            ((XYPlot) chart.getPlot()).addAnnotation(new org.jfree.chart.annotations.XYTextAnnotation(
                    r.weights() + "/" + r.activations(), r.luts(), r.dice05() - 0.15));
        }
        return chart;
    }

    /** The paper's bit-widths, as train's --weights / --activations. */
    static final List<String[]> TRAINED = List.of(new String[] {"w2a4", "Q0.2", "Q4.0"}, new String[] {"w4a6", "Q0.4", "Q6.0"},
            new String[] {"w8a8", "Q0.8", "Q8.0"}, new String[] {"q88", "Q8.8", "Q8.8"});

    private List<Path> trainedFiles() {
        List<Path> f = new ArrayList<>(List.of(work.resolve(dataset).resolve(dataset + "-" + preset + "-fp.ckpt")));
        TRAINED.forEach(c -> f.add(work.resolve(dataset).resolve(dataset + "-" + preset + "-" + c[0] + ".unetq")));
        return f;
    }

    /**
     * Trains the float model, then fine-tunes each bit-width from it (calibrated, with it as teacher, for
     * three fifths of the epochs), through {@code unetq train} (so each model
     * records its command); EM takes the v1 schedule, whose float model clears t=0.999 (docs/training.md).
     */
    private void trainAll(PrintWriter o, Path dir, List<Path> files) {
        Path folder = work.resolve(dataset);
        try (var claim = Checks.outputFolder(folder, true, "--work")) {
            claim.publish(); // an empty folder unetq owns; the models go in one by one
        }
        int frozen = Math.max(1, epochs / 5);
        int tuning = Math.max(1, epochs * 3 / 5);
        int tuningFrozen = Math.max(1, tuning / 3);
        List<String> common = List.of("--dataset", dataset, "--data", dir.toString(), "--preset", preset, "--steps-per-epoch", "8",
                "--recipe", dataset.equals("em") ? "v1" : "paper", "--threads", Integer.toString(threads), "--force");
        for (int i = 0; i < files.size(); i++) {
            List<String> args = new ArrayList<>(List.of("train"));
            args.addAll(common);
            if (i == 0) {
                args.addAll(List.of("--float", "--epochs", Integer.toString(epochs), "--frozen-bn-epochs", Integer.toString(frozen),
                        "--average-last", Integer.toString(frozen)));
            } else {
                String fp = files.get(0).toString();
                args.addAll(List.of("--weights", TRAINED.get(i - 1)[1], "--activations", TRAINED.get(i - 1)[2], "--act-steps",
                        "learned", "--epochs", Integer.toString(tuning), "--init", fp, "--calibrate",
                        "--teacher", fp, "--frozen-bn-epochs", Integer.toString(tuningFrozen), "--average-last",
                        Integer.toString(tuningFrozen)));
            }
            args.addAll(List.of("--out", files.get(i).toString()));
            o.printf("[train %d/%d] unetq %s%n", i + 1, files.size(), String.join(" ", args));
            o.flush();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = Main.run(o, new PrintWriter(err, true), args.toArray(String[]::new));
            if (code != 0) {
                throw new IllegalStateException("training " + files.get(i).getFileName() + " failed: " + err.toString().strip());
            }
        }
    }

    /** The plots, by file stem, with their captions. */
    static final Map<String, String> PLOTS = new java.util.LinkedHashMap<>();

    static {
        PLOTS.put("dice-vs-bits", "Dice against weight bits");
        PLOTS.put("dice-vs-luts", "Dice (t = 0.5) against LUTs, Pareto front in red");
        PLOTS.put("luts-per-layer", "LUT + LUTRAM per convolution");
        PLOTS.put("cycles-per-layer", "Cycles per frame per convolution: the tallest bar sets the frame rate");
    }

    /** The page version of the table: the same rows and the plots, rendered by the report's template engine. */
    String html(List<Result> results, Device dev, int images, int h, int w, String stem, String command) {
        double f999 = floatDice(results, true);
        double f05 = floatDice(results, false);
        Resources cap = dev.capacity();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("model", r.file());
            row.put("weights", r.isFloat() ? "float" : r.weights());
            row.put("activations", r.isFloat() ? "float" : r.activations());
            row.put("dice999", String.format("%.2f %%", r.dice999()));
            row.put("dice05", String.format("%.2f %%", r.dice05()));
            row.put("loss", r.isFloat() || Double.isNaN(f05) ? "-" : String.format("%.2f / %.2f", f999 - r.dice999(), f05 - r.dice05()));
            row.put("weightKbit", String.format("%,d", r.weightKbit()));
            boolean hw = !r.isFloat();
            row.put("luts", hw ? String.format("%,d", r.luts()) : "-");
            row.put("ffs", hw ? String.format("%,d", r.estimate().ffs()) : "-");
            row.put("bram", hw ? Long.toString(r.estimate().bram18()) : "-");
            row.put("dsps", hw ? Long.toString(r.estimate().dsps()) : "-");
            row.put("fill", hw ? String.format("%.1f %%", 100.0 * r.luts() / cap.luts()) : "-");
            row.put("fps", !hw ? "-" : r.fits() ? String.format("%.2f", r.fps()) : "does not fit: " + dev.overflow(r.estimate()));
            rows.add(row);
        }
        List<Map<String, String>> plots = new ArrayList<>();
        PLOTS.forEach((file, caption) -> plots.add(Map.of("png", stem + "-" + file + ".png", "svg", stem + "-" + file + ".svg",
                "caption", caption)));
        Map<String, Object> scope = new java.util.LinkedHashMap<>();
        scope.put("title", "Bit-width against hardware: " + dataset + " on " + dev);
        scope.put("command", command);
        scope.put("what", String.format("Dice over the %d validation images (%dx%d) at the paper's threshold 0.999 and at 0.5; "
                + "loss in points below the float model; the %s design that fits the %s at %.0f MHz (LUT = logic + LUTRAM, "
                + "fill of its %,d LUTs).", images, h, w, fps == null ? "fastest" : "cheapest " + fps + " frames/s", dev, CLOCK_MHZ,
                cap.luts()));
        scope.put("rows", rows);
        scope.put("plots", plots);
        return unetq.report.HtmlReport.page("bits.mustache", scope);
    }

    private static JFreeChart cyclesPerLayer(List<Result> results) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Result r : results.stream().filter(Result::hasDesign).toList()) {
            r.cyclesPerLayer().forEach((layer, c) -> data.addValue(c, r.weights() + " x " + r.activations(), layer));
        }
        return org.jfree.chart.ChartFactory.createBarChart("Cycles per frame per convolution", "layer", "cycles", data,
                PlotOrientation.VERTICAL, true, false, false);
    }

    private static JFreeChart lutsPerLayer(List<Result> results) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Result r : results.stream().filter(Result::hasDesign).toList()) {
            r.perLayer().forEach((layer, res) -> data.addValue(res.luts() + res.lutram(), r.weights() + " x " + r.activations(), layer));
        }
        return org.jfree.chart.ChartFactory.createBarChart("LUT + LUTRAM per convolution (estimate)", "layer", "LUTs", data,
                PlotOrientation.VERTICAL, true, false, false);
    }

    private static void writeChart(Map<String, OutputFile> plots, String name, JFreeChart chart) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, 900, 520);
        plots.get(name + ".png").write(png.toByteArray());
        SVGGraphics2D svg = new SVGGraphics2D(900, 520);
        chart.draw(svg, new java.awt.Rectangle(0, 0, 900, 520));
        plots.get(name + ".svg").write(svg.getSVGDocument().getBytes(StandardCharsets.UTF_8));
    }
}
