package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import unetq.golden.ConvWeights;
import unetq.golden.IntTensor;
import unetq.golden.QFormat;
import unetq.golden.RandomLayers;
import unetq.golden.Requantizer;
import unetq.hw.block.ConvLayer;
import unetq.hw.block.MacForm;
import unetq.hw.schedule.Folding;

/**
 * RTL of the streaming conv layer against the golden model in Verilator: every output code of
 * every frame, constrained-random and extreme inputs, with and without random backpressure.
 */
class ConvLayerCosimIT {
    private static final VerilatorBuild BUILD = VerilatorBuild.defaultCache(System.out::println);

    record Config(String id, QFormat w, QFormat a, QFormat out, int cin, int cout, int h, int wd, int pe, int simd,
                  MacForm.Kind mac) {
        Config(String id, QFormat w, QFormat a, QFormat out, int cin, int cout, int h, int wd, int pe, int simd) {
            this(id, w, a, out, cin, cout, h, wd, pe, simd, MacForm.Kind.PACKED);
        }

        Folding folding() {
            return new Folding(pe, simd, false, mac);
        }

        @Override
        public String toString() {
            return id + " " + w + "x" + a + "->" + out + " " + cin + "->" + cout + " " + h + "x" + wd + " PE" + pe
                    + " SIMD" + simd + " " + mac;
        }
    }

    static Stream<Config> configs() {
        QFormat w2 = QFormat.weights(2);
        QFormat w4 = QFormat.weights(4);
        QFormat w8 = QFormat.weights(8);
        return Stream.of(
                new Config("w2a2", w2, QFormat.activations(2), QFormat.activations(2), 2, 4, 5, 7, 1, 1),
                new Config("w2a4", w2, QFormat.activations(4), QFormat.activations(4), 3, 6, 7, 5, 3, 3),
                new Config("w2a6", w2, QFormat.activations(6), QFormat.activations(6), 2, 2, 6, 9, 2, 2),
                new Config("w2a8", w2, QFormat.activations(8), QFormat.activations(8), 1, 3, 9, 4, 3, 1),
                new Config("w4a2", w4, QFormat.activations(2), QFormat.activations(2), 2, 4, 3, 3, 4, 2),
                new Config("w4a4", w4, QFormat.activations(4), QFormat.activations(4), 4, 2, 5, 5, 1, 4),
                new Config("w4a6", w4, QFormat.activations(6), QFormat.activations(6), 3, 4, 7, 9, 2, 3),
                new Config("w4a6lut", w4, QFormat.activations(6), QFormat.activations(6), 4, 4, 5, 6, 2, 2, MacForm.Kind.LUT),
                new Config("w4a6dsp", w4, QFormat.activations(6), QFormat.activations(6), 4, 4, 5, 6, 4, 4, MacForm.Kind.DSP),
                new Config("w4a8", w4, QFormat.activations(8), QFormat.activations(8), 2, 2, 4, 11, 2, 1),
                new Config("w8a2", w8, QFormat.activations(2), QFormat.activations(2), 2, 4, 5, 3, 4, 2),
                new Config("w8a4", w8, QFormat.activations(4), QFormat.activations(4), 3, 2, 3, 7, 1, 3),
                new Config("w8a6", w8, QFormat.activations(6), QFormat.activations(6), 1, 4, 6, 5, 2, 1),
                new Config("w8a8", w8, QFormat.activations(8), QFormat.activations(8), 2, 2, 5, 6, 2, 2),
                new Config("q88", QFormat.q(8, 8), QFormat.q(8, 8), QFormat.q(8, 8), 2, 2, 4, 5, 1, 1),
                new Config("image", w8, QFormat.uq(0, 8), QFormat.activations(6), 1, 4, 8, 8, 4, 1),
                new Config("pixel", w4, QFormat.activations(6), QFormat.activations(6), 2, 2, 1, 1, 1, 2),
                new Config("row", w4, QFormat.activations(6), QFormat.activations(6), 2, 2, 1, 5, 2, 2),
                new Config("column", w4, QFormat.activations(6), QFormat.activations(6), 2, 2, 4, 1, 1, 1),
                new Config("wide", w4, QFormat.activations(6), QFormat.activations(6), 16, 16, 4, 5, 8, 16),
                new Config("packed3", w2, QFormat.activations(4), QFormat.activations(4), 8, 6, 4, 4, 6, 8),
                // 8 passes of 144 beats: a 1152-word weight ROM, 1024 words in its head and 128 in its tail
                new Config("romtail", w4, QFormat.activations(6), QFormat.activations(6), 16, 8, 3, 4, 1, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void randomLayerIsBitExact(Config cfg) {
        Random rnd = new Random(cfg.id().hashCode());
        unetq.golden.ConvLayer layer = RandomLayers.conv(rnd, cfg.id(), cfg.cin(), cfg.cout(), 3, cfg.w(), cfg.a(),
                cfg.out(), true);
        List<IntTensor> frames = List.of(
                RandomLayers.tensor(rnd, cfg.cin(), cfg.h(), cfg.wd(), cfg.a()),
                RandomLayers.tensor(rnd, cfg.cin(), cfg.h(), cfg.wd(), cfg.a()),
                RandomLayers.tensor(rnd, cfg.cin(), cfg.h(), cfg.wd(), cfg.a()));
        if (cfg.h() * cfg.wd() * cfg.cout() >= 100) {
            assertCovers(layer, frames);
        }
        check(cfg, new ConvLayer("conv_" + cfg.id(), layer, cfg.h(), cfg.wd(), cfg.folding()), frames);
    }

    /**
     * The requantizer's product built from shifted partial products (what {@code DspBudget} picks
     * when a device runs out of DSPs): bit-exact across weight and activation widths, Q8.8 included.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void requantizerProductInLutsIsBitExact(Config cfg) {
        Random rnd = new Random(cfg.id().hashCode() + 1);
        unetq.golden.ConvLayer layer = RandomLayers.conv(rnd, cfg.id(), cfg.cin(), cfg.cout(), 3, cfg.w(), cfg.a(),
                cfg.out(), true);
        List<IntTensor> frames = List.of(RandomLayers.tensor(rnd, cfg.cin(), cfg.h(), cfg.wd(), cfg.a()),
                RandomLayers.tensor(rnd, cfg.cin(), cfg.h(), cfg.wd(), cfg.a()));
        check(cfg, new ConvLayer("conv_lutrq_" + cfg.id(), layer, cfg.h(), cfg.wd(), cfg.folding().withRequantInLuts()),
                frames);
    }

    /** The random layer's outputs include negative codes, positive codes and saturated codes. */
    private static void assertCovers(unetq.golden.ConvLayer layer, List<IntTensor> frames) {
        long max = layer.outputFormat().maxCode();
        boolean negative = false;
        boolean positive = false;
        boolean saturated = false;
        for (IntTensor f : frames) {
            IntTensor out = layer.forward(f);
            for (int c = 0; c < out.channels(); c++) {
                for (int y = 0; y < out.height(); y++) {
                    for (int x = 0; x < out.width(); x++) {
                        long v = out.get(c, y, x);
                        negative |= v < 0;
                        positive |= v > 0;
                        saturated |= Math.abs(v) == max;
                    }
                }
            }
        }
        assertTrue(negative && positive && saturated, layer.name() + " outputs should cover negative "
                + negative + ", positive " + positive + ", saturated " + saturated);
    }

    /** Real data: two 24x24 crops of EM slices through a first-layer conv (UQ0.8 image in, Q6.0 out). */
    @org.junit.jupiter.api.Test
    void realEmCropsAreBitExact() throws java.io.IOException {
        Path images = unetq.golden.SharedData.dataset("isbi2012-em").resolve("images");
        List<IntTensor> frames = List.of(
                unetq.golden.GreyImage.read(images.resolve("0.png")).crop(200, 240, 24, 24),
                unetq.golden.GreyImage.read(images.resolve("17.png")).crop(37, 301, 24, 24));
        Config cfg = new Config("em", QFormat.weights(8), QFormat.uq(0, 8), QFormat.activations(6), 1, 8, 24, 24, 4, 1);
        unetq.golden.ConvLayer layer = RandomLayers.conv(new Random(2012), "em", 1, 8, 3, cfg.w(), cfg.a(), cfg.out(), true);
        assertCovers(layer, frames);
        check(cfg, new ConvLayer("conv_em", layer, 24, 24, new Folding(4, 1)), frames);
    }

    static Stream<Config> extremeConfigs() {
        return Stream.of(
                new Config("x_w4a6", QFormat.weights(4), QFormat.activations(6), QFormat.activations(6), 3, 4, 5, 6, 2, 3),
                new Config("x_w4a6lut", QFormat.weights(4), QFormat.activations(6), QFormat.activations(6), 3, 4, 5, 6, 2, 3,
                        MacForm.Kind.LUT),
                new Config("x_w4a6dsp", QFormat.weights(4), QFormat.activations(6), QFormat.activations(6), 3, 4, 5, 6, 4, 1,
                        MacForm.Kind.DSP),
                new Config("x_w8a8", QFormat.weights(8), QFormat.activations(8), QFormat.activations(8), 2, 2, 4, 5, 1, 2),
                new Config("x_w2a4", QFormat.weights(2), QFormat.activations(4), QFormat.activations(4), 4, 6, 3, 7, 6, 4),
                new Config("x_q88", QFormat.q(8, 8), QFormat.q(8, 8), QFormat.q(8, 8), 2, 2, 3, 4, 2, 2));
    }

    /** All weights at the max code (half the channels) and the min code (the rest); saturating inputs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("extremeConfigs")
    void extremeValuesAreBitExact(Config cfg) {
        long[] codes = new long[cfg.cout() * cfg.cin() * 9];
        int half = codes.length / 2;
        Arrays.fill(codes, 0, half, cfg.w().maxCode());
        Arrays.fill(codes, half, codes.length, cfg.w().minCode());
        ConvWeights w = new ConvWeights(cfg.cout(), cfg.cin(), 3, codes);
        // unit scale, no shift, ReLU on: accumulators far beyond the output range saturate both ways
        Requantizer rq = new Requantizer(new long[cfg.cout()], ones(cfg.cout(), 1), new long[cfg.cout()], 0, false,
                cfg.out());
        unetq.golden.ConvLayer layer = new unetq.golden.ConvLayer(cfg.id(), w, cfg.w(), cfg.a(), rq);
        // output channel 0 has every weight at the max code: its accumulator range is the extreme bound
        assertEquals(9L * cfg.cin() * cfg.a().maxCode() * cfg.w().maxCode(), layer.accumulatorRange().hi());
        IntTensor checker = RandomLayers.filled(cfg.cin(), cfg.h(), cfg.wd(), cfg.a().maxCode());
        for (int y = 0; y < cfg.h(); y++) {
            for (int x = 0; x < cfg.wd(); x++) {
                if ((x + y) % 2 == 1) {
                    for (int c = 0; c < cfg.cin(); c++) {
                        checker.set(c, y, x, cfg.a().minCode());
                    }
                }
            }
        }
        List<IntTensor> frames = List.of(
                RandomLayers.filled(cfg.cin(), cfg.h(), cfg.wd(), cfg.a().maxCode()),
                RandomLayers.filled(cfg.cin(), cfg.h(), cfg.wd(), cfg.a().minCode()),
                checker);
        check(cfg, new ConvLayer("conv_" + cfg.id(), layer, cfg.h(), cfg.wd(), cfg.folding()), frames);
    }

    private static long[] ones(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    private static void check(Config cfg, ConvLayer block, List<IntTensor> frames) {
        Path dir = Path.of("target", "designs", block.name());
        Path exe = ConvLayerCosim.prepare(block, dir, BUILD);

        ConvLayerCosim.Report steady = ConvLayerCosim.run(block, exe, dir, frames, StreamRun.Options.noStalls());
        assertEquals(0, steady.mismatches(), steady.firstMismatch());
        ConvLayerCosim.Report stalled = ConvLayerCosim.run(block, exe, dir, frames, StreamRun.Options.randomStalls(11));
        assertEquals(0, stalled.mismatches(), stalled.firstMismatch());

        long cpp = block.cyclesPerOutput();
        int perFrame = cfg.h() * cfg.wd();
        List<Long> intervals = new ArrayList<>();
        List<Long> boundary = new ArrayList<>();
        for (int i = 1; i < steady.outputCycles().size(); i++) {
            long d = steady.outputCycles().get(i) - steady.outputCycles().get(i - 1);
            (i % perFrame == 0 ? boundary : intervals).add(d);
        }
        for (long d : intervals) {
            assertEquals(cpp, d, "cycles between outputs inside a frame, reported " + cpp);
        }
        for (long d : boundary) {
            assertTrue(d >= cpp && d <= cpp + 2, "cycles between frames: " + d + " vs " + cpp + " per pixel");
        }
        System.out.printf("%s: products %s, %d requantizer(s)%n", block.name(), block.mac().form(), block.requantUnits());
        System.out.printf("%-60s compared %6d values (x2 runs), 0 mismatches; %d cycles/pixel measured = reported; "
                        + "frame gap %s; %d cycles for %d frames with stalls%n",
                cfg, steady.valuesCompared(), cpp, boundary, stalled.cycles(), frames.size());
    }
}
