package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import unetq.golden.IntTensor;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.RandomLayers;
import unetq.golden.UNetTopology;
import unetq.hw.DesignWriter;
import unetq.hw.UNetAccelerator;

/** The whole streaming U-Net against the integer golden model, frame by frame. */
class UNetCosimTest {
    private static final VerilatorBuild BUILD = VerilatorBuild.defaultCache(System.out::println);

    @org.junit.jupiter.params.ParameterizedTest(name = "tiny {0}x{1}, target {2} cycles/frame")
    @org.junit.jupiter.params.provider.CsvSource({"16, 24, 8192", "64, 64, 65536"})
    void tinyRandomUNetIsBitExact(int h, int w, long target) {
        QuantizedUNet net = QuantizedUNet.random(UNetTopology.preset("tiny"), QFormat.weights(4), QFormat.activations(6), 11);
        UNetAccelerator acc = new UNetAccelerator("unet_tiny_" + h + "x" + w, net, h, w, UNetAccelerator.foldingsFor(net, h, w, target));
        Path dir = Path.of("target", "designs", acc.name());
        DesignWriter.write(dir, DesignWriter.filesWithHarness(acc), true);
        Path exe = BUILD.build(dir, acc.name());
        Random rnd = new Random(5);
        List<IntTensor> frames = List.of(RandomLayers.tensor(rnd, 1, h, w, QuantizedUNet.IMAGE_FORMAT),
                RandomLayers.tensor(rnd, 1, h, w, QuantizedUNet.IMAGE_FORMAT),
                RandomLayers.filled(1, h, w, 255));
        List<List<BigInteger>> in = new ArrayList<>();
        for (IntTensor f : frames) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    in.add(List.of(BigInteger.valueOf(f.get(0, y, x))));
                }
            }
        }
        for (StreamRun.Options o : List.of(StreamRun.Options.noStalls(), StreamRun.Options.randomStalls(8))) {
            StreamRun.Result r = StreamRun.run(exe, dir, in, in.size(), o);
            int beat = 0;
            long compared = 0;
            for (int f = 0; f < frames.size(); f++) {
                QuantizedUNet.Result want = net.forward(frames.get(f));
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        StreamRun.Beat b = r.outputs().get(beat++);
                        long logit = unetq.golden.Bits.signExtend(b.fields().get(1).longValue(), acc.logitBits());
                        assertEquals(want.logits().get(0, y, x), logit, "frame " + f + " logit at (y=" + y + ", x=" + x + ")");
                        assertEquals(want.mask()[y][x] ? 1 : 0, b.fields().get(0).intValue(), "mask at " + y + "," + x);
                        compared += 2;
                    }
                }
            }
            StreamRun.Beat last = r.outputs().get(r.outputs().size() - 1);
            for (int l = 0; l < 3; l++) {
                long max = last.fields().get(2 + l).longValue();
                int depth = acc.schedule().depth(l);
                System.out.printf("skip %d: max occupancy %d, depth %d (lead %d pixels = %d rows of %d)%n", l, max, depth,
                        acc.schedule().lead(l), acc.schedule().leadRows(l), w >> l);
                assertTrue(max <= depth + 1, "skip " + l + " overflowed its analysis");
            }
            long frameCycles = r.outputs().get(3 * h * w - 1).cycle() - r.outputs().get(2 * h * w - 1).cycle();
            System.out.printf("UNet tiny %dx%d: %d values equal; %d cycles for %d frames, last frame %d cycles, bound %d%n",
                    h, w, compared, r.cycles(), frames.size(), frameCycles, acc.boundCyclesPerFrame());
        }
    }

    /** The shipped, trained EM model on a 48x48 crop of a validation slice (kept small for the suite). */
    @Test
    void shippedEmModelIsBitExactOnARealCrop() throws java.io.IOException {
        Path root = Path.of(System.getProperty("unetq.root", "."));
        QuantizedUNet net = unetq.golden.ModelFile.read(root.resolve("models/em-compact-w4a6.unetq")).net();
        int h = 48;
        int w = 48;
        UNetAccelerator acc = new UNetAccelerator("unet_em48", net, h, w, UNetAccelerator.foldingsFor(net, h, w, 200_000));
        Path dir = Path.of("target", "designs", acc.name());
        DesignWriter.write(dir, DesignWriter.filesWithHarness(acc), true);
        Path exe = BUILD.build(dir, acc.name());
        IntTensor crop = unetq.golden.GreyImage.read(unetq.golden.SharedData.dataset("isbi2012-em").resolve("images/22.png"))
                .crop(240, 100, h, w);
        List<List<BigInteger>> in = new ArrayList<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                in.add(List.of(BigInteger.valueOf(crop.get(0, y, x))));
            }
        }
        // the first output comes after most of a frame: size the watchdog from the slowest layer
        StreamRun.Result r = StreamRun.run(exe, dir, in, in.size(),
                new StreamRun.Options(4, 0.3, 0.3, 20 * acc.boundCyclesPerFrame()));
        QuantizedUNet.Result want = net.forward(crop);
        long foreground = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                StreamRun.Beat b = r.outputs().get(y * w + x);
                assertEquals(want.logits().get(0, y, x), unetq.golden.Bits.signExtend(b.fields().get(1).longValue(),
                        acc.logitBits()), "logit at (y=" + y + ", x=" + x + ")");
                assertEquals(want.mask()[y][x] ? 1 : 0, b.fields().get(0).intValue());
                foreground += want.mask()[y][x] ? 1 : 0;
            }
        }
        assertTrue(foreground > 0 && foreground < (long) h * w, "a real segmentation, not a constant mask");
        System.out.printf("shipped EM model 48x48: %d logits and masks equal, %d foreground pixels, %d cycles%n",
                2L * h * w, foreground, r.cycles());
    }
}
