package unetq.sim;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import unetq.golden.IntTensor;
import unetq.hw.block.ConvLayer;

/**
 * Co-simulates a {@link ConvLayer} block against its golden layer: streams whole frames through
 * the Verilator build (SIMD channels a beat) and compares every output code (PE a beat), naming the
 * first mismatch by layer, frame, channel and pixel. {@code outputCycles} holds, per output pixel,
 * the cycle its last group left.
 */
public final class ConvLayerCosim {

    /** What a run compared and found. */
    public record Report(String layer, long valuesCompared, long mismatches, String firstMismatch,
                         List<Long> outputCycles, long cycles) {
        public boolean bitExact() {
            return mismatches == 0;
        }
    }

    private ConvLayerCosim() {
    }

    /** Writes the design (with harness) into {@code designDir} and builds it. */
    public static Path prepare(ConvLayer block, Path designDir, VerilatorBuild build) {
        return build.build(block, designDir);
    }

    public static Report run(ConvLayer block, Path executable, Path designDir, List<IntTensor> frames,
                             StreamRun.Options options) {
        List<List<BigInteger>> inputs = new ArrayList<>();
        List<IntTensor> expected = new ArrayList<>();
        for (IntTensor frame : frames) {
            expected.add(block.layer().forward(frame));
            int simd = block.folding().simd();
            long[] group = new long[simd];
            for (int y = 0; y < frame.height(); y++) {
                for (int x = 0; x < frame.width(); x++) {
                    for (int g = 0; g < frame.channels() / simd; g++) {
                        for (int c = 0; c < simd; c++) {
                            group[c] = frame.get(g * simd + c, y, x);
                        }
                        inputs.add(List.of(block.packInput(group)));
                    }
                }
            }
        }
        int pe = block.folding().pe();
        int outBeats = expected.stream().mapToInt(t -> t.height() * t.width() * t.channels() / pe).sum();
        StreamRun.Result result = StreamRun.run(executable, designDir, inputs, outBeats, options);
        long compared = 0;
        long mismatches = 0;
        String first = null;
        List<Long> cycles = new ArrayList<>();
        int beat = 0;
        for (int f = 0; f < expected.size(); f++) {
            IntTensor want = expected.get(f);
            for (int y = 0; y < want.height(); y++) {
                for (int x = 0; x < want.width(); x++) {
                    for (int g = 0; g < want.channels() / pe; g++) {
                        StreamRun.Beat out = result.outputs().get(beat++);
                        if (g == want.channels() / pe - 1) {
                            cycles.add(out.cycle());
                        }
                        long[] got = block.unpackOutput(out.fields().get(0));
                        for (int k = 0; k < pe; k++) {
                            int c = g * pe + k;
                            compared++;
                            if (got[k] != want.get(c, y, x)) {
                                mismatches++;
                                if (first == null) {
                                    first = block.name() + ": frame " + f + ", channel " + c + ", pixel (y=" + y + ", x=" + x
                                            + "): RTL " + got[k] + ", golden " + want.get(c, y, x);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Report(block.name(), compared, mismatches, first, cycles, result.cycles());
    }
}
