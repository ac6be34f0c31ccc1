package unetq.cli;

import java.io.IOException;
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
import unetq.files.OutputFolder;
import unetq.golden.ModelFile;
import unetq.report.HtmlReport;
import unetq.report.Report;

/**
 * {@code unetq demo}: the embedded default, end to end. The shipped W4A6 EM model and two EM
 * sample slices -&gt; generate into rtl-out/demo -&gt; Verilator build -&gt; simulate both slices
 * (bit-exact check, cycles, fps, Dice, the pictures), with the resource estimate -&gt; report.html.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate, build and simulate the shipped EM model on two sample slices; report in rtl-out/demo.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model (default: the repository's models/em-compact-w4a6.unetq).")
    Path model;

    @Option(names = "--samples", description = "Folder of ID.png + ID-label.png (default: the repository's models/samples/em).")
    Path samples;

    @Option(names = "--out", description = "Output folder, new or empty (default: the repository's rtl-out/demo).")
    Path out;

    @Option(names = "--force", description = "Replace --out if it is not empty (only a folder unetq wrote).")
    boolean force;

    @Option(names = "--device", defaultValue = Devices.DEFAULT, description = "Device to fit (default ${DEFAULT-VALUE}, the PYNQ-Z2's "
            + "Zynq-7020): the fastest design that fits it, unless --fps asks for a rate.")
    String device;

    @Option(names = "--fps", description = "Target frames/s at 100 MHz: the cheapest design that reaches it on --device.")
    Double fps;

    @Option(names = "--count", defaultValue = "2", description = "How many sample slices to simulate, 1..100 (default ${DEFAULT-VALUE}).")
    int count;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        // what the user names is relative to the working folder; the defaults live in the repository
        Path root = Path.of(System.getProperty("unetq.root", "."));
        Path m = model != null ? model : root.resolve("models/em-compact-w4a6.unetq");
        Path s = samples != null ? samples : root.resolve("models/samples/em");
        Path dir = out != null ? out : root.resolve("rtl-out/demo");
        if (fps != null) {
            Checks.positive("--fps", fps);
        }
        unetq.hw.cost.Device dev = Devices.byId(device);
        Checks.range("--count", count, 1, 100);
        try {
            ModelFile.read(m);
        } catch (IOException e) {
            throw new UsageError("--model " + m + ": " + e.getMessage());
        }
        List<Path> images = new ArrayList<>();
        if (Files.isDirectory(s)) {
            try (var list = Files.list(s)) {
                list.filter(p -> p.toString().endsWith(".png") && !p.toString().endsWith("-label.png")).sorted().forEach(images::add);
            }
        }
        if (images.isEmpty()) {
            throw new UsageError("--samples " + s + " holds no ID.png images");
        }
        images = images.subList(0, Math.min(count, images.size()));
        OutputFolder folder = Checks.outputFolder(dir, force, "--out");
        try (folder) {
            Path work = folder.staging();
            Path rtl = work.resolve("rtl");
            Path[] shown = {work, dir};
            o.printf("[1/3] generate %s -> %s%n", m, dir.resolve("rtl"));
            o.flush();
            List<Report.Command> report = new ArrayList<>();
            List<String> gen = new ArrayList<>(List.of("generate", "--model", m.toString(), "--size", "200x200", "--device", dev.id(),
                    "--out", rtl.toString()));
            if (fps != null) {
                gen.addAll(List.of("--fps", Double.toString(fps)));
            }
            int code = step(o, report, shown, gen.toArray(String[]::new));
            if (code != 0) {
                return code;
            }
            o.printf("[2/3] estimate resources on %s%n", dev.id());
            o.flush();
            code = step(o, report, shown, "estimate", rtl.toString()); // the device design.json records
            if (code != 0) {
                return code;
            }
            o.printf("[3/3] simulate %d slices in one run%n", images.size());
            o.flush();
            List<String> args = new ArrayList<>(List.of("simulate", rtl.toString(), "--out", work.resolve("sim").toString()));
            boolean labelled = true;
            for (Path img : images) {
                args.addAll(List.of("--image", img.toString()));
                labelled &= Files.exists(label(img));
            }
            if (labelled) {
                images.forEach(img -> args.addAll(List.of("--label", label(img).toString())));
            }
            code = step(o, report, shown, args.toArray(String[]::new));
            if (code == 2) { // bad input: nothing to report
                return code;
            }
            // simulate's page, its pictures one folder down, with every command of the demo
            Report page = HtmlReport.read(work.resolve("sim").resolve(HtmlReport.DATA)).relocated("sim", report);
            page = new Report("unetq demo", page.summary().replace(work.toString(), dir.toString()), page.bitExact(),
                    page.mismatch(), page.speed(), page.slices(), page.cycles(), page.luts(), page.fill(), page.device(),
                    page.tools(), page.commands());
            Files.writeString(work.resolve(HtmlReport.PAGE), HtmlReport.html(page), StandardCharsets.UTF_8);
            folder.publish();
            o.printf("report: %s%n", dir.resolve(HtmlReport.PAGE).toAbsolutePath());
            return code == 0 ? 0 : 1;
        }
    }

    private static Path label(Path img) {
        return img.resolveSibling(img.getFileName().toString().replace(".png", "-label.png"));
    }

    /**
     * Runs one command, its output shown and kept for the report, the staging folder's path shown as
     * the folder it becomes ({@code paths[0]} -> {@code paths[1]}).
     */
    private static int step(PrintWriter o, List<Report.Command> report, Path[] paths, String... args) {
        StringWriter buf = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter tee = new PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] c, int off, int len) {
                String text = new String(c, off, len).replace(paths[0].toString(), paths[1].toString());
                o.write(text);
                buf.write(text);
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
        tee.flush();
        if (code != 0) {
            o.print(err.toString().replace(paths[0].toString(), paths[1].toString()));
            o.flush();
        }
        report.add(new Report.Command(("unetq " + String.join(" ", args)).replace(paths[0].toString(), paths[1].toString()),
                (buf.toString() + err).replace(paths[0].toString(), paths[1].toString())));
        return code;
    }
}
