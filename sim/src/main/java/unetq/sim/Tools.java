package unetq.sim;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that finds external tools on PATH, asks their versions and reports them. A missing
 * tool is an error naming its Debian package; nothing is skipped silently.
 */
public final class Tools {
    private static final Map<Tool, Optional<Path>> FOUND = new EnumMap<>(Tool.class);
    private static final Map<Tool, String> VERSIONS = new EnumMap<>(Tool.class);

    private Tools() {
    }

    /** Path of the tool, or empty when it is not installed. */
    public static synchronized Optional<Path> find(Tool tool) {
        return FOUND.computeIfAbsent(tool, t -> {
            String path = System.getenv("PATH");
            if (path == null) {
                return Optional.empty();
            }
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, t.command());
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        });
    }

    /** Path of the tool; throws {@link ToolMissingException} naming the package when missing. */
    public static Path require(Tool tool) {
        return find(tool).orElseThrow(() -> new ToolMissingException(tool));
    }

    /** First line the tool prints about its version. */
    public static synchronized String version(Tool tool) {
        String cached = VERSIONS.get(tool);
        if (cached != null) {
            return cached;
        }
        Path exe = require(tool);
        String line;
        if (tool.versionFlag() == null) {
            line = "installed (" + tool.debianPackage() + ", no version flag)";
        } else {
            // the line naming the tool (Debian's chromium wrapper prints a shell warning first), else the first
            List<String> lines = Proc.run(List.of(exe.toString(), tool.versionFlag()), null, 1).output().lines()
                    .filter(l -> !l.isBlank()).toList();
            String name = tool.command().replaceAll("-.*", "").toLowerCase(java.util.Locale.ROOT);
            line = lines.stream().filter(l -> l.strip().toLowerCase(java.util.Locale.ROOT).startsWith(name)).findFirst()
                    .orElse(lines.isEmpty() ? "unknown version" : lines.get(0)).trim();
        }
        VERSIONS.put(tool, line);
        return line;
    }

    /** A table of every tool: found or not, and its version. */
    public static String report() {
        StringBuilder sb = new StringBuilder();
        for (Tool t : Tool.values()) {
            Optional<Path> p = find(t);
            sb.append(String.format("%-14s %s%n", t.command(),
                    p.isPresent() ? version(t) + "  (" + p.get() + ")" : "MISSING - apt-get install -y " + t.debianPackage()));
        }
        return sb.toString();
    }
}
