package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers -V, and its help prints each example on one line, ready to paste. */
class HelpAndVersionTest {
    /** Command paths below unetq ("generate", "generate mac-array", ...), from picocli's own model. */
    private static void paths(CommandLine cl, List<String> prefix, List<List<String>> all) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(prefix);
            p.add(e.getKey());
            all.add(p);
            paths(e.getValue(), p, all);
        }
    }

    @Test
    void everySubcommandPrintsTheVersionAndWholeExamples() {
        List<List<String>> all = new ArrayList<>();
        paths(new CommandLine(new Main()), List.of(), all);
        assertTrue(all.size() >= 12, "commands found: " + all);
        for (List<String> path : all) {
            List<String> args = new ArrayList<>(path);
            args.add("-V");
            Cli.Run v = unetq(args.toArray(String[]::new));
            assertEquals(0, v.code(), path + ": " + v.err());
            assertEquals("unetq " + unetq.hw.design.Version.VERSION, v.out().strip(), path + " -V");

            args.set(args.size() - 1, "--help");
            Cli.Run h = unetq(args.toArray(String[]::new));
            assertEquals(0, h.code(), path + ": " + h.err());
            CommandLine cl = new CommandLine(new Main());
            for (String name : path) {
                cl = cl.getSubcommands().get(name);
            }
            for (String line : cl.getCommandSpec().usageMessage().footer()) {
                if (line.startsWith("  unetq ")) {
                    assertTrue(h.out().lines().anyMatch(l -> l.equals(line)), path + ": example broken across lines: " + line);
                }
            }
        }
    }

    /**
     * Paths a user gives are relative to the working folder; the files a sweep writes by default are the
     * repository's docs, wherever it runs from.
     */
    @Test
    void defaultOutputsAreTheRepositorysWhereverTheCommandRuns() {
        String root = System.getProperty("unetq.root", ".");
        for (String[] cmd : new String[][] {{"sweep", "bits"}, {"sweep", "estimates"}, {"sweep", "soak"}, {"sweep", "golden"}}) {
            Cli.Run h = unetq(cmd[0], cmd[1], "--help");
            assertTrue(h.out().replaceAll("\\s+", "").contains((root + "/docs/").replaceAll("\\s+", "")), String.join(" ", cmd)
                    + ": " + h.out());
        }
    }
}
