package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.hw.design.BuildFiles;
import unetq.hw.design.DesignWriter;
import unetq.hw.design.UNetDesign;

/**
 * A design folder's board files and Vivado script, checked without Vivado: every port the board files pin
 * exists on the top, and the Tcl, run in tclsh with Vivado's commands recording their calls, adds every
 * Verilog file of files.f, every memory image and both constraint files, and sets the top.
 */
class BoardFilesIT {
    private static final List<String> VIVADO = List.of("create_project", "add_files", "set_property", "get_files",
            "current_fileset", "launch_runs", "wait_on_run", "open_run", "report_utilization", "report_timing_summary");

    @Test
    void vivadoScriptAddsTheWholeFolderAndBoardPinsNameRealPorts(@TempDir Path tmp) throws Exception {
        QuantizedUNet net = QuantizedUNet.random(UNetTopology.preset("1-2"), QFormat.weights(4), QFormat.activations(6), 3);
        UNetDesign design = new UNetDesign(net, "random", 16, 16, 100, 10);
        Path dir = tmp.resolve("design");
        DesignWriter.write(dir, design.files(), true);
        String top = Files.readString(dir.resolve(UNetDesign.TOP + ".v"));
        Set<String> ports = new TreeSet<>();
        Matcher pm = Pattern.compile("(?m)^\\s*(?:input|output) wire\\s+(?:\\[[^\\]]*\\]\\s*)?(\\w+)").matcher(top);
        while (pm.find()) {
            ports.add(pm.group(1));
        }
        for (String board : List.of("constraints/pynq-z2.xdc", "constraints/icebreaker.pcf")) {
            Matcher m = Pattern.compile("get_ports \\{ (\\w+) \\}|set_io -nowarn (\\w+)").matcher(Files.readString(dir.resolve(board)));
            int pinned = 0;
            while (m.find()) {
                String port = m.group(1) != null ? m.group(1) : m.group(2);
                assertTrue(ports.contains(port), board + " pins " + port + ", which the top does not have: " + ports);
                pinned++;
            }
            assertTrue(pinned >= 3, board + ": clock, reset and status");
        }

        StringBuilder stubs = new StringBuilder();
        for (String cmd : VIVADO) {
            stubs.append("proc ").append(cmd).append(" {args} { puts \"").append(cmd).append(" $args\"; return {} }\n");
        }
        Path runner = tmp.resolve("run.tcl");
        Files.writeString(runner, stubs + "source " + dir.resolve(BuildFiles.VIVADO_SCRIPT) + "\n");
        Process p = new ProcessBuilder(Tools.require(Tool.TCLSH).toString(), runner.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        for (String v : Files.readAllLines(dir.resolve(DesignWriter.FILE_LIST))) {
            if (!v.isBlank()) {
                assertTrue(log.contains("add_files -norecurse " + dir.resolve(v.strip())), v + " not added:\n" + log);
            }
        }
        try (var memh = Files.list(dir)) {
            for (Path m : memh.filter(f -> f.toString().endsWith(".memh")).toList()) {
                assertTrue(log.contains(m.toString()), m + " not added:\n" + log);
            }
        }
        assertTrue(log.contains("create_project unet_pynq_z2 " + dir.resolve("vivado") + " -part xc7z020clg400-1 -force"), log);
        assertTrue(log.contains("add_files -fileset constrs_1 -norecurse {" + dir.resolve("constraints/pynq-z2.xdc") + " "
                + dir.resolve("constraints/clock.xdc") + "}"), log);
        assertTrue(log.contains("set_property top unet"), log);
        assertTrue(log.contains("launch_runs impl_1"), log);
    }
}
