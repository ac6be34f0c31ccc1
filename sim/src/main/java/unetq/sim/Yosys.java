package unetq.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs Yosys on a design folder: elaboration checks (no latches) and synthesis to a family. */
public final class Yosys {
    /** Synthesis flows. */
    public enum Family {
        XC7("synth_xilinx -family xc7 -flatten -noiopad", "LD*"),
        ICE40("synth_ice40 -dsp", "$_DLATCH*");

        final String command;
        final String latchCells;

        Family(String command, String latchCells) {
            this.command = command;
            this.latchCells = latchCells;
        }
    }

    private Yosys() {
    }

    /**
     * Reads the design, checks that {@code proc} infers no latch, synthesises it and checks again
     * that no latch cell was mapped. Returns Yosys's log; throws with the first error line.
     */
    public static String checkLatchFree(Path designDir, String top, Family family) {
        return runOnDesign(designDir, "hierarchy -top " + top
                + "; proc; select -assert-none t:$dlatch t:$adlatch t:$dlatchsr; "
                + family.command + " -top " + top + "; select -assert-none t:" + family.latchCells + "; stat");
    }

    static List<String> verilogFiles(Path designDir) {
        try {
            List<String> files = new ArrayList<>();
            for (String line : Files.readAllLines(designDir.resolve("files.f"), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    files.add(line.trim());
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(designDir + " is not a unetq design folder: " + e.getMessage(), e);
        }
    }

    /** Reads the design folder's Verilog (its files.f), then runs {@code passes}; returns Yosys's log. */
    public static String runOnDesign(Path designDir, String passes) {
        return run(designDir, "read_verilog " + String.join(" ", verilogFiles(designDir)) + "; " + passes);
    }

    /** Runs a Yosys script in the design folder (so $readmemh finds the .memh files); returns its log. */
    private static String run(Path designDir, String script) {
        Proc.Result r = Proc.run(List.of(Tools.require(Tool.YOSYS).toString(), "-p", script), designDir, 20);
        if (!r.ok()) {
            String first = r.output().lines().filter(l -> l.contains("ERROR") || l.contains("Assertion"))
                    .findFirst().orElse("exit code " + r.exitCode());
            throw new SimulationException("yosys failed on " + designDir + ": " + first.trim());
        }
        return r.output();
    }
}
