package unetq.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import unetq.golden.Ops;
import unetq.golden.QFormat;
import unetq.hw.block.Concat;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.MaxPool2x2;
import unetq.hw.block.SkipFifo;
import unetq.hw.block.StreamFork;
import unetq.hw.block.UpsampleBilinear2x;
import unetq.verilog.Module;
import unetq.verilog.ModuleItem;

/**
 * A one-level U-Net skip junction as one block: x -&gt; fork -&gt; [max-pool -&gt; upsample] and [skip
 * FIFO] -&gt; concat, whole pixels a beat. Golden: concat(upsample(maxpool(x)), x). It drives fork, FIFO
 * and concat under the real latency of the down-up path.
 */
public final class SkipJunction {
    private SkipJunction() {
    }

    /** The junction of {@code c} channels of {@code act} on {@code h} x {@code w} pixels, with a FIFO of {@code depth} pixels. */
    public static HardwareBlock junction(String name, int c, QFormat act, int h, int w, int depth) {
        return junction(name, c, act, h, w, depth, 1);
    }

    /** As above, the FIFO packing {@code pack} beats to a memory word ({@code pack} divides h x w). */
    public static HardwareBlock junction(String name, int c, QFormat act, int h, int w, int depth, int pack) {
        int bits = act.hardwareBits();
        MaxPool2x2 pool = new MaxPool2x2(name + "_pool", c, c, bits, h, w);
        UpsampleBilinear2x up = new UpsampleBilinear2x(name + "_up", c, c, bits, h / 2, w / 2,
                Ops.upsampledFormat(act).hardwareBits());
        SkipFifo fifo = new SkipFifo(name + "_fifo", c * bits, depth, pack);
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

}
