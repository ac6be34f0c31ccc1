package unetq.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code unetq demo}: the embedded default, end to end. The shipped W4A6 EM model and two EM
 * sample slices -&gt; generate into rtl-out/demo -&gt; Verilator build -&gt; simulate both slices
 * (bit-exact check, cycles, fps, Dice, mask and overlay PNGs), with the resource estimate -&gt; report.md.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate, build and simulate the shipped EM model on two sample slices; report in rtl-out/demo.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "models/em-compact-w4a6.unetq", description = "Model (default ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--samples", defaultValue = "models/samples/em", description = "Folder of ID.png + ID-label.png (default ${DEFAULT-VALUE}).")
    Path samples;

    @Option(names = "--out", defaultValue = "rtl-out/demo", description = "Output folder (default ${DEFAULT-VALUE}; replaced).")
    Path out;

    @Option(names = "--fps", defaultValue = "10", description = "Target frames/s at 100 MHz (default ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--count", defaultValue = "2", description = "How many sample slices to simulate (default ${DEFAULT-VALUE}).")
    int count;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Path root = Path.of(System.getProperty("unetq.root", "."));
        Path m = root.resolve(model);
        Path s = root.resolve(samples);
        Path dir = root.resolve(out);
        List<Path> images = new ArrayList<>();
        if (Files.isDirectory(s)) {
            try (var list = Files.list(s)) {
                list.filter(p -> p.toString().endsWith(".png") && !p.toString().endsWith("-label.png")).sorted().forEach(images::add);
            }
        }
        if (images.isEmpty()) {
            throw new UsageError("no sample images in " + s);
        }
        images = images.subList(0, Math.min(Math.max(1, count), images.size()));
        o.printf("[1/3] generate %s -> %s%n", model, dir.resolve("rtl"));
        o.flush();
        StringBuilder report = new StringBuilder("# unetq demo\n\nModel `" + model + "`, samples `" + samples + "`.\n\n");
        int code = step(o, report, "generate", "--model", m.toString(), "--size", "200x200", "--fps", Double.toString(fps),
                "--out", dir.resolve("rtl").toString(), "--force");
        if (code != 0) {
            return code;
        }
        o.printf("[2/3] estimate resources on a Zynq-7020%n");
        o.flush();
        code = step(o, report, "estimate", dir.resolve("rtl").toString(), "--device", "xc7z020");
        if (code != 0) {
            return code;
        }
        o.printf("[3/3] simulate %d slices in one run%n", images.size());
        o.flush();
        List<String> args = new ArrayList<>(List.of("simulate", dir.resolve("rtl").toString(), "--out", dir.toString()));
        boolean labelled = true;
        for (Path img : images) {
            args.addAll(List.of("--image", img.toString()));
            labelled &= Files.exists(label(img));
        }
        if (labelled) {
            images.forEach(img -> args.addAll(List.of("--label", label(img).toString())));
        }
        int failures = step(o, report, args.toArray(String[]::new)) == 0 ? 0 : 1;
        for (Path img : images) {
            String stem = img.getFileName().toString().replace(".png", "");
            report.append("![").append(stem).append(" overlay](").append(stem).append("-overlay.png) ![").append(stem)
                    .append(" mask](").append(stem).append("-mask.png)\n\n");
        }
        Files.writeString(dir.resolve("report.md"), report.toString(), StandardCharsets.UTF_8);
        o.printf("report: %s%n", dir.resolve("report.md"));
        return failures == 0 ? 0 : 1;
    }

    private static Path label(Path img) {
        return img.resolveSibling(img.getFileName().toString().replace(".png", "-label.png"));
    }

    /** Runs one unetq command, echoing its output and adding it to the report. */
    private static int step(PrintWriter o, StringBuilder report, String... args) {
        StringWriter buf = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter tee = new PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] c, int off, int len) {
                o.write(c, off, len);
                buf.write(c, off, len);
            }

            @Override
            public void flush() {
                o.flush();
            }

            @Override
            public void close() {
            }
        }, true);
        int code = Main.run(tee, new PrintWriter(err, true), args);
        if (code != 0) {
            o.print(err);
        }
        report.append("```\n$ unetq ").append(String.join(" ", args)).append("\n").append(buf).append(err).append("```\n\n");
        return code;
    }
}
