package unetq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.RandomLayers;
import unetq.golden.UNetTopology;
import unetq.hw.block.Concat;
import unetq.hw.design.DesignWriter;
import unetq.hw.cost.Device;
import unetq.hw.schedule.Folding;
import unetq.hw.block.FrameMarks;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.MaxPool2x2;
import unetq.hw.cost.Resources;
import unetq.hw.block.SkipFifo;
import unetq.hw.block.StreamFork;
import unetq.hw.graph.UNetAccelerator;
import unetq.hw.block.UpsampleBilinear2x;
import unetq.sim.Synthesis;
import unetq.sim.Tools;

/** {@code unetq sweep}: long measurements that write tables under docs/ (not tests). */
@Command(name = "sweep", mixinStandardHelpOptions = true, subcommands = {SweepCommand.Estimates.class},
        description = "Long measurements that write tables (see the subcommands).")
final class SweepCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a sweep: estimates");
    }

    /** The estimate against Yosys over single blocks and whole networks, xc7 and iCE40. */
    @Command(name = "estimates", mixinStandardHelpOptions = true,
            description = "Estimate vs Yosys synthesis over blocks and whole networks (W/A 2..8, several foldings, xc7 and "
                    + "iCE40); writes a markdown table with the median and maximum error.",
            footer = {"", "Example:", "  unetq sweep estimates --out docs/estimation.md --force    (about 30 minutes on 2 cores; Yosys results are "
                    + "cached by design content under --work, so a rerun after a model change takes seconds)"})
    static final class Estimates implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--out", defaultValue = "docs/estimation.md", description = "Markdown file to write (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--work", defaultValue = "target/estimate-sweep", description = "Scratch folder for the designs.")
        Path work;

        @Option(names = "--force", description = "Replace an existing --out.")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        record Config(String id, Device.Family family, Supplier<HardwareBlock> block) {
        }

        record Row(Config config, Resources estimate, Resources synthesis, double seconds) {
        }

        static List<Config> configs() {
            List<Config> c = new ArrayList<>();
            // conv layers: cin, cout, wbits, abits, width, PE, SIMD (the first layer reads UQ0.8 pixels)
            int[][] convs = {{1, 16, 8, 8, 200, 1, 1}, {16, 16, 4, 6, 200, 2, 16}, {16, 32, 4, 6, 100, 4, 8},
                {32, 32, 2, 4, 100, 4, 16}, {64, 64, 4, 6, 25, 8, 16}, {48, 16, 4, 6, 200, 4, 48}, {8, 8, 8, 8, 32, 2, 8},
                {8, 16, 4, 6, 32, 4, 8}, {4, 4, 2, 2, 16, 1, 4}, {16, 16, 6, 6, 64, 2, 8}, {32, 16, 3, 5, 50, 1, 8},
                {8, 8, 2, 8, 32, 8, 8}};
            for (int[] k : convs) {
                String id = String.format("conv %d->%d W%dA%d %dpx PE%d SIMD%d", k[0], k[1], k[2], k[3], k[4], k[5], k[6]);
                c.add(new Config(id, Device.Family.XC7, () -> conv(k)));
            }
            c.add(new Config("maxpool 16ch by 2 x 7b, 200 wide", Device.Family.XC7, () -> new MaxPool2x2("sw_mp1", 16, 2, 7, 8, 200)));
            c.add(new Config("maxpool 64ch by 8 x 7b, 50 wide", Device.Family.XC7, () -> new MaxPool2x2("sw_mp2", 64, 8, 7, 8, 50)));
            c.add(new Config("maxpool 8ch by 8 x 3b, 32 wide", Device.Family.XC7, () -> new MaxPool2x2("sw_mp3", 8, 8, 3, 8, 32)));
            c.add(new Config("upsample 64ch by 8 x 7b, 25 wide", Device.Family.XC7,
                    () -> new UpsampleBilinear2x("sw_up1", 64, 8, 7, 4, 25, 11)));
            c.add(new Config("upsample 32ch by 4 x 7b, 100 wide", Device.Family.XC7,
                    () -> new UpsampleBilinear2x("sw_up2", 32, 4, 7, 4, 100, 11)));
            c.add(new Config("upsample 16ch by 16 x 5b, 32 wide", Device.Family.XC7,
                    () -> new UpsampleBilinear2x("sw_up3", 16, 16, 5, 4, 32, 9)));
            c.add(new Config("skip FIFO 2610 x 192b", Device.Family.XC7, () -> new SkipFifo("sw_fifo1", 192, 2610)));
            c.add(new Config("skip FIFO 376 x 384b", Device.Family.XC7, () -> new SkipFifo("sw_fifo2", 384, 376)));
            c.add(new Config("skip FIFO 138 x 40b", Device.Family.XC7, () -> new SkipFifo("sw_fifo3", 40, 138)));
            c.add(new Config("fork 112b", Device.Family.XC7, () -> new StreamFork("sw_fork", 112)));
            c.add(new Config("concat 32 x Q8.4 + 16 x Q6.0 by 8", Device.Family.XC7,
                    () -> new Concat("sw_cat", 32, QFormat.parse("Q8.4"), 16, QFormat.activations(6), 8)));
            c.add(new Config("frame marks 200x200", Device.Family.XC7, () -> new FrameMarks("sw_marks", 200, 200)));
            // whole networks take Yosys about 10 minutes each: the tiny preset at 16x16
            for (int[] wa : new int[][] {{2, 4}, {4, 6}}) {
                c.add(new Config(String.format("tiny U-Net W%dA%d 16x16", wa[0], wa[1]), Device.Family.XC7, () -> net(wa, 16, 8192)));
            }
            c.add(new Config("conv 8->8 W4A6 32px PE1 SIMD9", Device.Family.ICE40, () -> conv(new int[] {8, 8, 4, 6, 32, 1, 9})));
            c.add(new Config("conv 4->4 W2A2 16px PE1 SIMD36", Device.Family.ICE40, () -> conv(convs[8])));
            c.add(new Config("maxpool 8ch by 8 x 3b, 32 wide", Device.Family.ICE40, () -> new MaxPool2x2("sw_mp4", 8, 8, 3, 8, 32)));
            c.add(new Config("upsample 16ch by 4 x 5b, 32 wide", Device.Family.ICE40,
                    () -> new UpsampleBilinear2x("sw_up4", 16, 4, 5, 4, 32, 9)));
            c.add(new Config("tiny U-Net W8A8 16x16", Device.Family.ICE40, () -> net(new int[] {8, 8}, 16, 8192)));
            return c;
        }

        private static HardwareBlock conv(int[] k) {
            Random rnd = new Random(Arrays.hashCode(k));
            QFormat wf = QFormat.weights(k[2]);
            QFormat in = k[0] == 1 ? QuantizedUNet.IMAGE_FORMAT : QFormat.activations(k[3]);
            unetq.golden.ConvLayer l = RandomLayers.conv(rnd, "sweep", k[0], k[1], 3, wf, in, QFormat.activations(k[3]), true);
            String name = String.format("sw_conv_%d_%d_w%da%d_%d_p%ds%d", k[0], k[1], k[2], k[3], k[4], k[5], k[6]);
            return new unetq.hw.block.ConvLayer(name, l, 8, k[4], new Folding(k[5], k[6]));
        }

        private static HardwareBlock net(int[] wa, int size, long target) {
            QuantizedUNet n = QuantizedUNet.random(UNetTopology.preset("tiny"), QFormat.weights(wa[0]), QFormat.activations(wa[1]), 7);
            return new UNetAccelerator("sw_unet_w" + wa[0] + "a" + wa[1], n, size, size, UNetAccelerator.foldingsFor(n, size, size, target));
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            unetq.files.OutputFile table;
            try {
                table = unetq.files.OutputFile.claim(out, force, "--out");
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
            Tools.require(unetq.sim.Tool.YOSYS);
            List<Config> configs = configs();
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Row>> futures = new ArrayList<>();
            int[] done = {0};
            for (Config cfg : configs) {
                futures.add(pool.submit(() -> {
                    HardwareBlock b = cfg.block().get();
                    Path dir = work.resolve(cfg.family().name().toLowerCase() + "-" + b.name());
                    Files.createDirectories(work);
                    java.util.Map<String, String> files = DesignWriter.files(b);
                    Path cached = work.resolve("yosys-" + cfg.family().name().toLowerCase() + "-" + b.name() + "-" + hash(files, Synthesis.flow(cfg.family(), true, b.name())) + ".txt");
                    Resources syn;
                    double seconds;
                    if (Files.isRegularFile(cached)) { // same Verilog, same flow, same Yosys: the same numbers
                        long[] v = Arrays.stream(Files.readString(cached).trim().split(" ")).mapToLong(Long::parseLong).toArray();
                        syn = new Resources(v[0], v[1], v[2], v[3], v[4]);
                        seconds = v[5] / 1000.0;
                    } else {
                        DesignWriter.write(dir, files, true);
                        long t0 = System.nanoTime();
                        syn = Synthesis.run(dir, b.name(), cfg.family()).total(b.name());
                        seconds = (System.nanoTime() - t0) / 1e9;
                        Files.writeString(cached, String.format("%d %d %d %d %d %d%n", syn.luts(), syn.ffs(), syn.bram18(), syn.lutram(),
                                syn.dsps(), Math.round(seconds * 1000)));
                    }
                    Row r = new Row(cfg, b.resources(cfg.family()), syn, seconds);
                    synchronized (done) {
                        done[0]++;
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        o.printf("[%2d/%d] %-40s %-5s LUT %6d est %6d, FF %6d est %6d (%.0f s; ETA %s)%n", done[0], configs.size(),
                                cfg.id(), cfg.family(), syn.luts(), r.estimate().luts(), syn.ffs(), r.estimate().ffs(), r.seconds(),
                                Progress.duration(elapsed * (configs.size() - done[0]) / done[0]));
                        o.flush();
                    }
                    return r;
                }));
            }
            List<Row> rows = new ArrayList<>();
            for (Future<Row> f : futures) {
                rows.add(f.get());
            }
            pool.shutdown();
            table.writeString(markdown(rows));
            o.print(summary(rows));
            o.printf("wrote %s%n", out);
            return 0;
        }

        /** Content hash of a design's files: the synthesis cache key. */
        /** Key of a Yosys result: the design's files and the synthesis flow that ran on them. */
        static String hash(java.util.Map<String, String> files, String flow) throws java.security.NoSuchAlgorithmException {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(flow.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(files).entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(md.digest(), 0, 8);
        }

        static double err(long est, long syn) {
            return syn == 0 ? (est == 0 ? 0 : 100) : 100.0 * (est - syn) / syn;
        }

        static String summary(List<Row> rows) {
            StringBuilder sb = new StringBuilder();
            for (Device.Family f : Device.Family.values()) {
                List<Row> fr = rows.stream().filter(r -> r.config().family() == f).toList();
                if (fr.isEmpty()) {
                    continue;
                }
                double[] lut = fr.stream().mapToDouble(r -> Math.abs(err(r.estimate().luts() + r.estimate().lutram(),
                        r.synthesis().luts() + r.synthesis().lutram()))).sorted().toArray();
                double[] ff = fr.stream().mapToDouble(r -> Math.abs(err(r.estimate().ffs(), r.synthesis().ffs()))).sorted().toArray();
                long bramExact = fr.stream().filter(r -> r.estimate().bram18() == r.synthesis().bram18()).count();
                long dspExact = fr.stream().filter(r -> r.estimate().dsps() == r.synthesis().dsps()).count();
                sb.append(String.format("%s, %d configurations: LUT error median %.1f %%, max %.1f %%; FF error median %.1f %%, max %.1f %%;"
                                + " BRAM exact in %d, DSP exact in %d%n", f, fr.size(), median(lut), lut[lut.length - 1], median(ff),
                        ff[ff.length - 1], bramExact, dspExact));
            }
            return sb.toString();
        }

        private static double median(double[] sorted) {
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        static String markdown(List<Row> rows) {
            StringBuilder sb = new StringBuilder();
            sb.append("# Resource estimates against Yosys\n\n");
            sb.append("Written by `unetq sweep estimates --out docs/estimation.md --force` (").append(versionOf()).append(", ")
                    .append(java.time.LocalDate.now(java.time.ZoneOffset.UTC)).append("); nothing here is edited by hand.\n");
            sb.append("Estimate: `HardwareBlock.resources` (docs/hardware.md, `CostModel`): flip-flops and memories read off the\n"
                    + "syntax tree, memories mapped by `MemoryMapping`, logic LUTs by each block's fitted formula. Synthesis: Yosys\n"
                    + "`synth_xilinx -family xc7 -noiopad` or `synth_ice40 -dsp -noflatten`, hierarchy kept, `stat -json`. LUT = logic LUTs\n"
                    + "+ LUTs used as memory (LUTRAM); BRAM in 18-kbit units (RAMB36 = 2; iCE40: SB_RAM40_4K).\n"
                    + "The LUT coefficients were fitted on the first blocks of this list, so those rows are in-sample.\n\n");
            sb.append("```\n").append(summary(rows)).append("```\n\n");
            sb.append("| configuration | family | LUT est | LUT Yosys | err | FF est | FF Yosys | err | BRAM18 est / Yosys | DSP est / Yosys | synth s |\n");
            sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | :---: | ---: |\n");
            for (Row r : rows) {
                Resources e = r.estimate();
                Resources s = r.synthesis();
                long el = e.luts() + e.lutram();
                long sl = s.luts() + s.lutram();
                sb.append(String.format("| %s | %s | %d | %d | %+.1f %% | %d | %d | %+.1f %% | %d / %d | %d / %d | %.0f |%n",
                        r.config().id(), r.config().family(), el, sl, err(el, sl), e.ffs(), s.ffs(), err(e.ffs(), s.ffs()),
                        e.bram18(), s.bram18(), e.dsps(), s.dsps(), r.seconds()));
            }
            return sb.toString();
        }

        private static String versionOf() {
            try {
                return Tools.find(unetq.sim.Tool.YOSYS).map(t -> Tools.version(unetq.sim.Tool.YOSYS)).orElse("?");
            } catch (RuntimeException e) {
                return "?";
            }
        }
    }
}
