package unetq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code unetq curves}: learning curves of training logs, as PNGs beside them. */
@Command(name = "curves", mixinStandardHelpOptions = true,
        description = "Plot the validation Dice per epoch of `unetq train` logs: LOG.png beside each LOG "
                + "(train also writes NAME.curve.png beside its model).",
        footer = {"", "Example:", "  unetq curves docs/training-runs/*.log --force"})
final class CurvesCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LOG", arity = "1..*", description = "Training logs (what `unetq train` printed).")
    List<Path> logs;

    @CommandLine.Option(names = "--force", description = "Replace existing plots.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<List<LearningCurve.Point>> curves = new ArrayList<>();
        List<unetq.files.OutputFile> outs = new ArrayList<>();
        for (Path log : logs) {
            if (!Files.isRegularFile(log)) {
                throw new UsageError(log + ": no such log");
            }
            List<LearningCurve.Point> points = LearningCurve.parse(Files.readAllLines(log));
            if (points.isEmpty()) {
                throw new UsageError(log + " holds no epoch lines of `unetq train`");
            }
            curves.add(points);
            outs.add(Checks.outputFile(png(log), force, "the plot of " + log));
        }
        for (int i = 0; i < logs.size(); i++) {
            Path log = logs.get(i);
            List<String> lines = Files.readAllLines(log);
            int kept = lines.stream().filter(l -> l.startsWith("best epoch ")).map(l -> l.substring(11, l.indexOf(':')))
                    .mapToInt(Integer::parseInt).findFirst().orElse(0);
            outs.get(i).write(LearningCurve.png(log.getFileName().toString(), curves.get(i), kept));
            spec.commandLine().getOut().printf("wrote %s (%d epochs)%n", png(log), curves.get(i).size());
        }
        return 0;
    }

    static Path png(Path log) {
        String name = log.getFileName().toString();
        return log.resolveSibling((name.endsWith(".log") ? name.substring(0, name.length() - 4) : name) + ".png");
    }
}
