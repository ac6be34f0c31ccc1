package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import unetq.hw.design.DesignWriter;
import unetq.hw.cost.Device;
import unetq.hw.cost.MemoryMapping;
import unetq.hw.cost.Resources;
import unetq.hw.block.SkipFifo;

/**
 * The memory model against Yosys: a FIFO's memory lands in distributed or block RAM and takes
 * exactly the blocks {@link MemoryMapping} predicts (7-series), including the skip-buffer shapes
 * of the shipped 200x200 design.
 */
class MemoryMappingSynthesisIT {
    @ParameterizedTest(name = "{0} x {1} bits")
    @CsvSource({"16, 8", "64, 64", "128, 16", "256, 12", "2048, 9", "200, 96", "2609, 192", "375, 384", "1244, 40"})
    void fifoMemoryMapsAsPredicted(int entries, int width) {
        SkipFifo fifo = new SkipFifo("mm_" + entries + "x" + width, width, entries + 1);
        Path dir = Path.of("target", "designs", fifo.name());
        DesignWriter.write(dir, DesignWriter.files(fifo), true);
        Resources got = Synthesis.run(dir, fifo.name(), Device.Family.XC7).total(fifo.name());
        Resources want = MemoryMapping.of(fifo.memories().get(0), Device.Family.XC7);
        System.out.printf("fifo memory %d x %d: yosys %d BRAM18 + %d LUTRAM LUTs, model %d + %d%n", entries, width,
                got.bram18(), got.lutram(), want.bram18(), want.lutram());
        assertEquals(want.bram18(), got.bram18(), "BRAM18");
        assertEquals(want.lutram(), got.lutram(), "LUTs as memory");
    }
}
