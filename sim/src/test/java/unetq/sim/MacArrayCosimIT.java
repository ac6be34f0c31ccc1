package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import unetq.golden.QFormat;
import unetq.hw.block.MacArray;
import unetq.hw.block.MacForm;

/** The standalone MAC array against exact Java dot products, random and extreme operands, with stalls. */
class MacArrayCosimIT {
    private static final VerilatorBuild BUILD = VerilatorBuild.defaultCache(System.out::println);

    record Config(int wbits, int abits, int rows, int cols, MacForm.Kind kind) {
        @Override
        public String toString() {
            return "W" + wbits + " A" + abits + " " + rows + "x" + cols + " " + kind;
        }
    }

    /** Every form on each shape: packed where the formats allow (falling back), one per DSP, LUTs. */
    static Stream<Config> configs() {
        return Stream.of(new int[] {4, 6, 4, 4}, new int[] {2, 2, 1, 1}, new int[] {8, 8, 3, 5}, new int[] {2, 8, 2, 7},
                new int[] {8, 2, 5, 2}, new int[] {4, 4, 1, 9}, new int[] {2, 4, 6, 16}, new int[] {4, 6, 8, 16})
                .flatMap(c -> Stream.of(MacForm.Kind.values()).map(k -> new Config(c[0], c[1], c[2], c[3], k)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void sumsEqualExactDotProducts(Config cfg) {
        QFormat wf = QFormat.weights(cfg.wbits());
        QFormat af = QFormat.activations(cfg.abits());
        int beatsPerSum = 9;
        MacArray mac = MacArray.forFormats("mac_w" + cfg.wbits() + "a" + cfg.abits() + "_" + cfg.rows() + "x" + cfg.cols()
                        + "_" + cfg.kind().name().toLowerCase(java.util.Locale.ROOT), cfg.rows(), cfg.cols(), af, wf, beatsPerSum, cfg.kind());
        Path dir = Path.of("target", "designs", mac.name());
        Path exe = BUILD.build(mac, dir);

        Random rnd = new Random(cfg.hashCode());
        List<List<BigInteger>> inputs = new ArrayList<>();
        List<long[]> expected = new ArrayList<>();
        for (int sum = 0; sum < 400; sum++) {
            int beats = 1 + rnd.nextInt(beatsPerSum);
            int mode = sum % 10; // 0: all max, 1: max act x min weight, 2: all min, else random
            long[] acc = new long[cfg.rows()];
            for (int b = 0; b < beats; b++) {
                long[] act = new long[cfg.cols()];
                long[][] wgt = new long[cfg.rows()][cfg.cols()];
                for (int c = 0; c < cfg.cols(); c++) {
                    act[c] = mode == 0 || mode == 1 ? af.maxCode() : mode == 2 ? af.minCode() : draw(rnd, af);
                    for (int r = 0; r < cfg.rows(); r++) {
                        wgt[r][c] = mode == 0 ? wf.maxCode() : mode == 1 || mode == 2 ? wf.minCode() : draw(rnd, wf);
                        acc[r] += act[c] * wgt[r][c];
                    }
                }
                inputs.add(List.of(BigInteger.valueOf(b == 0 ? 1 : 0), BigInteger.valueOf(b == beats - 1 ? 1 : 0),
                        mac.packActivations(act), mac.packWeights(wgt)));
            }
            expected.add(acc);
        }
        long compared = 0;
        for (StreamRun.Options opt : List.of(StreamRun.Options.noStalls(), StreamRun.Options.randomStalls(5))) {
            StreamRun.Result res = StreamRun.run(exe, dir, inputs, expected.size(), opt);
            for (int i = 0; i < expected.size(); i++) {
                long[] got = mac.unpackSums(res.outputs().get(i).fields().get(0));
                for (int r = 0; r < cfg.rows(); r++) {
                    assertEquals(expected.get(i)[r], got[r], "sum " + i + " row " + r);
                    compared++;
                }
            }
            if (opt.inStall() == 0) {
                // one beat per cycle (beats fire in cycles 0..N-1); a sum leaves two cycles after its last beat
                assertEquals(firstSumBeats(inputs) + 1, res.outputs().get(0).cycle());
                assertEquals(inputs.size() + 1, res.outputs().get(res.outputs().size() - 1).cycle());
            }
        }
        System.out.printf("MacArray %-22s %-9s acc %2d bits: compared %5d sums, 0 mismatches%n", cfg, mac.form(), mac.accBits(),
                compared);
    }

    /** Beats of the first sum, up to and including its in_last beat. */
    private static long firstSumBeats(List<List<BigInteger>> inputs) {
        int beats = 0;
        while (!inputs.get(beats).get(1).equals(BigInteger.ONE)) {
            beats++;
        }
        return beats + 1;
    }

    private static long draw(Random rnd, QFormat f) {
        return f.minCode() + (long) (rnd.nextDouble() * (f.maxCode() - f.minCode() + 1));
    }
}
