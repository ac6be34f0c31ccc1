package unetq.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Lint checks of a design folder: {@code verilator --lint-only -Wall} and {@code iverilog -g2005 -Wall}. */
public final class Lint {
    private Lint() {
    }

    /** Returns normally when Verilator has nothing to say; otherwise throws with its warnings. */
    public static void verilatorWall(Path designDir, String top) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require(Tool.VERILATOR).toString(), "--lint-only", "-Wall",
                "--top-module", top));
        cmd.addAll(Yosys.verilogFiles(designDir));
        Proc.Result r = Proc.run(cmd, designDir, 5);
        if (!r.ok() || r.output().contains("%Warning") || r.output().contains("%Error")) {
            throw new SimulationException("verilator -Wall is not clean on " + top + ":\n" + r.output());
        }
    }

    /** Compiles the design with Icarus Verilog in strict Verilog-2005 mode; any message is a failure. */
    public static void icarus2005(Path designDir) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require(Tool.IVERILOG).toString(), "-g2005", "-Wall", "-o",
                "/dev/null"));
        cmd.addAll(Yosys.verilogFiles(designDir));
        Proc.Result r = Proc.run(cmd, designDir, 5);
        if (!r.ok() || !r.output().isBlank()) {
            throw new SimulationException("iverilog -g2005 -Wall is not clean on " + designDir + ":\n" + r.output());
        }
    }
}
