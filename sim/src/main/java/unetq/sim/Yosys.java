package unetq.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        String script = "read_verilog " + String.join(" ", verilogFiles(designDir)) + "; hierarchy -top " + top
                + "; proc; select -assert-none t:$dlatch t:$adlatch t:$dlatchsr; "
                + family.command + " -top " + top + "; select -assert-none t:" + family.latchCells + "; stat";
        return run(designDir, script);
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

    /** Runs a Yosys script in the design folder (so $readmemh finds the .memh files). */
    public static String run(Path designDir, String script) {
        Path yosys = Tools.require(Tool.YOSYS);
        try {
            Path log = Files.createTempFile("yosys", ".log");
            Process p = new ProcessBuilder(yosys.toString(), "-q", "-l", log.toString(), "-p", script)
                    .directory(designDir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new SimulationException("yosys timed out on " + designDir);
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (p.exitValue() != 0) {
                String first = (out + "\n" + text).lines().filter(l -> l.contains("ERROR") || l.contains("Assertion"))
                        .findFirst().orElse("exit code " + p.exitValue());
                throw new SimulationException("yosys failed on " + designDir + ": " + first.trim());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run yosys: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while running yosys");
        }
    }
}
