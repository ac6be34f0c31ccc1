package unetq.golden;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared datasets: {@code ../shared/data} beside the repository root. The root is the
 * {@code unetq.root} system property (set by Maven and by ./unetq) or the {@code UNETQ_ROOT}
 * environment variable. Missing data is an error that says where it was looked for.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String root = System.getProperty("unetq.root", System.getenv().getOrDefault("UNETQ_ROOT", "."));
        Path data = Path.of(root).toAbsolutePath().normalize().resolveSibling("shared").resolve("data");
        if (!Files.isDirectory(data)) {
            throw new IllegalStateException("shared datasets not found at " + data
                    + " (expected ../shared/data beside the repository root)");
        }
        return data;
    }

    /** A dataset folder such as {@code isbi2012-em}; fails loudly when it is missing. */
    public static Path dataset(String name) {
        Path d = root().resolve(name);
        if (!Files.isDirectory(d)) {
            throw new IllegalStateException("dataset " + name + " not found at " + d);
        }
        return d;
    }
}
