package unetq.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code verilator --lint-only -Wall} over a design folder. */
public final class Lint {
    private Lint() {
    }

    /** Returns normally when the design is clean; otherwise throws with Verilator's warnings. */
    public static void verilatorWall(Path designDir, String top) {
        Path verilator = Tools.require(Tool.VERILATOR);
        List<String> cmd = new ArrayList<>(List.of(verilator.toString(), "--lint-only", "-Wall", "--top-module", top));
        cmd.addAll(Yosys.verilogFiles(designDir));
        try {
            Process p = new ProcessBuilder(cmd).directory(designDir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.MINUTES);
            if (p.exitValue() != 0 || out.contains("%Warning") || out.contains("%Error")) {
                throw new SimulationException("verilator -Wall is not clean on " + top + ":\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run verilator: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while linting");
        }
    }

    /** Compiles the design with Icarus Verilog in strict Verilog-2005 mode ({@code iverilog -g2005 -Wall}). */
    public static void icarus2005(Path designDir) {
        Path iverilog = Tools.require(Tool.IVERILOG);
        List<String> cmd = new ArrayList<>(List.of(iverilog.toString(), "-g2005", "-Wall", "-o", "/dev/null"));
        cmd.addAll(Yosys.verilogFiles(designDir));
        try {
            Process p = new ProcessBuilder(cmd).directory(designDir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.MINUTES);
            if (p.exitValue() != 0 || !out.isBlank()) {
                throw new SimulationException("iverilog -g2005 -Wall is not clean on " + designDir + ":\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run iverilog: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while compiling with iverilog");
        }
    }
}
