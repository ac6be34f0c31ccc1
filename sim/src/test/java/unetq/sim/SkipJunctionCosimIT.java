package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.verilog.Expr.ref;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import unetq.golden.IntTensor;
import unetq.golden.Ops;
import unetq.golden.QFormat;
import unetq.golden.RandomLayers;
import unetq.hw.block.Concat;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.MaxPool2x2;
import unetq.hw.design.PixelStream;
import unetq.hw.block.SkipFifo;
import unetq.hw.block.StreamFork;
import unetq.hw.block.UpsampleBilinear2x;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;

/**
 * A one-level U-Net skip junction: x -> fork -> [max-pool -> upsample] and [skip FIFO] -> concat.
 * Golden: concat(upsample(maxpool(x)), x). Exercises fork, FIFO and concat under the real latency
 * of the down-up path, with random stalls, and reads the FIFO's maximum occupancy.
 */
class SkipJunctionCosimIT {
    private static final VerilatorBuild BUILD = VerilatorBuild.defaultCache(System.out::println);

    static HardwareBlock junction(String name, int c, QFormat act, int h, int w, int depth) {
        int bits = act.hardwareBits();
        MaxPool2x2 pool = new MaxPool2x2(name + "_pool", c, c, bits, h, w);
        UpsampleBilinear2x up = new UpsampleBilinear2x(name + "_up", c, c, bits, h / 2, w / 2,
                Ops.upsampledFormat(act).hardwareBits());
        SkipFifo fifo = new SkipFifo(name + "_fifo", c * bits, depth);
        StreamFork fork = new StreamFork(name + "_fork", c * bits);
        Concat cat = new Concat(name + "_cat", c, Ops.upsampledFormat(act), c, act, c);
        return new HardwareBlock() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long cyclesPerOutput() {
                return 1;
            }

            @Override
            public Map<String, String> memoryFiles() {
                return Map.of();
            }

            @Override
            public List<Module> modules() {
                List<Module> all = new ArrayList<>();
                for (HardwareBlock b : List.of(pool, up, fifo, fork, cat)) {
                    all.addAll(b.modules());
                }
                Module.Builder m = Module.builder(name).description("Test junction: fork, pool, upsample, skip FIFO, concat.");
                m.input("clk", 1, "");
                m.input("rst", 1, "");
                m.input("in_valid", 1, "");
                m.output("in_ready", 1, "");
                m.input("in_data", c * bits, "");
                m.output("out_valid", 1, "");
                m.input("out_ready", 1, "");
                m.output("out_data", c * cat.outputBits(), "a pixel's up channels, then its skip channels");
                String[] wires = {"a", "b", "p", "u", "s"};
                int[] widths = {c * bits, c * bits, c * bits, c * up.outputBits(), c * bits};
                for (int i = 0; i < wires.length; i++) {
                    m.wire(wires[i] + "_valid", 1, "");
                    m.wire(wires[i] + "_ready", 1, "");
                    m.wire(wires[i] + "_data", widths[i], "");
                }
                m.add(inst(fork.name(), "u_fork", Map.of("in", "in", "a", "a", "b", "b")));
                m.add(inst(pool.name(), "u_pool", Map.of("in", "a", "out", "p")));
                m.add(inst(up.name(), "u_up", Map.of("in", "p", "out", "u")));
                m.add(inst(fifo.name(), "u_fifo", Map.of("in", "b", "out", "s")));
                m.add(inst(cat.name(), "u_cat", Map.of("in", "u", "skip", "s", "out", "out")));
                all.add(m.build());
                return all;
            }
        };
    }

    private static ModuleItem inst(String module, String name, Map<String, String> streams) {
        unetq.hw.block.StreamPorts p = unetq.hw.block.StreamPorts.clocked();
        streams.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> p.stream(e.getKey(), e.getValue()));
        return new ModuleItem.Instance(module, name, Map.of(), p.map(), "");
    }

    @ParameterizedTest(name = "junction {0}ch {1}x{2}")
    @CsvSource({"2, 6, 8", "3, 4, 4", "1, 8, 6"})
    void forkFifoConcatAreBitExactUnderStalls(int c, int h, int w) {
        QFormat act = QFormat.activations(6);
        int depth = 6 * w; // generous here; the whole-network generator sizes it by analysis
        HardwareBlock j = junction("junction_" + c + "_" + h + "x" + w, c, act, h, w, depth);
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
