package unetq.sim;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a built stream harness: input beats go to its stdin from a writer thread, output beats come
 * back from stdout with the cycle they left the design. The harness runs in the design folder, where
 * {@code $readmemh} finds the .memh files.
 */
public final class StreamRun {
    /** One output beat: the cycle of its handshake and its data fields. */
    public record Beat(long cycle, List<BigInteger> fields) {
    }

    /** Everything a run produced. */
    public record Result(List<Beat> outputs, long cycles) {
    }

    /** Random stalls and watchdog of a run. */
    public record Options(long seed, double inStall, double outStall, long watchdogCycles) {
        public static Options noStalls() {
            return new Options(1, 0, 0, 200_000);
        }

        public static Options randomStalls(long seed) {
            return new Options(seed, 0.3, 0.3, 200_000);
        }
    }

    /** Told of the run's progress: outputs so far and the current cycle (at every output and heartbeat). */
    @FunctionalInterface
    public interface Listener {
        void at(long outputs, long cycle);
    }

    private StreamRun() {
    }

    /** Each input beat is a list of fields (the harness's IN_FIELDS order). */
    public static Result run(Path executable, Path designDir, List<List<BigInteger>> inputs, long expectedOutputs,
                             Options options) {
        return run(executable, designDir, inputs, expectedOutputs, options, (outputs, cycle) -> { });
    }

    /** As {@link #run(Path, Path, List, long, Options)}, telling {@code listener} how far the run is. */
    public static Result run(Path executable, Path designDir, List<List<BigInteger>> inputs, long expectedOutputs,
                             Options options, Listener listener) {
        List<String> cmd = List.of(executable.toString(), "--seed", Long.toString(options.seed()),
                "--in-stall", Double.toString(options.inStall()), "--out-stall", Double.toString(options.outStall()),
                "--watchdog", Long.toString(options.watchdogCycles()), "--expect", Long.toString(expectedOutputs),
                "+verilator+seed+" + (Math.floorMod(options.seed(), 1_000_000) + 1), "+verilator+rand+reset+2");
        try {
            Process p = new ProcessBuilder(cmd).directory(designDir.toFile()).start();
            Thread writer = new Thread(() -> feed(p, inputs), "harness-stdin");
            writer.setDaemon(true);
            writer.start();
            StringBuilder err = new StringBuilder();
            Thread errReader = new Thread(() -> drain(p, err), "harness-stderr");
            errReader.setDaemon(true);
            errReader.start();
            List<Beat> outputs = new ArrayList<>();
            long cycles = -1;
            String liveness = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("o ")) {
                        String[] tok = line.split(" ");
                        List<BigInteger> fields = new ArrayList<>();
                        for (int i = 2; i < tok.length; i++) {
                            fields.add(new BigInteger(tok[i], 16));
                        }
                        long cycle = Long.parseLong(tok[1]);
                        outputs.add(new Beat(cycle, fields));
                        listener.at(outputs.size(), cycle);
                    } else if (line.startsWith("c ")) {
                        listener.at(outputs.size(), Long.parseLong(line.substring(2).trim()));
                    } else if (line.startsWith("done ")) {
                        cycles = Long.parseLong(line.substring(5).trim());
                    } else if (line.startsWith("liveness")) {
                        liveness = line;
                    }
                }
            }
            p.waitFor(1, TimeUnit.MINUTES);
            errReader.join(1000);
            if (liveness != null) {
                throw new LivenessException(liveness);
            }
            if (p.exitValue() != 0 || cycles < 0) {
                throw new SimulationException("simulation exited with code " + p.exitValue() + ": "
                        + err.toString().lines().findFirst().orElse("(no message)"));
            }
            return new Result(outputs, cycles);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while simulating");
        }
    }

    private static void feed(Process p, List<List<BigInteger>> inputs) {
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            for (List<BigInteger> beat : inputs) {
                line.setLength(0);
                for (BigInteger f : beat) {
                    if (line.length() > 0) {
                        line.append(' ');
                    }
                    line.append(f.toString(16));
                }
                w.write(line.append('\n').toString());
            }
        } catch (IOException e) {
            // the harness exited early (e.g. liveness); its exit status tells the story
        }
    }

    private static void drain(Process p, StringBuilder err) {
        try {
            err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.append(e.getMessage());
        }
    }
}
