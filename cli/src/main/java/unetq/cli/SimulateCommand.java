package unetq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import unetq.files.OutputFolder;
import unetq.golden.Bits;
import unetq.golden.Dice;
import unetq.golden.GreyImage;
import unetq.golden.IntTensor;
import unetq.golden.ModelFile;
import unetq.golden.QuantizedUNet;
import unetq.hw.design.UNetDesign;
import unetq.hw.design.Version;
import unetq.report.HtmlReport;
import unetq.report.Pictures;
import unetq.report.Report;
import unetq.sim.StreamRun;
import unetq.sim.VerilatorBuild;

/**
 * {@code unetq simulate}: runs a generated design in Verilator on an image, checks every output
 * (mask bit and logit) against the golden model, and writes the mask, an overlay and a report.
 * The image is streamed twice back to back; the second frame gives the steady-state cycles.
 * An image larger than the design is centre-cropped to it; a smaller or colour image is refused.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run a generated design in Verilator on an image; bit-exact check, mask PNGs, Dice, cycles and fps.",
        footer = {"", "Examples:",
                "  unetq simulate rtl-out/em --image slice.png --label slice-label.png --out sim-out"})
final class SimulateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "A folder written by unetq generate.")
    Path dir;

    @Option(names = "--image", required = true, paramLabel = "PNG",
            description = "8-bit grey image (PNG or JPEG); repeat to stream several back to back.")
    List<Path> images;

    @Option(names = "--label", paramLabel = "PNG", description = "Ground-truth mask (> 127 = foreground) per image, for the Dice.")
    List<Path> labels;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the mask, overlay and report go (new or empty).")
    Path out;

    @Option(names = "--force", description = "Replace --out if it is not empty (only a folder unetq wrote).")
    boolean force;

    @Option(names = "--stalls", defaultValue = "0", description = "Probability in [0, 1) of random stalls on input valid and "
            + "output ready (default ${DEFAULT-VALUE}).")
    double stalls;

    @Option(names = "--layers", description = "Also run every conv layer on its own in Verilator with the golden model's input "
            + "for it: a mismatch names the layer, channel and pixel.")
    boolean layers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Checks.range("--stalls", stalls, 0, false, 1, true);
        if (labels != null && labels.size() != images.size()) {
            throw new UsageError("give one --label per --image (" + images.size() + " images, " + labels.size() + " labels)");
        }
        DesignFolder design = DesignFolder.open(dir).requireUNet();
        JsonNode manifest = design.manifest();
        int h = design.height();
        int w = design.width();
        QuantizedUNet net = design.model();
        List<IntTensor> frames = new ArrayList<>();
        List<boolean[][]> truths = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            GreyImage img = read(images.get(i), "--image");
            frames.add(crop(img, h, w, "--image " + images.get(i)));
            if (labels != null) {
                GreyImage labImg = read(labels.get(i), "--label");
                if (labImg.height() != img.height() || labImg.width() != img.width()) {
                    throw new UsageError("--label " + labels.get(i) + " is " + labImg.height() + "x" + labImg.width()
                            + ", its image " + img.height() + "x" + img.width() + ": they must be the same size");
                }
                IntTensor lab = crop(labImg, h, w, "--label");
                boolean[][] truth = new boolean[h][w];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        truth[y][x] = lab.get(0, y, x) > 127;
                    }
                }
                truths.add(truth);
            }
        }
        OutputFolder folder = Checks.outputFolder(out, force, "--out");
        try (folder) {
            return simulate(folder, manifest, net, h, w, frames, truths);
        }
    }

    private int simulate(OutputFolder folder, JsonNode manifest, QuantizedUNet net, int h, int w, List<IntTensor> frames,
                         List<boolean[][]> truths) throws IOException {
        // one image is streamed twice: the second frame gives the steady-state cycles
        List<IntTensor> stream = new ArrayList<>(frames);
        if (frames.size() == 1) {
            stream.add(frames.get(0));
        }
        PrintWriter o = spec.commandLine().getOut();
        long bound = manifest.get("boundCyclesPerFrame").asLong();
        o.printf("design %s: %s, %dx%d, slowest layer %d cycles/frame%n", dir, net.topology(), h, w, bound);
        o.flush();
        Path exe = VerilatorBuild.defaultCache(line -> {
            o.println(line);
            o.flush();
        }).build(dir, UNetDesign.SIM_TOP);
        List<List<BigInteger>> beats = new ArrayList<>();
        stream.forEach(f -> beats.addAll(unetq.hw.design.PixelStream.framedGrey(f)));
        o.printf("simulating %d frames (%d pixels) ...%n", stream.size(), beats.size());
        o.flush();
        long t0 = System.nanoTime();
        long pixels = (long) h * w;
        // expected cycles: the frames at the bound, stretched by the stalls (an ETA until outputs arrive)
        double expectedCycles = stream.size() * bound / Math.max(1e-9, (1 - stalls) * (1 - stalls));
        SimulationProgress progress = new SimulationProgress(o, stream.size(), pixels, expectedCycles);
        StreamRun.Result r = StreamRun.run(exe, dir, beats, beats.size(),
                new StreamRun.Options(1, stalls, stalls, 50L * bound + 1_000_000), progress::at);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path outDir = folder.staging();
        int logitBits = QuantizedUNet.LOGIT_FORMAT.hardwareBits();
        long mismatches = 0;
        String mismatch = null;
        List<boolean[][]> masks = new ArrayList<>();
        int skips = manifest.get("skipBuffers").size();
        int sofField = 2 + skips; // outputs: mask, logit, skip maxima, sof, eol, framing error
        for (int f = 0; f < stream.size(); f++) {
            QuantizedUNet.Result golden = net.forward(stream.get(f));
            boolean[][] mask = new boolean[h][w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    StreamRun.Beat b = r.outputs().get(f * h * w + y * w + x);
                    boolean m = b.fields().get(0).testBit(0);
                    long logit = Bits.signExtend(b.fields().get(1).longValue(), logitBits);
                    mask[y][x] = m;
                    boolean marksRight = b.fields().get(sofField).testBit(0) == (y == 0 && x == 0)
                            && b.fields().get(sofField + 1).testBit(0) == (x == w - 1);
                    if (m != golden.mask()[y][x] || logit != golden.logits().get(0, y, x) || !marksRight) {
                        mismatches++;
                        if (mismatch == null) {
                            mismatch = "frame " + f + ", output pixel (y=" + y + ", x=" + x + "): RTL logit " + logit + " mask "
                                    + (m ? 1 : 0) + ", golden logit " + golden.logits().get(0, y, x) + " mask "
                                    + (golden.mask()[y][x] ? 1 : 0) + (marksRight ? "" : "; wrong sof/eol mark");
                        }
                    }
                }
            }
            masks.add(mask);
        }
        long frame = r.outputs().get(2 * h * w - 1).cycle() - r.outputs().get(h * w - 1).cycle();
        double clock = manifest.get("clockMhz").asDouble();
        StringBuilder report = new StringBuilder();
        report.append(String.format("bit-exact: %s%n", mismatch == null ? "yes" : "NO (" + mismatches + " mismatches; first: " + mismatch + ")"));
        report.append(String.format("cycles per frame: %d (steady state, second frame); bound %d; %.2f frames/s at %.0f MHz%n",
                frame, manifest.get("boundCyclesPerFrame").asLong(), clock * 1e6 / frame, clock));
        report.append(String.format("simulation: %d frames, %d cycles in %.1f s%n", stream.size(), r.cycles(), seconds));
        List<Report.Slice> slices = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            String stem = images.get(i).getFileName().toString().replaceAll("\\.[^.]*$", "");
            Pictures.grey(outDir.resolve(stem + "-input.png"), frames.get(i));
            Pictures.mask(outDir.resolve(stem + "-mask.png"), masks.get(i));
            writeOverlay(outDir.resolve(stem + "-overlay.png"), frames.get(i), masks.get(i));
            report.append(String.format("%s: mask %s-mask.png, overlay %s-overlay.png", stem, stem, stem));
            Double dice = null;
            if (!truths.isEmpty()) {
                dice = Dice.percent(masks.get(i), truths.get(i));
                Pictures.mask(outDir.resolve(stem + "-label.png"), truths.get(i));
                Pictures.errors(outDir.resolve(stem + "-errors.png"), frames.get(i), masks.get(i), truths.get(i));
                report.append(String.format(", Dice %.2f %% (t=%s)", dice, net.threshold()));
            }
            slices.add(new Report.Slice(stem, stem + "-input.png", dice == null ? null : stem + "-label.png", stem + "-mask.png",
                    dice == null ? null : stem + "-errors.png", dice));
            report.append('\n');
        }
        if (r.outputs().get(r.outputs().size() - 1).fields().get(sofField + 2).testBit(0)) {
            mismatch = mismatch == null ? "the design flagged a framing error on its input" : mismatch;
            report.append("framing error: the design saw sof/eol marks that disagree with the pixel count\n");
        }
        for (int l = 0; l < skips; l++) {
            JsonNode buf = manifest.get("skipBuffers").get(l);
            report.append(String.format("skip buffer %d: max occupancy %d of capacity %d beats (depth %d asked by the analysis)%n",
                    l, r.outputs().get(r.outputs().size() - 1).fields().get(2 + l).longValue(), buf.get("capacityBeats").asLong(),
                    buf.get("depthBeats").asInt()));
        }
        if (layers) {
            report.append(checkLayers(net, frames.get(0), outDir, o));
            mismatch = mismatch == null && report.indexOf("layer mismatch") >= 0 ? "see the layer check" : mismatch;
        }
        o.print(report);
        Files.writeString(outDir.resolve("simulate-report.md"), "# unetq simulate " + dir + "\n\n```\n" + report + "```\n",
                StandardCharsets.UTF_8);
        String command = "unetq " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Report page = SimulationReport.of(DesignFolder.open(dir), net, mismatch == null, mismatch == null ? null
                : mismatches + " mismatches; first: " + mismatch, String.format("%d cycles per frame (steady state, second "
                + "frame; slowest node %d): %.2f frames/s at %.0f MHz", frame, bound, clock * 1e6 / frame, clock), slices,
                List.of(new Report.Command(command, report.toString())));
        Files.write(outDir.resolve(HtmlReport.DATA), HtmlReport.json(page));
        Files.writeString(outDir.resolve(HtmlReport.PAGE), HtmlReport.html(page), StandardCharsets.UTF_8);
        folder.publish();
        o.printf("wrote masks, overlays, simulate-report.md and %s in %s%n", HtmlReport.PAGE, out);
        return mismatch == null ? 0 : 1;
    }

    /** Per-layer runs: each conv block of the design (same folding) against its golden input and output. */
    private String checkLayers(QuantizedUNet net, IntTensor image, Path outDir, PrintWriter o) {
        unetq.hw.graph.UNetAccelerator acc = DesignFolder.open(dir).accelerator(net);
        QuantizedUNet.Result golden = net.forward(image);
        VerilatorBuild build = VerilatorBuild.defaultCache(line -> { });
        StringBuilder sb = new StringBuilder();
        for (java.util.Map.Entry<String, unetq.hw.block.ConvLayer> e : acc.convBlocks().entrySet()) {
            Path layerDir = outDir.resolve("layers").resolve(e.getKey());
            Path exe = unetq.sim.ConvLayerCosim.prepare(e.getValue(), layerDir, build);
            unetq.sim.ConvLayerCosim.Report r = unetq.sim.ConvLayerCosim.run(e.getValue(), exe, layerDir,
                    List.of(golden.inputs().get(e.getKey())), unetq.sim.StreamRun.Options.noStalls());
            String line = String.format("layer %-6s %9d values, %s%n", e.getKey(), r.valuesCompared(),
                    r.bitExact() ? "0 mismatches" : "layer mismatch: " + r.mismatches() + ", first " + r.firstMismatch());
            o.print(line);
            o.flush();
            sb.append(line);
        }
        return sb.toString();
    }

    /** As the dataset readers take images: grey, or RGB whose channels agree (the pancreas JPEGs). */
    private static GreyImage read(Path file, String flag) {
        try {
            return GreyImage.read(file, true);
        } catch (IOException e) {
            throw new UsageError(flag + ": " + e.getMessage());
        }
    }

    /** The centred h x w crop; refuses images smaller than the design. */
    static IntTensor crop(GreyImage img, int h, int w, String flag) {
        if (img.height() < h || img.width() < w) {
            throw new UsageError(flag + " is " + img.height() + "x" + img.width() + ", smaller than the design's " + h + "x" + w);
        }
        return img.crop((img.height() - h) / 2, (img.width() - w) / 2, h, w);
    }

    private static void writeOverlay(Path file, IntTensor img, boolean[][] mask) throws IOException {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int g = (int) img.get(0, y, x);
                int r = mask[y][x] ? (g + 255) / 2 : g;
                int gb = mask[y][x] ? g / 2 : g;
                b.setRGB(x, y, (r << 16) | (gb << 8) | (mask[y][x] ? g / 2 : g));
            }
        }
        ImageIO.write(b, "png", file.toFile());
    }
}
