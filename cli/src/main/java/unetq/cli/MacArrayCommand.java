package unetq.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import unetq.golden.QFormat;
import unetq.files.OutputFolder;
import unetq.hw.block.MacArray;
import unetq.hw.design.MacArrayDesign;

/** {@code unetq generate mac-array}: a standalone fixed-point MAC array with its harness. */
@Command(name = "mac-array", mixinStandardHelpOptions = true,
        description = "A standalone R x C fixed-point MAC array, its Verilator harness, design.json and a README.",
        footer = {"", "Examples:",
                "  unetq generate mac-array --wbits 4 --abits 6 --rows 4 --cols 4 --out /tmp/m",
                "  unetq generate mac-array --weights Q8.8 --activations Q8.8 --rows 2 --cols 9 --out /tmp/q88"})
final class MacArrayCommand implements Callable<Integer> {
    static final int MAX_DIM = 256;

    @CommandLine.Mixin
    BitOptions bits = new BitOptions();

    @Option(names = "--rows", required = true, paramLabel = "R", description = "Rows (output lanes), 1..256.")
    int rows;

    @Option(names = "--cols", required = true, paramLabel = "C", description = "Columns (inputs per lane), 1..256.")
    int cols;

    @Option(names = "--beats", defaultValue = "9", paramLabel = "N",
            description = "Beats accumulated per sum, sizes the accumulator (default ${DEFAULT-VALUE}: a 3x3 window).")
    int beats;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (new or empty).")
    Path out;

    @Option(names = "--force", description = "Replace the output folder if it is not empty (only a folder unetq wrote).")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        QFormat w = bits.weightFormat();
        QFormat a = bits.activationFormat();
        requireRange("--rows", rows);
        requireRange("--cols", cols);
        if (beats < 1 || beats > 1 << 20) {
            throw new UsageError("--beats must be between 1 and " + (1 << 20) + ", got " + beats);
        }
        OutputFolder folder = Checks.outputFolder(out, force, "--out");
        MacArrayDesign design = new MacArrayDesign(w, a, rows, cols, beats);
        Map<String, String> files = design.files();
        try (folder) {
            folder.write(files);
            folder.publish();
        }
        MacArray mac = design.mac();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("mac-array %dx%d -> %s%n", rows, cols, out);
        o.printf("  weights     %s%n", w.describe());
        o.printf("  activations %s%n", a.describe());
        o.printf("  products %d bits, accumulators %d bits (%d beats), %d MACs per cycle%n", mac.productBits(),
                mac.accBits(), beats, rows * cols);
        o.printf("  wrote %d files: %s%n", files.size(), String.join(", ", files.keySet()));
        return 0;
    }

    private static void requireRange(String flag, int v) {
        if (v < 1 || v > MAX_DIM) {
            throw new UsageError(flag + " must be between 1 and " + MAX_DIM + ", got " + v);
        }
    }
}
