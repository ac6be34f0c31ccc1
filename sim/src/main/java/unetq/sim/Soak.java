package unetq.sim;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import unetq.golden.IntTensor;
import unetq.golden.Ops;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.RandomLayers;
import unetq.hw.block.ConvLayer;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.MacArray;
import unetq.hw.block.MacForm;
import unetq.hw.block.MaxPool2x2;
import unetq.hw.block.Threshold;
import unetq.hw.block.UpsampleBilinear2x;
import unetq.hw.design.PixelStream;
import unetq.hw.schedule.Folding;

/**
 * The soak benchmark: every block kind driven with constrained-random vectors (a tenth at the
 * formats' extremes) and, for half of each configuration's vectors, random stalls on both sides,
 * checked against the golden model. A vector is one output value compared: a lane's sum, an output
 * code, a mask bit. Configurations cover weights Q0.2 .. Q0.8 and activations Q2.0 .. Q8.0 (the
 * paper's W 2..8 and A 2..8), with random shapes, foldings and product forms drawn from the seed.
 */
public final class Soak {
    /** What one block kind saw. */
    public record Result(String kind, int configurations, long vectors, long mismatches, String firstMismatch,
                         double seconds) {
    }

    /** Told after each configuration: the kind, configurations done and to do. */
    @FunctionalInterface
    public interface Listener {
        void configurationDone(String kind, int done, int total);
    }

    private static final int[] BITS = {2, 3, 4, 5, 6, 7, 8};

    private final VerilatorBuild build;
    private final Path work;
    private final long seed;

    public Soak(VerilatorBuild build, Path work, long seed) {
        this.build = build;
        this.work = work;
        this.seed = seed;
    }

    /** Block kinds, in the order {@link #run} runs them. */
    public static List<String> kinds() {
        return List.of("MAC array", "conv layer", "max-pool", "bilinear upsampler", "fork + skip FIFO + concat", "threshold");
    }

    /** Runs {@code vectors} vectors (at least) of block kind {@code kind}. */
    public Result run(String kind, long vectors, Listener listener) {
        long t0 = System.nanoTime();
        Random rnd = new Random(seed ^ kind.hashCode());
        List<int[]> formats = new ArrayList<>();
        switch (kind) {
            case "MAC array", "conv layer" -> {
                for (int w : BITS) {
                    for (int a : BITS) {
                        formats.add(new int[] {w, a});
                    }
                }
            }
            case "threshold" -> formats.add(new int[] {0, 0});
            default -> {
                for (int a : BITS) {
                    formats.add(new int[] {0, a});
                }
            }
        }
        long quota = (vectors + formats.size() - 1) / formats.size();
        long total = 0;
        long bad = 0;
        String first = null;
        for (int i = 0; i < formats.size(); i++) {
            int[] f = formats.get(i);
            long[] r = switch (kind) {
                case "MAC array" -> mac(rnd, f[0], f[1], i, quota);
                case "conv layer" -> conv(rnd, f[0], f[1], i, quota);
                case "max-pool" -> pool(rnd, f[1], quota);
                case "bilinear upsampler" -> upsample(rnd, f[1], quota);
                case "fork + skip FIFO + concat" -> junction(rnd, f[1], quota);
                case "threshold" -> threshold(rnd, quota);
                default -> throw new IllegalArgumentException("no block kind " + kind);
            };
            total += r[0];
            bad += r[1];
            if (r[1] > 0 && first == null) {
                first = lastMismatch;
            }
            listener.configurationDone(kind, i + 1, formats.size());
        }
        return new Result(kind, formats.size(), total, bad, first, (System.nanoTime() - t0) / 1e9);
    }

    private String lastMismatch;

    /** Two runs of the same inputs: no stalls, then 30 % random stalls on both sides. */
    private static List<StreamRun.Options> halves(Random rnd, long watchdog) {
        return List.of(new StreamRun.Options(1, 0, 0, watchdog), new StreamRun.Options(1 + rnd.nextInt(1 << 30), 0.3, 0.3, 2 * watchdog));
    }

    private static long draw(Random rnd, QFormat f, boolean extreme) {
        if (extreme) {
            return rnd.nextBoolean() ? f.maxCode() : f.minCode();
        }
        return f.minCode() + (long) (rnd.nextDouble() * (f.maxCode() - f.minCode() + 1));
    }

    private static MacForm.Kind form(int i) {
        return MacForm.Kind.values()[i % 3];
    }

    private long[] mac(Random rnd, int w, int a, int index, long quota) {
        QFormat wf = QFormat.weights(w);
        QFormat af = QFormat.activations(a);
        int rows = new int[] {1, 2, 3, 4, 6}[rnd.nextInt(5)];
        int cols = 1 + rnd.nextInt(9);
        int beatsPerSum = 9;
        MacArray mac = MacArray.forFormats(String.format("soak_mac_w%da%d_%dx%d_%s", w, a, rows, cols,
                form(index).name().toLowerCase(java.util.Locale.ROOT)), rows, cols, af, wf, beatsPerSum, form(index));
        Path dir = work.resolve(mac.name());
        Path exe = build.build(mac, dir);
        List<List<BigInteger>> inputs = new ArrayList<>();
        List<long[]> expected = new ArrayList<>();
        long sums = Math.max(1, (quota / 2 + rows - 1) / rows);
        for (long s = 0; s < sums; s++) {
            int beats = 1 + rnd.nextInt(beatsPerSum);
            boolean extreme = rnd.nextInt(10) == 0;
            long[] acc = new long[rows];
            for (int b = 0; b < beats; b++) {
                long[] act = new long[cols];
                long[][] wgt = new long[rows][cols];
                for (int c = 0; c < cols; c++) {
                    act[c] = draw(rnd, af, extreme);
                    for (int r = 0; r < rows; r++) {
                        wgt[r][c] = draw(rnd, wf, extreme);
                        acc[r] += act[c] * wgt[r][c];
                    }
                }
                inputs.add(List.of(BigInteger.valueOf(b == 0 ? 1 : 0), BigInteger.valueOf(b == beats - 1 ? 1 : 0),
                        mac.packActivations(act), mac.packWeights(wgt)));
            }
            expected.add(acc);
        }
        long compared = 0;
        long bad = 0;
        for (StreamRun.Options o : halves(rnd, 100L * inputs.size() + 10_000)) {
            StreamRun.Result res = StreamRun.run(exe, dir, inputs, expected.size(), o);
            for (int i = 0; i < expected.size(); i++) {
                long[] got = mac.unpackSums(res.outputs().get(i).fields().get(0));
                for (int r = 0; r < rows; r++) {
                    compared++;
                    if (got[r] != expected.get(i)[r]) {
                        bad++;
                        lastMismatch = mac.name() + ": sum " + i + " lane " + r + ": RTL " + got[r] + ", exact " + expected.get(i)[r];
                    }
                }
            }
        }
        return new long[] {compared, bad};
    }

    private static int divisor(Random rnd, int n) {
        List<Integer> d = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (n % i == 0) {
                d.add(i);
            }
        }
        return d.get(rnd.nextInt(d.size()));
    }

    private long[] conv(Random rnd, int w, int a, int index, long quota) {
        QFormat wf = QFormat.weights(w);
        QFormat af = QFormat.activations(a);
        int cin = 1 + rnd.nextInt(6);
        int cout = 1 + rnd.nextInt(6);
        int h = 1 + rnd.nextInt(9);
        int wd = 1 + rnd.nextInt(9);
        Folding f = new Folding(divisor(rnd, cout), divisor(rnd, cin)).withMac(form(index));
        if (rnd.nextBoolean()) {
            f = f.withRequantInLuts();
        }
        unetq.golden.ConvLayer layer = RandomLayers.conv(rnd, "soak", cin, cout, 3, wf, af, af, rnd.nextBoolean());
        ConvLayer block = new ConvLayer(String.format("soak_conv_w%da%d_%d_%d_%dx%d_p%ds%d_%s%s", w, a, cin, cout, h, wd, f.pe(),
                f.simd(), f.mac().name().toLowerCase(java.util.Locale.ROOT), f.requantInLuts() ? "_rql" : ""), layer, h, wd, f,
                rnd.nextInt(2));
        Path dir = work.resolve(block.name());
        Path exe = ConvLayerCosim.prepare(block, dir, build);
        List<IntTensor> frames = new ArrayList<>();
        long perFrame = (long) cout * h * wd;
        for (long v = 0; v < quota / 2; v += perFrame) {
            int mode = rnd.nextInt(10);
            frames.add(mode == 0 ? RandomLayers.filled(cin, h, wd, af.maxCode()) : mode == 1 ? RandomLayers.filled(cin, h, wd, af.minCode())
                    : RandomLayers.tensor(rnd, cin, h, wd, af));
        }
        long compared = 0;
        long bad = 0;
        long watchdog = 50L * frames.size() * block.cyclesPerFrame() + 10_000;
        for (StreamRun.Options o : halves(rnd, watchdog)) {
            ConvLayerCosim.Report r = ConvLayerCosim.run(block, exe, dir, frames, o);
            compared += r.valuesCompared();
            bad += r.mismatches();
            if (r.mismatches() > 0) {
                lastMismatch = r.firstMismatch();
            }
        }
        return new long[] {compared, bad};
    }

    /** Frames of {@code c} x h x w of {@code f} until {@code quota} outputs at {@code perFrame} each; a tenth constant extremes. */
    private static List<IntTensor> frames(Random rnd, int c, int h, int w, QFormat f, long quota, long perFrame) {
        List<IntTensor> frames = new ArrayList<>();
        for (long v = 0; v < quota; v += perFrame) {
            int mode = rnd.nextInt(10);
            frames.add(mode == 0 ? RandomLayers.filled(c, h, w, f.maxCode()) : mode == 1 ? RandomLayers.filled(c, h, w, f.minCode())
                    : RandomLayers.tensor(rnd, c, h, w, f));
        }
        return frames;
    }

    private long[] streamBlock(Random rnd, HardwareBlock block, int group, List<IntTensor> in, int inBits, List<IntTensor> want,
                               int outBits, long cyclesPerFrame) {
        BlockCosim sim = new BlockCosim(block, work.resolve(block.name()), build, group);
        long compared = 0;
        long bad = 0;
        for (StreamRun.Options o : halves(rnd, 50L * in.size() * cyclesPerFrame + 10_000)) {
            BlockCosim.Report r = sim.run(in, inBits, want, outBits, o);
            compared += r.compared();
            bad += r.mismatches();
            if (r.mismatches() > 0) {
                lastMismatch = r.firstMismatch();
            }
        }
        return new long[] {compared, bad};
    }

    private long[] pool(Random rnd, int a, long quota) {
        QFormat af = QFormat.activations(a);
        int c = 1 + rnd.nextInt(8);
        int g = divisor(rnd, c);
        int h = 2 * (1 + rnd.nextInt(6));
        int w = 2 * (1 + rnd.nextInt(8));
        int bits = af.hardwareBits();
        MaxPool2x2 block = new MaxPool2x2(String.format("soak_pool_a%d_%d_%d_%dx%d", a, c, g, h, w), c, g, bits, h, w);
        List<IntTensor> in = frames(rnd, c, h, w, af, quota / 2, (long) c * h * w / 4);
        return streamBlock(rnd, block, g, in, bits, in.stream().map(Ops::maxPool2x2).toList(), bits, (long) h * w * (c / g) + 4);
    }

    private long[] upsample(Random rnd, int a, long quota) {
        QFormat af = QFormat.activations(a);
        int c = 1 + rnd.nextInt(8);
        int g = divisor(rnd, c);
        int h = 1 + rnd.nextInt(7);
        int w = 1 + rnd.nextInt(8);
        UpsampleBilinear2x block = new UpsampleBilinear2x(String.format("soak_up_a%d_%d_%d_%dx%d", a, c, g, h, w), c, g,
                af.hardwareBits(), h, w, Ops.upsampledFormat(af).hardwareBits());
        List<IntTensor> in = frames(rnd, c, h, w, af, quota / 2, 4L * c * h * w);
        return streamBlock(rnd, block, g, in, af.hardwareBits(), in.stream().map(Ops::upsampleBilinear2x).toList(),
                block.outputBits(), block.cyclesPerFrame());
    }

    private long[] junction(Random rnd, int a, long quota) {
        QFormat af = QFormat.activations(a);
        int c = 1 + rnd.nextInt(4);
        int h = 2 * (1 + rnd.nextInt(4));
        int w = 2 * (1 + rnd.nextInt(5));
        int pack = 1 + rnd.nextInt(4);
        while ((h * w) % pack != 0) {
            pack--;
        }
        HardwareBlock j = SkipJunction.junction(String.format("soak_junction_a%d_%d_%dx%d_p%d", a, c, h, w, pack), c, af, h, w,
                6 * w + 8, pack);
        QFormat up = Ops.upsampledFormat(af);
        QFormat out = Ops.concatFormat(up, af);
        List<IntTensor> in = frames(rnd, c, h, w, af, quota / 2, 2L * c * h * w);
        List<IntTensor> want = in.stream().map(x -> Ops.concat(Ops.upsampleBilinear2x(Ops.maxPool2x2(x)), up, x, af)).toList();
        // whole pixels in, and out as two beats of c channels (the up half, then the skip half)
        return streamBlock(rnd, j, c, in, af.hardwareBits(), want, out.hardwareBits(), 4L * h * w);
    }

    private long[] threshold(Random rnd, long quota) {
        int bits = QuantizedUNet.LOGIT_FORMAT.hardwareBits();
        QFormat lf = QuantizedUNet.LOGIT_FORMAT;
        double p = 0.001 + 0.998 * rnd.nextDouble();
        unetq.golden.Threshold golden = new unetq.golden.Threshold(p, lf.fracBits());
        Threshold block = new Threshold("soak_threshold", bits, golden.minCode());
        Path dir = work.resolve(block.name() + "_" + golden.minCode());
        Path exe = build.build(block, dir);
        List<List<BigInteger>> in = new ArrayList<>();
        List<Long> codes = new ArrayList<>();
        long n = Math.max(1, quota / 2);
        for (long i = 0; i < n; i++) {
            int mode = rnd.nextInt(10);
            long code = mode == 0 ? lf.maxCode() : mode == 1 ? lf.minCode() : mode == 2 ? golden.minCode() - 1 + rnd.nextInt(3)
                    : draw(rnd, lf, false);
            code = Math.max(lf.minCode(), Math.min(lf.maxCode(), code));
            codes.add(code);
            in.add(List.of(BigInteger.valueOf(code).and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE))));
        }
        long compared = 0;
        long bad = 0;
        for (StreamRun.Options o : halves(rnd, 10L * n + 10_000)) {
            StreamRun.Result r = StreamRun.run(exe, dir, in, n, o);
            for (int i = 0; i < n; i++) {
                boolean got = r.outputs().get(i).fields().get(0).signum() != 0;
                compared++;
                if (got != golden.isForeground(codes.get(i))) {
                    bad++;
                    lastMismatch = block.name() + ": logit code " + codes.get(i) + ": RTL " + got + ", golden "
                            + golden.isForeground(codes.get(i));
                }
            }
        }
        return new long[] {compared, bad};
    }

    /** A listener that does nothing. */
    public static Listener quiet() {
        return (k, d, t) -> { };
    }
}
