package unetq.sim;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import unetq.golden.IntTensor;
import unetq.hw.block.HardwareBlock;
import unetq.hw.design.PixelStream;

/**
 * Co-simulation of any single-stream block (in_data -&gt; out_data): writes it with its harness,
 * builds it, streams tensors through it and compares the output tensors code by code.
 */
public final class BlockCosim {
    /** Values compared, mismatches, the first mismatch and the run's cycle count. */
    public record Report(long compared, long mismatches, String firstMismatch, long cycles) {
    }

    private final HardwareBlock block;
    private final Path dir;
    private final Path exe;
    private final int group;

    /** A block whose streams carry {@code group} channels a beat (C/group beats a pixel). */
    public BlockCosim(HardwareBlock block, Path dir, VerilatorBuild build, int group) {
        this.block = block;
        this.dir = dir;
        this.group = group;
        this.exe = build.build(block, dir);
    }

    /** Streams {@code inputs} (each packed at {@code inBits} per channel) and compares with {@code expected}. */
    public Report run(List<IntTensor> inputs, int inBits, List<IntTensor> expected, int outBits, StreamRun.Options options) {
        List<List<BigInteger>> beats = new ArrayList<>();
        for (IntTensor t : inputs) {
            PixelStream.packGroups(t, inBits, group).forEach(b -> beats.add(List.of(b)));
        }
        long outCount = expected.stream().mapToLong(t -> (long) t.height() * t.width() * (t.channels() / group)).sum();
        StreamRun.Result r = StreamRun.run(exe, dir, beats, outCount, options);
        List<BigInteger> out = r.outputs().stream().map(b -> b.fields().get(0)).toList();
        long compared = 0;
        long mismatches = 0;
        String first = null;
        int at = 0;
        for (int f = 0; f < expected.size(); f++) {
            IntTensor want = expected.get(f);
            IntTensor got = PixelStream.unpackGroups(out, at, want.channels(), want.height(), want.width(), outBits, group);
            at += want.height() * want.width() * (want.channels() / group);
            for (int c = 0; c < want.channels(); c++) {
                for (int y = 0; y < want.height(); y++) {
                    for (int x = 0; x < want.width(); x++) {
                        compared++;
                        if (got.get(c, y, x) != want.get(c, y, x)) {
                            mismatches++;
                            if (first == null) {
                                first = block.name() + ": frame " + f + ", channel " + c + ", pixel (y=" + y + ", x=" + x
                                        + "): RTL " + got.get(c, y, x) + ", golden " + want.get(c, y, x);
                            }
                        }
                    }
                }
            }
        }
        return new Report(compared, mismatches, first, r.cycles());
    }
}
