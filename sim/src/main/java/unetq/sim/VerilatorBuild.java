package unetq.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.io.FileUtils;

/**
 * Builds a design's Verilator simulator once per content hash: the hash covers the Verilog
 * sources, the harness, the flags and the Verilator version, not the .memh files (they are read
 * at run time from the design folder, so new weights need no rebuild). Object files go through
 * ccache ({@code OBJCACHE}) when it is installed.
 */
public final class VerilatorBuild {
    /** Flags every build uses: lint as errors, random initial values to expose missing resets. */
    static final List<String> FLAGS = List.of("--cc", "--exe", "--build", "-j", "2", "-Wall", "--x-assign", "unique",
            "--x-initial", "unique", "-O3");
    public static final String EXECUTABLE = "sim";

    private final Path cacheRoot;
    private final Consumer<String> progress;

    public VerilatorBuild(Path cacheRoot, Consumer<String> progress) {
        this.cacheRoot = cacheRoot;
        this.progress = progress;
    }

    /** Cache under {@code <unetq.root>/target/verilator-cache} (the repository root when run by Maven or ./unetq). */
    public static VerilatorBuild defaultCache(Consumer<String> progress) {
        String root = System.getProperty("unetq.root", System.getenv().getOrDefault("UNETQ_ROOT", "."));
        // absolute: the simulator later runs inside the design folder
        return new VerilatorBuild(Path.of(root, "target", "verilator-cache").toAbsolutePath(), progress);
    }

    /** Writes {@code block}'s files and its stream harness to {@code designDir} and builds its simulator. */
    public Path build(unetq.hw.block.HardwareBlock block, Path designDir) {
        unetq.hw.design.DesignWriter.write(designDir, unetq.hw.design.DesignWriter.filesWithHarness(block), true);
        return build(designDir, block.name());
    }

    /** The simulator executable for the design in {@code designDir} (sources from its files.f). */
    public Path build(Path designDir, String top) {
        Path verilator = Tools.require(Tool.VERILATOR);
        try {
            List<Path> sources = sources(designDir);
            String key = hash(sources, designDir);
            Path dir = cacheRoot.resolve(top + "-" + key.substring(0, 16));
            Path exe = dir.resolve("obj").resolve(EXECUTABLE);
            if (Files.isExecutable(exe)) {
                progress.accept("verilator: " + top + " is cached (" + dir.getFileName() + ")");
                return exe;
            }
            Path tmp = Files.createDirectories(cacheRoot).resolve(dir.getFileName() + ".tmp" + ProcessHandle.current().pid());
            FileUtils.deleteDirectory(tmp.toFile());
            Path src = Files.createDirectories(tmp.resolve("src"));
            for (Path s : sources) {
                Files.copy(designDir.resolve(s), src.resolve(s.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(verilator.toString());
            cmd.addAll(FLAGS);
            cmd.addAll(List.of("--top-module", top, "-Mdir", "obj", "-o", EXECUTABLE,
                    "-CFLAGS", "-I../src"));
            for (Path s : sources) {
                if (!s.toString().endsWith(".h")) {
                    cmd.add("src/" + s.getFileName());
                }
            }
            Path log = tmp.resolve("build.log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (Tools.find(Tool.CCACHE).isPresent()) {
                pb.environment().put("OBJCACHE", "ccache");
            }
            long start = System.nanoTime();
            progress.accept("verilator: building " + top + " (" + sources.size() + " files) ...");
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new SimulationException("verilator build of " + top + " timed out; log: " + log);
            }
            if (p.exitValue() != 0) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                throw new SimulationException("verilator build of " + top + " failed (log " + log + "):\n"
                        + text.lines().filter(l -> l.contains("%Error") || l.contains("%Warning") || l.contains("error:"))
                        .limit(20).reduce("", (a, b) -> a + b + "\n"));
            }
            progress.accept(String.format("verilator: built %s in %.1f s", top, (System.nanoTime() - start) / 1e9));
            FileUtils.deleteDirectory(dir.toFile());
            Files.move(tmp, dir);
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException("verilator build of " + top + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while building " + top);
        }
    }

    /** Verilog sources listed in files.f, then the harness's Verilog (a simulation wrapper) and driver files. */
    static List<Path> sources(Path designDir) throws IOException {
        List<Path> out = new ArrayList<>();
        Path list = designDir.resolve("files.f");
        if (!Files.isRegularFile(list)) {
            throw new SimulationException(designDir + " is not a unetq design folder: files.f is missing");
        }
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(Path.of(line.trim()));
            }
        }
        Path harness = designDir.resolve("harness");
        if (Files.isDirectory(harness)) { // simulation-only Verilog (a wrapper around the design), not in files.f
            try (var files = Files.list(harness)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".v")).sorted()
                        .forEach(n -> out.add(Path.of("harness", n)));
            }
        }
        out.add(Path.of("harness", "harness_config.h"));
        out.add(Path.of("harness", "stream_harness.cpp"));
        for (Path p : out) {
            if (!Files.isRegularFile(designDir.resolve(p))) {
                throw new SimulationException("design file missing: " + designDir.resolve(p));
            }
        }
        return out;
    }

    private static String hash(List<Path> sources, Path designDir) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Tools.version(Tool.VERILATOR).getBytes(StandardCharsets.UTF_8));
            md.update(String.join(" ", FLAGS).getBytes(StandardCharsets.UTF_8));
            for (Path s : sources) {
                md.update(s.toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(Files.readAllBytes(designDir.resolve(s)));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
