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
import unetq.hw.block.WidthAdapter;
import unetq.sim.Synthesis;
import unetq.sim.Tools;

/** {@code unetq sweep}: long measurements that write tables under docs/ (not tests). */
@Command(name = "sweep", mixinStandardHelpOptions = true, subcommands = {SweepBitsCommand.class, SweepCommand.Estimates.class, SweepCommand.Macs.class, SweepCommand.Soak.class, SweepCommand.Golden.class},
        description = "Long measurements that write tables (see the subcommands).")
final class SweepCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a sweep: estimates, macs, soak");
    }

    /** The estimate against Yosys over single blocks and whole networks, xc7 and iCE40. */
    @Command(name = "estimates", mixinStandardHelpOptions = true,
            description = "Estimate vs Yosys synthesis over blocks and whole networks (W/A 2..8, several foldings, xc7 and "
                    + "iCE40); writes a markdown table with the median and maximum error.",
            footer = {"", "About 30 minutes on 2 cores; Yosys results are cached by design content under --work, so a rerun "
                    + "after a cost-model change takes seconds.", "", "Example:", "  unetq sweep estimates --out docs/estimation.md --force"})
    static final class Estimates implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--out", defaultValue = "${sys:unetq.root:-.}/docs/estimation.md", description = "Markdown file to write (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--work", defaultValue = "${sys:unetq.root:-.}/target/estimate-sweep", description = "Scratch folder for the designs.")
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
            // conv layers: cin, cout, wbits, abits, width, PE, SIMD, form (0 packed, 1 one per DSP, 2 LUT), requantizer in
            // LUTs, memory placement (0: the tool decides, else LUTs a RAMB18 is worth); the first layer reads UQ0.8 pixels,
            // a 12-bit input (Q6.4) is a decoder's concat
            int[][] convs = {{1, 16, 8, 8, 200, 2, 1, 0, 0, 0}, {16, 16, 4, 6, 200, 4, 8, 0, 0, 0}, {16, 16, 4, 6, 200, 4, 8, 2, 0, 0},
                {32, 32, 2, 4, 100, 4, 16, 0, 0, 0}, {64, 64, 4, 6, 50, 8, 8, 0, 1, 190}, {48, 16, 4, 12, 200, 16, 6, 0, 0, 190},
                {64, 64, 4, 6, 25, 1, 64, 2, 0, 190}, {8, 8, 8, 8, 32, 2, 8, 1, 0, 0}, {16, 16, 6, 6, 64, 2, 8, 0, 0, 0},
                {32, 16, 3, 5, 50, 1, 8, 2, 1, 0}, {8, 8, 2, 8, 32, 8, 8, 0, 0, 0}, {128, 64, 4, 12, 50, 8, 8, 0, 0, 218}};
            for (int[] k : convs) {
                c.add(new Config(convId(k), Device.Family.XC7, () -> conv(k)));
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
            c.add(new Config("skip FIFO 100775 x 14b", Device.Family.XC7, () -> new SkipFifo("sw_fifo1", 14, 100775)));
            c.add(new Config("skip FIFO 23432 x 7b", Device.Family.XC7, () -> new SkipFifo("sw_fifo2", 7, 23432)));
            c.add(new Config("skip FIFO 138 x 40b", Device.Family.XC7, () -> new SkipFifo("sw_fifo3", 40, 138)));
            c.add(new Config("adapter 2 -> 8 codes of 7b", Device.Family.XC7, () -> new WidthAdapter("sw_ad1", 2, 8, 7)));
            c.add(new Config("adapter 16 -> 4 codes of 12b", Device.Family.XC7, () -> new WidthAdapter("sw_ad2", 16, 4, 12)));
            c.add(new Config("adapter 4 -> 6 codes of 12b", Device.Family.XC7, () -> new WidthAdapter("sw_ad3", 4, 6, 12)));
            c.add(new Config("fork 112b", Device.Family.XC7, () -> new StreamFork("sw_fork", 112)));
            c.add(new Config("concat 32 x Q6.4 + 16 x Q6.0 by 8", Device.Family.XC7,
                    () -> new Concat("sw_cat", 32, QFormat.parse("Q6.4"), 16, QFormat.activations(6), 8)));
            c.add(new Config("frame marks 200x200", Device.Family.XC7, () -> new FrameMarks("sw_marks", 200, 200)));
            // whole networks, hierarchy kept (shared modules synthesised once)
            c.add(new Config("tiny U-Net W2A4 16x16, cheapest at 8192 cycles", Device.Family.XC7,
                    () -> net(new int[] {2, 4}, 16, 8192, null)));
            c.add(new Config("tiny U-Net W4A6 32x32, fastest on xc7a35t", Device.Family.XC7,
                    () -> net(new int[] {4, 6}, 32, 0, Device.XC7A35T)));
            c.add(new Config("tiny U-Net W8A8 32x32, fastest on xc7z020", Device.Family.XC7,
                    () -> net(new int[] {8, 8}, 32, 0, Device.XC7Z020)));
            c.add(new Config("conv 8->8 W4A6 32px PE1 SIMD8 LUT", Device.Family.ICE40,
                    () -> conv(new int[] {8, 8, 4, 6, 32, 1, 8, 2, 0, 0})));
            c.add(new Config("conv 4->4 W2A2 16px PE1 SIMD4", Device.Family.ICE40, () -> conv(new int[] {4, 4, 2, 2, 16, 1, 4, 0, 0, 0})));
            c.add(new Config("maxpool 8ch by 8 x 3b, 32 wide", Device.Family.ICE40, () -> new MaxPool2x2("sw_mp4", 8, 8, 3, 8, 32)));
            c.add(new Config("upsample 16ch by 4 x 5b, 32 wide", Device.Family.ICE40,
                    () -> new UpsampleBilinear2x("sw_up4", 16, 4, 5, 4, 32, 9)));
            c.add(new Config("tiny U-Net W8A8 16x16, cheapest at 8192 cycles", Device.Family.ICE40,
                    () -> net(new int[] {8, 8}, 16, 8192, null)));
            return c;
        }

        private static String convId(int[] k) {
            String form = k[7] == 0 ? "packed" : k[7] == 1 ? "DSP" : "LUT";
            return String.format("conv %d->%d W%dA%d %dpx PE%d SIMD%d %s%s%s", k[0], k[1], k[2], k[3], k[4], k[5], k[6], form,
                    k[8] == 1 ? ", requant LUT" : "", k[9] == 0 ? "" : ", placed at " + k[9]);
        }

        private static HardwareBlock conv(int[] k) {
            Random rnd = new Random(Arrays.hashCode(k));
            QFormat wf = QFormat.weights(k[2]);
            QFormat in = k[0] == 1 ? QuantizedUNet.IMAGE_FORMAT : k[3] == 12 ? QFormat.parse("Q6.4") : QFormat.activations(k[3]);
            QFormat out = QFormat.activations(k[3] == 12 ? 6 : k[3]);
            unetq.golden.ConvLayer l = RandomLayers.conv(rnd, "sweep", k[0], k[1], 3, wf, in, out, true);
            String name = String.format("sw_conv_%d_%d_w%da%d_%d_p%ds%d_f%d%s%s", k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7],
                    k[8] == 1 ? "_rql" : "", k[9] == 0 ? "" : "_m" + k[9]);
            Folding f = new Folding(k[5], k[6]).withMac(k[7] == 0 ? unetq.hw.block.MacForm.Kind.PACKED
                    : k[7] == 1 ? unetq.hw.block.MacForm.Kind.DSP : unetq.hw.block.MacForm.Kind.LUT);
            HardwareBlock b = new unetq.hw.block.ConvLayer(name, l, 8, k[4], k[8] == 1 ? f.withRequantInLuts() : f);
            return k[9] == 0 ? b : new unetq.hw.cost.MemoryPlacement(k[9]).place(b);
        }

        private static HardwareBlock net(int[] wa, int size, long target, Device device) {
            QuantizedUNet n = QuantizedUNet.random(UNetTopology.preset("tiny"), QFormat.weights(wa[0]), QFormat.activations(wa[1]), 7);
            String name = "sw_unet_w" + wa[0] + "a" + wa[1] + "_" + size + (device == null ? "" : "_" + device.id());
            if (device == null) {
                return new UNetAccelerator(name, n, size, size, UNetAccelerator.foldingsFor(n, size, size, target));
            }
            unetq.hw.schedule.FoldingSearch.Choice ch = unetq.hw.schedule.FoldingSearch.fastest(n, size, size,
                    unetq.hw.schedule.FoldingSearch.Budget.of(device));
            return new UNetAccelerator(name, n, size, size, ch.foldings(), ch.placement());
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            unetq.files.OutputFile table = Checks.outputFile(out, force, "--out");
            Tools.require(unetq.sim.Tool.YOSYS);
            List<Row> rows = measure(configs(), work, o);
            table.writeString(markdown(rows));
            o.print(summary(rows));
            o.printf("wrote %s%n", out);
            return 0;
        }

        /** Estimates and Yosys-synthesises each configuration (two at a time, cached by design content), printing progress. */
        static List<Row> measure(List<Config> configs, Path work, PrintWriter o) throws Exception {
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
            return rows;
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

    /** LUTs, flip-flops and DSPs per MAC lane from Yosys, W 2/4/8 x A 2/4/6/8, in each product form. */
    @Command(name = "macs", mixinStandardHelpOptions = true,
            description = "Yosys cost of a MAC lane (one product a cycle, with its share of the adder tree and accumulator) for "
                    + "W 2/4/8 x A 2/4/6/8 in LUT, one-per-DSP and packed form; rewrites the marked table in --doc.",
            footer = {"", "About 10 minutes on 2 cores; cached under --work.", "", "Example:", "  unetq sweep macs --doc docs/hardware.md"})
    static final class Macs implements java.util.concurrent.Callable<Integer> {
        static final String BEGIN = "<!-- unetq sweep macs: begin -->";
        static final String END = "<!-- unetq sweep macs: end -->";
        static final int ROWS = 4;
        static final int COLS = 8;

        @Option(names = "--doc", defaultValue = "${sys:unetq.root:-.}/docs/hardware.md", description = "Markdown file whose table between the markers "
                + BEGIN + " and " + END + " is replaced (default ${DEFAULT-VALUE}).")
        Path doc;

        @Option(names = "--work", defaultValue = "${sys:unetq.root:-.}/target/estimate-sweep", description = "Scratch folder for the designs.")
        Path work;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        static List<Estimates.Config> configs() {
            List<Estimates.Config> c = new ArrayList<>();
            for (int w : new int[] {2, 4, 8}) {
                for (int a : new int[] {2, 4, 6, 8}) {
                    for (unetq.hw.block.MacForm.Kind k : unetq.hw.block.MacForm.Kind.values()) {
                        c.add(new Estimates.Config(String.format("W%d A%d %s", w, a, k), Device.Family.XC7, () -> mac(w, a, k)));
                    }
                }
            }
            return c;
        }

        /** A 4 x 8 array of the paper's formats that sums 36 beats (a 3x3 window of 32 channels) per output. */
        static unetq.hw.block.MacArray mac(int w, int a, unetq.hw.block.MacForm.Kind k) {
            return unetq.hw.block.MacArray.forFormats("sw_mac_w" + w + "a" + a + "_" + k.name().toLowerCase(), ROWS, COLS,
                    QFormat.activations(a), QFormat.weights(w), 36, k);
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            String text;
            try {
                text = Files.readString(doc);
            } catch (IOException e) {
                throw new UsageError("--doc " + doc + ": cannot read: " + e.getMessage());
            }
            int b = text.indexOf(BEGIN);
            int e = text.indexOf(END);
            if (b < 0 || e < b) {
                throw new UsageError("--doc " + doc + " has no table markers " + BEGIN + " ... " + END);
            }
            unetq.files.OutputFile file = Checks.outputFile(doc, true, "--doc");
            Tools.require(unetq.sim.Tool.YOSYS);
            List<Estimates.Row> rows = Estimates.measure(configs(), work, o);
            String table = table(rows);
            file.writeString(text.substring(0, b + BEGIN.length()) + "\n" + table + text.substring(e));
            o.print(table);
            o.printf("wrote the table in %s%n", doc);
            return 0;
        }

        static String table(List<Estimates.Row> rows) {
            StringBuilder sb = new StringBuilder();
            sb.append("Per lane of a ").append(ROWS).append(" x ").append(COLS).append(" `MacArray` (`unetq sweep macs`, ")
                    .append(Estimates.versionOf()).append(" `synth_xilinx -family xc7`, hierarchy kept): LUT, FF and DSP48E1 of the")
                    .append(" whole array over its ").append(ROWS * COLS).append(" lanes, so each lane carries its share of the adder")
                    .append(" tree, accumulator and output register. W = weights Q0.W, A = activations QA.0 (hardware bits in")
                    .append(" brackets); the estimate's LUTs per lane beside Yosys's.\n\n");
            sb.append("| W x A (bits) | LUT form: LUT | FF | est | DSP form: LUT | DSP | est | packed: per DSP | LUT | DSP | est |\n");
            sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: |\n");
            double lanes = ROWS * COLS;
            for (int i = 0; i < rows.size(); i += 3) {
                Estimates.Row lut = rows.get(i);
                Estimates.Row dsp = rows.get(i + 1);
                Estimates.Row packed = rows.get(i + 2);
                String[] id = lut.config().id().split(" ");
                int w = Integer.parseInt(id[0].substring(1));
                int a = Integer.parseInt(id[1].substring(1));
                unetq.hw.block.MacArray pm = mac(w, a, unetq.hw.block.MacForm.Kind.PACKED);
                sb.append(String.format("| W%d x A%d (%d x %d) | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %s | %.1f | %.2f | %.1f |%n", w, a,
                        QFormat.weights(w).hardwareBits(), QFormat.activations(a).hardwareBits(),
                        perLane(lut.synthesis(), true) , lut.synthesis().ffs() / lanes, perLane(lut.estimate(), true),
                        perLane(dsp.synthesis(), true), dsp.synthesis().dsps() / lanes, perLane(dsp.estimate(), true),
                        pm.form(), perLane(packed.synthesis(), true), packed.synthesis().dsps() / lanes, perLane(packed.estimate(), true)));
            }
            return sb.toString();
        }

        private static double perLane(Resources r, boolean withLutram) {
            return (r.luts() + (withLutram ? r.lutram() : 0)) / (double) (ROWS * COLS);
        }
    }

    /** Constrained-random vectors with random stalls through every block kind, checked against the golden model. */
    @Command(name = "soak", mixinStandardHelpOptions = true,
            description = "Drives every block kind (MAC array, conv layer, max-pool, upsampler, fork + skip FIFO + concat, threshold) "
                    + "with constrained-random vectors, half of them under random stalls, over W 2..8 x A 2..8; writes a table of "
                    + "vectors and mismatches per kind.",
            footer = {"", "Example:", "  unetq sweep soak --vectors 1000000 --out docs/verification.md --force"})
    static final class Soak implements java.util.concurrent.Callable<Integer> {
        static final long MAX_VECTORS = 1_000_000_000L;

        @Option(names = "--vectors", defaultValue = "1000000", description = "Vectors per block kind (default ${DEFAULT-VALUE}).")
        long vectors;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the shapes, foldings and vectors (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", defaultValue = "${sys:unetq.root:-.}/docs/verification.md", description = "Markdown file to write (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--work", defaultValue = "${sys:unetq.root:-.}/target/soak", description = "Scratch folder for the designs.")
        Path work;

        @Option(names = "--force", description = "Replace an existing --out.")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Checks.range("--vectors", vectors, 1, MAX_VECTORS);
            unetq.files.OutputFile table = Checks.outputFile(out, force, "--out");
            Tools.require(unetq.sim.Tool.VERILATOR);
            PrintWriter o = spec.commandLine().getOut();
            unetq.sim.Soak soak = new unetq.sim.Soak(unetq.sim.VerilatorBuild.defaultCache(m -> { }), work, seed);
            List<unetq.sim.Soak.Result> results = new ArrayList<>();
            long start = System.nanoTime();
            List<String> kinds = unetq.sim.Soak.kinds();
            for (int k = 0; k < kinds.size(); k++) {
                int kindIndex = k;
                unetq.sim.Soak.Result r = soak.run(kinds.get(k), vectors, (kind, done, total) -> {
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double share = (kindIndex + (double) done / total) / kinds.size();
                    o.printf("[%s %d/%d] %.0f s, ETA %s%n", kind, done, total, elapsed,
                            Progress.duration(elapsed * (1 - share) / share));
                    o.flush();
                });
                results.add(r);
                o.printf("%s: %d configurations, %d vectors, %d mismatches%s (%.0f s)%n", r.kind(), r.configurations(), r.vectors(),
                        r.mismatches(), r.firstMismatch() == null ? "" : "; first: " + r.firstMismatch(), r.seconds());
            }
            table.writeString(markdown(results));
            o.printf("wrote %s%n", out);
            return results.stream().anyMatch(r -> r.mismatches() > 0) ? 1 : 0;
        }

        String markdown(List<unetq.sim.Soak.Result> results) {
            StringBuilder sb = new StringBuilder();
            sb.append("# Verification: the soak benchmark\n\n");
            sb.append("Written by `unetq sweep soak --vectors ").append(vectors).append(" --seed ").append(seed)
                    .append(" --out docs/verification.md --force` (").append(java.time.LocalDate.now(java.time.ZoneOffset.UTC))
                    .append("); nothing here is edited by hand.\n\n");
            sb.append("Every block kind, in Verilator, against the golden model (`unetq.sim.Soak`). A vector is one output value "
                    + "compared (a lane's sum, an output code, a mask bit). Configurations span weights Q0.2..Q0.8 and activations "
                    + "Q2.0..Q8.0 (W 2..8 x A 2..8; pools, upsamplers and junctions take the activation formats, the threshold the "
                    + "logit format), with shapes, channel groups, foldings (PE, SIMD), product forms (LUT, one per DSP, packed) and "
                    + "requantizer forms drawn from the seed. A tenth of the inputs sit at the formats' extremes; each configuration "
                    + "runs its vectors once without stalls and once with 30 % random stalls on input and output.\n\n");
            sb.append("| block kind | configurations | vectors | mismatches | first mismatch | seconds |\n");
            sb.append("| --- | ---: | ---: | ---: | --- | ---: |\n");
            for (unetq.sim.Soak.Result r : results) {
                sb.append(String.format("| %s | %d | %,d | %d | %s | %.0f |%n", r.kind(), r.configurations(), r.vectors(), r.mismatches(),
                        r.firstMismatch() == null ? "-" : r.firstMismatch(), r.seconds()));
            }
            return sb.toString();
        }
    }

    /** How fast the golden model runs: multiply-accumulates a second on one core and on all. */
    @Command(name = "golden", mixinStandardHelpOptions = true,
            description = "Times the golden model's forward pass (every conv, pool, upsampler and concat of the integer U-Net) on "
                    + "an image, on one thread and on --threads at once; prints and writes multiply-accumulates a second.",
            footer = {"", "Example:", "  unetq sweep golden --out docs/golden-speed.md --force"})
    static final class Golden implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--model", description = "Model file (default: the shipped models/em-compact-w4a6.unetq).")
        Path model;

        @Option(names = "--image", description = "Grey image (default: the shipped models/samples/em/20_28_28.png).")
        Path image;

        @Option(names = "--frames", defaultValue = "8", description = "Timed forward passes per thread (default ${DEFAULT-VALUE}).")
        int frames;

        @Option(names = "--threads", description = "Threads of the parallel run (default: the machine's cores).")
        Integer threads;

        @Option(names = "--out", defaultValue = "${sys:unetq.root:-.}/docs/golden-speed.md", description = "Markdown file to write (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--force", description = "Replace an existing --out.")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The command line as given (defaults left out), for the table's header. */
        private String command;

        record Run(int threads, long forwards, double seconds, long macs) {
            double gmacsPerSecond() {
                return macs / seconds / 1e9;
            }
        }

        @Override
        public Integer call() throws Exception {
            int cores = Runtime.getRuntime().availableProcessors();
            int t = threads == null ? cores : threads;
            Path root = Path.of(System.getProperty("unetq.root", "."));
            command = "unetq sweep golden" + (model == null ? "" : " --model " + model) + (image == null ? "" : " --image " + image)
                    + " --frames " + frames + (threads == null ? "" : " --threads " + threads) + " --out " + Checks.shown(out) + " --force";
            if (model == null) {
                model = root.resolve("models/em-compact-w4a6.unetq");
            }
            if (image == null) {
                image = root.resolve("models/samples/em/20_28_28.png");
            }
            Checks.range("--frames", frames, 1, 10_000);
            Checks.range("--threads", t, 1, 256);
            unetq.files.OutputFile table = Checks.outputFile(out, force, "--out");
            unetq.golden.QuantizedUNet net;
            unetq.golden.IntTensor img;
            try {
                net = unetq.golden.ModelFile.read(model).net();
                unetq.golden.GreyImage g = unetq.golden.GreyImage.read(image);
                img = g.crop(0, 0, g.height(), g.width());
            } catch (java.io.IOException e) {
                throw new UsageError(e.getMessage());
            }
            PrintWriter o = spec.commandLine().getOut();
            unetq.golden.QuantizedUNet.Result first = net.forward(img); // also warms the JIT up
            long macsPerFrame = 0;
            for (unetq.golden.ConvLayer l : net.layers()) {
                unetq.golden.IntTensor in = first.inputs().get(l.name());
                macsPerFrame += (long) in.height() * in.width() * l.weights().outChannels() * l.weights().fanIn();
            }
            o.printf("%s on %s (%dx%d): %.3f GMAC a frame%n", model, image, img.height(), img.width(), macsPerFrame / 1e9);
            for (int i = 0; i < 2; i++) {
                net.forward(img);
            }
            List<Run> runs = new ArrayList<>();
            for (int n : t == 1 ? new int[] {1} : new int[] {1, t}) {
                Run r = time(net, img, n, macsPerFrame, o);
                runs.add(r);
                o.printf("%d thread%s: %d frames in %.2f s, %.2f GMAC/s (%.2f per thread)%n", n, n == 1 ? "" : "s", r.forwards(),
                        r.seconds(), r.gmacsPerSecond(), r.gmacsPerSecond() / n);
            }
            table.writeString(markdown(img, macsPerFrame, runs, cores));
            o.printf("wrote %s%n", out);
            return 0;
        }

        private Run time(unetq.golden.QuantizedUNet net, unetq.golden.IntTensor img, int n, long macsPerFrame, PrintWriter o)
                throws Exception {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
            java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
            Progress progress = new Progress(o, n + " thread" + (n == 1 ? "" : "s"), (long) n * frames, "frames");
            long start = System.nanoTime();
            try {
                List<java.util.concurrent.Future<?>> all = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    all.add(pool.submit(() -> {
                        for (int f = 0; f < frames; f++) {
                            net.forward(img);
                            synchronized (progress) {
                                progress.step(done.incrementAndGet());
                            }
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> f : all) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            long forwards = (long) n * frames;
            return new Run(n, forwards, (System.nanoTime() - start) / 1e9, forwards * macsPerFrame);
        }

        private String markdown(unetq.golden.IntTensor img, long macsPerFrame, List<Run> runs, int cores) {
            StringBuilder sb = new StringBuilder();
            sb.append("# Golden-model speed\n\n");
            sb.append("Written by `").append(command).append("` (").append(java.time.LocalDate.now(java.time.ZoneOffset.UTC)).append(", ").append(cores)
                    .append(" cores, ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                    .append("); nothing here is edited by hand.\n\n");
            sb.append(String.format("The integer forward pass (`QuantizedUNet.forward`) on a %dx%d image: %,d multiply-accumulates a frame "
                    + "in its convolutions. A conv sums in int planes when its largest possible sum fits an int (every format of the "
                    + "paper but Q8.8), in longs otherwise, and in overflow-checked longs past that (`Ops.convAccumulate`); the "
                    + "pools, upsamplers, concats and requantizers are in the time too.%n%n", img.height(), img.width(), macsPerFrame));
            sb.append("| threads | frames | seconds | GMAC/s | GMAC/s per thread |\n| ---: | ---: | ---: | ---: | ---: |\n");
            for (Run r : runs) {
                sb.append(String.format("| %d | %d | %.2f | %.2f | %.2f |%n", r.threads(), r.forwards(), r.seconds(), r.gmacsPerSecond(),
                        r.gmacsPerSecond() / r.threads()));
            }
            return sb.toString();
        }
    }
}
