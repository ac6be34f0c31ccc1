package unetq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import unetq.hw.schedule.FoldingSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import unetq.files.OutputFolder;
import unetq.golden.ModelFile;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.hw.design.UNetDesign;

/** {@code unetq generate}: the streaming U-Net accelerator of a model (or {@code generate mac-array}). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate the accelerator RTL of a model: Verilog, .memh ROMs, Verilator harness, design.json, README.",
        subcommands = {MacArrayCommand.class},
        footer = {"", "Examples:",
                "  unetq generate --model models/em-compact-w4a6.unetq --size 200x200 --device xc7z020 --out rtl-out/em",
                "  unetq generate --model random:tiny --wbits 4 --abits 6 --size 64x64 --out rtl-out/tiny",
                "  unetq generate --model random:1-2 --wbits 2 --abits 2 --size 16x16 --device ice40hx8k --out rtl-out/ice40",
                "  unetq generate mac-array --wbits 4 --abits 6 --rows 4 --cols 4 --out rtl-out/mac"})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "M", description = "A .unetq model file, or random:PRESET (paper, compact, tiny, or channels per level such as 1-2 or 4-8-16).")
    String model;

    @CommandLine.Mixin
    BitOptions bits = new BitOptions();

    @Option(names = "--seed", defaultValue = "1", description = "Seed of a random:PRESET model (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "200x200", paramLabel = "HxW", description = "Image size (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--clock-mhz", defaultValue = "100", description = "Target clock (default ${DEFAULT-VALUE} MHz).")
    double clockMhz;

    @Option(names = "--fps", description = "Target frames per second: the cheapest folding that meets it on --device "
            + "(without --fps: the fastest that fits --device or --lut-budget; 10 frames/s with --device none).")
    Double fps;

    @Option(names = "--lut-budget", paramLabel = "N", description = "Fastest folding whose LUT estimate (logic + LUTRAM) is at most N.")
    Long lutBudget;

    @Option(names = "--device", paramLabel = "D", defaultValue = Devices.DEFAULT, description = "The fastest design whose "
            + "estimate fits the device (LUT, FF, BRAM, DSP; per layer PE x SIMD, products packed in DSPs or in LUTs, requantizer "
            + "products in DSPs or LUTs, memories placed); with --fps, the cheapest that reaches it on the device. One of: "
            + Devices.LIST + "; or none (no device limit). Default ${DEFAULT-VALUE}, recorded in design.json for estimate.")
    String device;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (new or empty).")
    Path out;

    @Option(names = "--force", description = "Replace the output folder if it is not empty (only a folder unetq wrote).")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Largest image side generate accepts: skip buffers and ROMs grow with it, and 2048 covers CT and MRI slices. */
    static final int MAX_SIDE = 2048;
    static final double MAX_CLOCK_MHZ = 1000;

    @Override
    public Integer call() throws Exception {
        if (model == null) {
            throw new UsageError("missing --model (or choose: generate mac-array)");
        }
        if (out == null) {
            throw new UsageError("missing --out");
        }
        boolean random = model.startsWith("random:");
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (!random) {
            for (String flag : new String[] {"--wbits", "--abits", "--weights", "--activations", "--seed"}) {
                if (parsed.hasMatchedOption(flag)) {
                    throw new UsageError(flag + " applies to --model random:PRESET only: " + model + " sets its own formats and weights");
                }
            }
        }
        int[] hw = parseSize(size);
        Checks.positive("--clock-mhz", clockMhz, MAX_CLOCK_MHZ);
        if (fps != null && lutBudget != null) {
            throw new UsageError("choose one of --fps and --lut-budget");
        }
        if (fps != null) {
            Checks.positive("--fps", fps);
        }
        if (lutBudget != null) {
            Checks.range("--lut-budget", lutBudget, 1, Long.MAX_VALUE);
        }
        unetq.hw.cost.Device dev = device.equals("none") ? null : Devices.byId(device);
        QFormat wf = random ? bits.weightFormat() : null;
        QFormat af = random ? bits.activationFormat() : null;
        OutputFolder folder = claimOut();
        try (folder) {
            QuantizedUNet net;
            byte[] modelBytes;
            if (random) {
                UNetTopology topo;
                try {
                    topo = UNetTopology.preset(model.substring("random:".length()));
                } catch (IllegalArgumentException e) {
                    throw new UsageError("--model: " + e.getMessage());
                }
                net = QuantizedUNet.random(topo, wf, af, seed);
                // an ordered map: Map.of iterates in a per-JVM order, so model.unetq differed from run to run
                Map<String, String> prov = new java.util.LinkedHashMap<>();
                prov.put("dataset", "random");
                prov.put("seed", Long.toString(seed));
                modelBytes = ModelFile.encode(new ModelFile.Model(net, prov));
            } else {
                try {
                    modelBytes = Files.readAllBytes(Path.of(model));
                    net = ModelFile.decode(modelBytes).net();
                } catch (IOException e) {
                    throw new UsageError("--model " + model + ": cannot read: " + e.getMessage());
                } catch (IllegalArgumentException e) {
                    throw new UsageError("--model " + model + ": " + e.getMessage());
                }
            }
            try {
                net.topology().requireSize(hw[0], hw[1]);
            } catch (IllegalArgumentException e) {
                throw new UsageError("--size: " + e.getMessage());
            }
            PrintWriter o = spec.commandLine().getOut();
            UNetDesign design;
            String choice;
            FoldingSearch.Budget budget = dev == null ? FoldingSearch.Budget.unlimited() : FoldingSearch.Budget.of(dev);
            if (lutBudget != null) {
                budget = budget.withLuts(lutBudget);
            }
            FoldingSearch.Choice c;
            if (lutBudget != null || (dev != null && fps == null)) {
                o.printf("searching the fastest folding that fits %s ...%n", budget);
                o.flush();
                try {
                    c = FoldingSearch.fastest(net, hw[0], hw[1], budget);
                } catch (FoldingSearch.NothingFits e) {
                    throw new IllegalStateException("nothing fits " + budget + ": the closest design needs "
                            + describe(e.closest().estimate()) + (dev == null ? "" : " (" + dev.overflow(e.closest().estimate()) + ")"));
                }
                choice = "  folding: the fastest whose estimate fits " + budget;
            } else {
                double target = fps == null ? 10 : fps;
                c = FoldingSearch.at(net, hw[0], hw[1], (long) Math.floor(clockMhz * 1e6 / target), budget);
                if (clockMhz * 1e6 / c.boundCyclesPerFrame() < target) {
                    throw new UsageError(String.format("--fps %s is out of reach: the fastest folding of this network reaches "
                            + "%.2f frames/s at %s MHz (raise --clock-mhz or lower --fps)", target,
                            clockMhz * 1e6 / c.boundCyclesPerFrame(), clockMhz));
                }
                choice = String.format("  folding: the cheapest that reaches %.2f frames/s at %.0f MHz%s", target, clockMhz,
                        dev == null ? "" : " on " + budget);
            }
            design = new UNetDesign(net, model, hw[0], hw[1], clockMhz, c.foldings(), c.placement());
            if (dev != null) {
                design = design.forDevice(dev);
            }
            Map<String, String> files = design.files();
            folder.write(files);
            Files.write(folder.staging().resolve(UNetDesign.MODEL_FILE), modelBytes);
            folder.publish();
            o.printf("%s %s -> %s (%d files)%n", net.topology(), model, out, files.size() + 1);
            o.printf("  weights %s, activations %s%n", net.weightFormat().describe(), net.activationFormat().describe());
            design.accelerator().convBlocks().forEach((name, b) -> o.printf("  %-6s PE %3d SIMD %4d  %10d cycles/frame  products %s%s%n",
                    name, b.folding().pe(), b.folding().simd(), b.cyclesPerFrame(), b.mac().form(),
                    b.folding().requantInLuts() ? ", requantizer product in LUTs" : ""));
            o.printf("  memories placed: %s%n", design.accelerator().placement());
            long memBits = design.accelerator().memories().stream().mapToLong(unetq.hw.block.Memory::bits).sum();
            long skipBits = design.accelerator().memories().stream().filter(mm -> mm.name().contains("_skip"))
                    .mapToLong(unetq.hw.block.Memory::bits).sum();
            o.printf("  memories: %d, %.1f kbit (skip buffers %.1f kbit); %d multipliers%n",
                    design.accelerator().memories().size(), memBits / 1000.0, skipBits / 1000.0, design.accelerator().multipliers());
            unetq.hw.cost.Resources xc7 = design.accelerator().resources(unetq.hw.cost.Device.Family.XC7);
            o.printf("  estimate (7-series): %d LUT + %d LUTRAM, %d FF, %d BRAM18, %d DSP48 - per block and device fill: unetq estimate %s%n",
                    xc7.luts(), xc7.lutram(), xc7.ffs(), xc7.bram18(), xc7.dsps(), out);
            o.println(choice);
            o.printf("  slowest layer %d cycles per frame: %.2f frames/s at %.0f MHz%n",
                    design.accelerator().boundCyclesPerFrame(), design.fps(), clockMhz);
            if (dev != null) {
                String over = dev.overflow(dev.estimate(design.accelerator()));
                o.println(over.isEmpty() ? "  fits " + dev.id() : "  WARNING: does not fit " + dev.id() + ": " + over);
            }
            return 0;
        }
    }

    private OutputFolder claimOut() {
        return Checks.outputFolder(out, force, "--out");
    }

    private static String describe(unetq.hw.cost.Resources r) {
        return r.luts() + " LUT + " + r.lutram() + " LUTRAM, " + r.ffs() + " FF, " + r.bram18() + " BRAM18, " + r.dsps() + " DSP";
    }

    static int[] parseSize(String s) {
        if (!s.matches("\\d{1,5}x\\d{1,5}")) {
            throw new UsageError("--size must look like 200x200 (height x width), got " + s);
        }
        String[] p = s.split("x");
        int[] hw = {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
        if (hw[0] < 1 || hw[1] < 1 || hw[0] > MAX_SIDE || hw[1] > MAX_SIDE) {
            throw new UsageError("--size sides must be between 1 and " + MAX_SIDE + ", got " + s);
        }
        return hw;
    }
}
