package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import unetq.golden.IntTensor;
import unetq.golden.Ops;
import unetq.golden.QFormat;
import unetq.golden.RandomLayers;
import unetq.hw.block.MaxPool2x2;
import unetq.hw.block.UpsampleBilinear2x;

/** The U-Net's other streaming blocks against their golden ops, with and without stalls. */
class StreamBlocksCosimIT {
    private static final VerilatorBuild BUILD = VerilatorBuild.defaultCache(System.out::println);

    @ParameterizedTest(name = "maxpool {0}ch x {1}b {2}x{3}")
    @CsvSource({"3, 7, 6, 8", "1, 3, 2, 2", "4, 9, 10, 4", "2, 5, 4, 14"})
    void maxPoolIsBitExact(int channels, int bits, int h, int w) {
        QFormat f = QFormat.activations(bits - 1);
        MaxPool2x2 block = new MaxPool2x2("pool_" + channels + "_" + bits + "_" + h + "x" + w, channels, bits, h, w);
        BlockCosim sim = new BlockCosim(block, Path.of("target", "designs", block.name()), BUILD);
        Random rnd = new Random(h * 31 + w);
        List<IntTensor> in = List.of(RandomLayers.tensor(rnd, channels, h, w, f), RandomLayers.tensor(rnd, channels, h, w, f),
                RandomLayers.filled(channels, h, w, f.minCode()));
        List<IntTensor> want = in.stream().map(Ops::maxPool2x2).toList();
        for (StreamRun.Options o : List.of(StreamRun.Options.noStalls(), StreamRun.Options.randomStalls(3))) {
            BlockCosim.Report r = sim.run(in, bits, want, bits, o);
            assertEquals(0, r.mismatches(), r.firstMismatch());
            if (o.inStall() == 0) {
                // one input pixel per cycle, output one cycle after the block's last pixel
                assertEquals(3L * h * w + 1, r.cycles());
            }
            System.out.printf("MaxPool2x2 %s: compared %d values, 0 mismatches, %d cycles%n", block.name(), r.compared(), r.cycles());
        }
    }

    @ParameterizedTest(name = "upsample {0}ch x {1}b {2}x{3}")
    @CsvSource({"2, 7, 3, 4", "1, 5, 1, 2", "3, 9, 5, 3", "2, 11, 4, 7"})
    void upsampleIsBitExact(int channels, int bits, int h, int w) {
        QFormat f = QFormat.q(bits - 1, 0);
        UpsampleBilinear2x block = new UpsampleBilinear2x("up_" + channels + "_" + bits + "_" + h + "x" + w, channels, bits, h, w);
        BlockCosim sim = new BlockCosim(block, Path.of("target", "designs", block.name()), BUILD);
        Random rnd = new Random(h * 17 + w);
        List<IntTensor> in = List.of(RandomLayers.tensor(rnd, channels, h, w, f), RandomLayers.filled(channels, h, w, f.maxCode()),
                RandomLayers.filled(channels, h, w, f.minCode()), RandomLayers.tensor(rnd, channels, h, w, f));
        List<IntTensor> want = in.stream().map(Ops::upsampleBilinear2x).toList();
        for (StreamRun.Options o : List.of(StreamRun.Options.noStalls(), StreamRun.Options.randomStalls(9))) {
            BlockCosim.Report r = sim.run(in, bits, want, block.outputBits(), o);
            assertEquals(0, r.mismatches(), r.firstMismatch());
            if (o.inStall() == 0) {
                // the output side sets the pace: one output per cycle across frames, after a 4-cycle fill
                assertEquals(4L * in.size() * h * w + 4, r.cycles());
            }
            System.out.printf("UpsampleBilinear2x %s: compared %d values, 0 mismatches, %d cycles for %d outputs%n",
                    block.name(), r.compared(), r.cycles(), 4L * in.size() * h * w);
        }
    }
}
