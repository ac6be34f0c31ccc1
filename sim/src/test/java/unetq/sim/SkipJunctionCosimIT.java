package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import unetq.golden.IntTensor;
import unetq.golden.Ops;
import unetq.golden.QFormat;
import unetq.golden.RandomLayers;
import unetq.hw.block.HardwareBlock;
import unetq.hw.design.PixelStream;

/**
 * A one-level U-Net skip junction: x -> fork -> [max-pool -> upsample] and [skip FIFO] -> concat.
 * Golden: concat(upsample(maxpool(x)), x). Exercises fork, FIFO and concat under the real latency
 * of the down-up path, with random stalls, and reads the FIFO's maximum occupancy.
 */
class SkipJunctionCosimIT {
    private static final VerilatorBuild BUILD = VerilatorBuild.defaultCache(System.out::println);

    @ParameterizedTest(name = "junction {0}ch {1}x{2}, {3} beats a FIFO word")
    @CsvSource({"2, 6, 8, 1", "3, 4, 4, 1", "1, 8, 6, 1", "1, 8, 6, 3", "2, 4, 10, 5"})
    void forkFifoConcatAreBitExactUnderStalls(int c, int h, int w, int pack) {
        QFormat act = QFormat.activations(6);
        int depth = 6 * w; // generous here; the whole-network generator sizes it by analysis
        HardwareBlock j = SkipJunction.junction("junction_" + c + "_" + h + "x" + w + "_p" + pack, c, act, h, w, depth, pack);
        Path dir = Path.of("target", "designs", j.name());
        Path exe = BUILD.build(j, dir);
        Random rnd = new Random(c * 7 + h);
        List<IntTensor> frames = List.of(RandomLayers.tensor(rnd, c, h, w, act), RandomLayers.tensor(rnd, c, h, w, act));
        List<List<BigInteger>> beats = new ArrayList<>();
        frames.forEach(f -> PixelStream.pack(f, act.hardwareBits()).forEach(b -> beats.add(List.of(b))));
        QFormat out = Ops.concatFormat(Ops.upsampledFormat(act), act);
        for (StreamRun.Options o : List.of(StreamRun.Options.noStalls(), StreamRun.Options.randomStalls(21))) {
            StreamRun.Result r = StreamRun.run(exe, dir, beats, 2L * frames.size() * h * w, o);
            List<BigInteger> data = r.outputs().stream().map(b -> b.fields().get(0)).toList();
            for (int f = 0; f < frames.size(); f++) {
                IntTensor x = frames.get(f);
                IntTensor want = Ops.concat(Ops.upsampleBilinear2x(Ops.maxPool2x2(x)), Ops.upsampledFormat(act), x, act);
                IntTensor got = PixelStream.unpackGroups(data, 2 * f * h * w, 2 * c, h, w, out.hardwareBits(), c);
                assertEquals(want, got, "frame " + f + " with " + o);
            }
            // the sizing criterion (max occupancy vs depth) is checked on whole networks, whose depths come from analysis
            System.out.printf("junction %dch %dx%d: %d values equal, %d cycles%n", c, h, w, (long) frames.size() * 2 * c * h * w,
                    r.cycles());
        }
    }
}
