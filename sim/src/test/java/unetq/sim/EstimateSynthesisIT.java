package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import unetq.golden.QFormat;
import unetq.golden.RandomLayers;
import unetq.hw.design.DesignWriter;
import unetq.hw.cost.Device;
import unetq.hw.schedule.Folding;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.MaxPool2x2;
import unetq.hw.cost.Resources;
import unetq.hw.block.SkipFifo;
import unetq.hw.block.UpsampleBilinear2x;

/**
 * The cost model against Yosys on small blocks (the full sweep is {@code unetq sweep estimates}):
 * LUTs (logic + LUTRAM) within 25 %, flip-flops within 10 %, block RAMs and DSPs exact.
 */
class EstimateSynthesisIT {
    @TestFactory
    List<DynamicTest> smallBlocksMatchYosys() {
        return List.of(
                check("conv 8->8 W4A6 PE2 SIMD4", () -> new unetq.hw.block.ConvLayer("est_conv", RandomLayers.conv(new Random(2), "e",
                        8, 8, 3, QFormat.weights(4), QFormat.activations(6), QFormat.activations(6), true), 8, 24, new Folding(2, 4))),
                check("maxpool 16ch by 4 x 7b, 64 wide", () -> new MaxPool2x2("est_pool", 16, 4, 7, 8, 64)),
                check("upsample 8ch by 2 x 7b, 16 wide", () -> new UpsampleBilinear2x("est_up", 8, 2, 7, 4, 16, 11)),
                check("skip FIFO 600 x 64b", () -> new SkipFifo("est_fifo", 64, 600)));
    }

    private static DynamicTest check(String what, Supplier<HardwareBlock> make) {
        return DynamicTest.dynamicTest(what, () -> {
            HardwareBlock b = make.get();
            Path dir = Path.of("target", "designs", b.name());
            DesignWriter.write(dir, DesignWriter.files(b), true);
            Resources syn = Synthesis.run(dir, b.name(), Device.Family.XC7).total(b.name());
            Resources est = b.resources(Device.Family.XC7);
            System.out.printf("%s: estimate %s, yosys %s%n", what, est, syn);
            long el = est.luts() + est.lutram();
            long sl = syn.luts() + syn.lutram();
            assertTrue(Math.abs(el - sl) <= 0.25 * sl, what + ": LUT " + el + " vs yosys " + sl);
            assertTrue(Math.abs(est.ffs() - syn.ffs()) <= 0.10 * syn.ffs(), what + ": FF " + est.ffs() + " vs yosys " + syn.ffs());
            assertEquals(syn.bram18(), est.bram18(), what + ": BRAM18");
            assertEquals(syn.dsps(), est.dsps(), what + ": DSP");
        });
    }
}
