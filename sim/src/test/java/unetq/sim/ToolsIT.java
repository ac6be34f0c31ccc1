package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ToolsIT {
    @Test
    void everyToolIsFoundAndVersioned() {
        String report = Tools.report();
        for (Tool t : Tool.values()) {
            assertTrue(Tools.find(t).isPresent(), t.installHint());
            assertTrue(report.contains(t.command()), report);
        }
        assertTrue(Tools.version(Tool.VERILATOR).startsWith("Verilator 5"), Tools.version(Tool.VERILATOR));
        assertTrue(Tools.version(Tool.YOSYS).startsWith("Yosys"), Tools.version(Tool.YOSYS));
        assertTrue(Tools.version(Tool.CHROMIUM).startsWith("Chromium"), Tools.version(Tool.CHROMIUM));
    }

    @Test
    void missingToolNamesItsPackage() {
        assertEquals("nextpnr-ice40 not found on PATH: install it with `apt-get install -y nextpnr-ice40`",
                new ToolMissingException(Tool.NEXTPNR_ICE40).getMessage());
        assertEquals("icepack not found on PATH: install it with `apt-get install -y fpga-icestorm`",
                Tool.ICEPACK.installHint());
    }
}
