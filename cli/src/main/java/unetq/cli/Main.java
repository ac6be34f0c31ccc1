package unetq.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import unetq.hw.design.Version;

/**
 * The {@code unetq} command. Exit codes: 0 success, 1 failure (a tool, build or check failed),
 * 2 usage error (bad options or input). Errors are one line; {@code --verbose} adds the stack trace.
 */
@Command(name = "unetq", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Generate, simulate and check fixed-point U-Net FPGA accelerators.",
        subcommands = {DemoCommand.class, TrainCommand.class, CurvesCommand.class, ExportCommand.class, EvalCommand.class, GenerateCommand.class, SimulateCommand.class, EstimateCommand.class, SweepCommand.class, ToolsCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  unetq generate mac-array --wbits 4 --abits 6 --rows 4 --cols 4 --out rtl-out/mac",
                "  unetq tools"})
public final class Main implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command (see unetq --help)");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line and returns its exit code (used by tests, too). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        // help examples are single command lines: wide enough that none is broken in the middle of a path
        cl.setUsageHelpWidth(USAGE_WIDTH);
        withVersion(cl);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("unetq: " + firstLine(ex.getMessage()));
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean usage = ex instanceof UsageError || ex instanceof IllegalArgumentException;
            err.println("unetq: " + (usage ? "" : "error: ") + firstLine(ex.getMessage()));
            if (main.verbose) {
                ex.printStackTrace(err);
            }
            return usage ? 2 : 1;
        });
        try {
            return cl.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) { // a defect or a design too large for this JVM: one line, not a trace
            err.println("unetq: error: " + (e instanceof OutOfMemoryError ? "out of memory" : "stack overflow")
                    + " (run with --verbose for the trace; java -Xmx raises the memory)");
            if (main.verbose) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /** The widest help line: the longest example command. */
    static final int USAGE_WIDTH = 120;

    /** Every subcommand answers -V / --version with unetq's version. */
    private static void withVersion(CommandLine cl) {
        cl.getCommandSpec().versionProvider(new VersionProvider());
        cl.getSubcommands().values().forEach(Main::withVersion);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected error (run with --verbose)";
        }
        return message.lines().findFirst().orElse(message);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"unetq " + Version.VERSION};
        }
    }
}
