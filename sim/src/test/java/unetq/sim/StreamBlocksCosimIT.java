package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @ParameterizedTest(name = "maxpool {0}ch by {4} x {1}b {2}x{3}")
    @CsvSource({"3, 7, 6, 8, 3", "1, 3, 2, 2, 1", "4, 9, 10, 4, 2", "2, 5, 4, 14, 1", "8, 7, 4, 6, 2", "6, 4, 2, 4, 1"})
    void maxPoolIsBitExact(int channels, int bits, int h, int w, int group) {
        QFormat f = QFormat.activations(bits - 1);
        MaxPool2x2 block = new MaxPool2x2("pool_" + channels + "_" + group + "_" + bits + "_" + h + "x" + w, channels, group, bits, h, w);
        BlockCosim sim = new BlockCosim(block, Path.of("target", "designs", block.name()), BUILD, group);
        Random rnd = new Random(h * 31 + w);
        List<IntTensor> in = List.of(RandomLayers.tensor(rnd, channels, h, w, f), RandomLayers.tensor(rnd, channels, h, w, f),
                RandomLayers.filled(channels, h, w, f.minCode()));
        List<IntTensor> want = in.stream().map(Ops::maxPool2x2).toList();
        for (StreamRun.Options o : List.of(StreamRun.Options.noStalls(), StreamRun.Options.randomStalls(3))) {
            BlockCosim.Report r = sim.run(in, bits, want, bits, o);
            assertEquals(0, r.mismatches(), r.firstMismatch());
            if (o.inStall() == 0) {
                // one input beat per cycle, the last output two cycles after the last beat
                assertEquals(3L * h * w * (channels / group) + 2, r.cycles());
            }
            System.out.printf("MaxPool2x2 %s: compared %d values, 0 mismatches, %d cycles%n", block.name(), r.compared(), r.cycles());
        }
    }

    @ParameterizedTest(name = "upsample {0}ch by {4} x {1}b {2}x{3}")
    @CsvSource({"2, 7, 3, 4, 2", "1, 5, 1, 2, 1", "3, 9, 5, 3, 1", "2, 11, 4, 7, 1", "4, 7, 3, 5, 2", "6, 7, 4, 4, 3",
        "2, 7, 2, 1, 1", "4, 5, 6, 2, 1"})
    void upsampleIsBitExact(int channels, int bits, int h, int w, int group) {
        QFormat f = QFormat.q(bits - 1, 0);
        UpsampleBilinear2x block = new UpsampleBilinear2x("up_" + channels + "_" + group + "_" + bits + "_" + h + "x" + w,
                channels, group, bits, h, w, bits + 4);
        BlockCosim sim = new BlockCosim(block, Path.of("target", "designs", block.name()), BUILD, group);
        Random rnd = new Random(h * 17 + w);
        List<IntTensor> in = List.of(RandomLayers.tensor(rnd, channels, h, w, f), RandomLayers.filled(channels, h, w, f.maxCode()),
                RandomLayers.filled(channels, h, w, f.minCode()), RandomLayers.tensor(rnd, channels, h, w, f));
        List<IntTensor> want = in.stream().map(Ops::upsampleBilinear2x).toList();
        for (StreamRun.Options o : List.of(StreamRun.Options.noStalls(), StreamRun.Options.randomStalls(9))) {
            BlockCosim.Report r = sim.run(in, bits, want, block.outputBits(), o);
            assertEquals(0, r.mismatches(), r.firstMismatch());
            if (o.inStall() == 0) {
                // the output side sets the pace: (2W + 1) x C/g cycles an output row, across frames
                long bound = in.size() * block.cyclesPerFrame();
                assertTrue(r.cycles() >= bound && r.cycles() <= bound + 4L * w * (channels / group) + 8,
                        r.cycles() + " cycles, bound " + bound);
            }
            System.out.printf("UpsampleBilinear2x %s: compared %d values, 0 mismatches, %d cycles for %d outputs%n",
                    block.name(), r.compared(), r.cycles(), 4L * in.size() * h * w);
        }
    }
}
