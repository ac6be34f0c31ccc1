package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import unetq.golden.QFormat;
import unetq.golden.RandomLayers;
import unetq.hw.block.ConvLayer;
import unetq.hw.design.DesignWriter;
import unetq.hw.schedule.Folding;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.MacArray;

/** Generated RTL is verilator -Wall and iverilog -g2005 -Wall clean, and latch-free after Yosys synthesis. */
class LintAndSynthesisIT {

    private static Path write(HardwareBlock block) {
        Path dir = Path.of("target", "designs", "lint_" + block.name());
        DesignWriter.write(dir, DesignWriter.files(block), true);
        return dir;
    }

    @Test
    void macArrayOfThePaperFormatsIsCleanAndLatchFree() {
        MacArray mac = MacArray.forFormats("mac_array", 4, 4, QFormat.activations(6), QFormat.weights(4), 9,
                unetq.hw.block.MacForm.Kind.PACKED);
        Path dir = write(mac);
        Lint.verilatorWall(dir, mac.name());
        Lint.icarus2005(dir);
        String log = Yosys.checkLatchFree(dir, mac.name(), Yosys.Family.XC7);
        assertTrue(log.contains("Number of cells"), "yosys printed its statistics");
        Yosys.checkLatchFree(dir, mac.name(), Yosys.Family.ICE40);
    }

    @Test
    void poolAndUpsamplerAreCleanAndLatchFree() {
        for (HardwareBlock b : java.util.List.<HardwareBlock>of(new unetq.hw.block.MaxPool2x2("pool_lint", 6, 3, 7, 4, 6),
                new unetq.hw.block.UpsampleBilinear2x("up_lint", 6, 3, 7, 3, 5, 11))) {
            Path dir = write(b);
            Lint.verilatorWall(dir, b.name());
            Lint.icarus2005(dir);
            Yosys.checkLatchFree(dir, b.name(), Yosys.Family.XC7);
        }
    }

    record Shape(int wbits, int abits, int cin, int cout, int pe, int simd, int h, int w) {
    }

    @Test
    void convLayersAreCleanAndLatchFree() {
        Random rnd = new Random(9);
        Shape[] shapes = {new Shape(2, 8, 3, 4, 2, 3, 4, 6), new Shape(8, 6, 1, 2, 1, 1, 3, 5),
                new Shape(4, 4, 4, 8, 4, 2, 3, 3)};
        for (Shape s : shapes) {
            QFormat a = QFormat.activations(s.abits());
            ConvLayer block = new ConvLayer("conv_lint_w" + s.wbits() + "a" + s.abits(), RandomLayers.conv(rnd, "lint",
                    s.cin(), s.cout(), 3, QFormat.weights(s.wbits()), a, a, true), s.h(), s.w(),
                    new Folding(s.pe(), s.simd()));
            Path dir = write(block);
            Lint.verilatorWall(dir, block.name());
            Lint.icarus2005(dir);
            Yosys.checkLatchFree(dir, block.name(), Yosys.Family.XC7);
        }
    }
}
