package unetq.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A folder a command writes, claimed before any work starts and published all at once at the end.
 *
 * <p>The rules every command's {@code --out DIR} follows:
 * <ul>
 *   <li>a new or empty folder is taken; a non-empty one only with {@code --force}, and only when it holds
 *       the {@value #MARKER} file that unetq leaves in every folder it writes;</li>
 *   <li>a folder that holds the working folder, the repository or the home folder is never taken,
 *       {@code --force} or not ({@code .}, {@code ..}, {@code ''}, {@code /});</li>
 *   <li>the work goes into a hidden sibling ({@code .NAME.unetq-tmp…}) that is renamed into place at the
 *       end, so a failed command leaves nothing behind, and an old folder is replaced only then.</li>
 * </ul>
 * A refusal is an {@link IllegalArgumentException} with one line naming the option and the folder.
 */
public final class OutputFolder implements AutoCloseable {
    /** The file that marks a folder as written by unetq (and so replaceable with --force). */
    public static final String MARKER = ".unetq-output";

    private final Path target;
    private final String flag;
    private final Parents parents;
    private Path staging;
    private boolean published;

    private OutputFolder(Path target, String flag) {
        this.target = target;
        this.flag = flag;
        this.parents = new Parents(target);
    }

    /**
     * Checks that {@code dir} may become this command's output (see the class comment) and that its
     * parent can be written. Nothing is written yet.
     */
    public static OutputFolder claim(Path dir, boolean force, String flag) {
        Path abs = Paths.absolute(dir, flag);
        Paths.refuseProtected(abs, dir, flag);
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IllegalArgumentException(flag + " " + dir + " is a file, not a folder");
        }
        if (!isEmptyOrAbsent(abs)) {
            if (!force) {
                throw new IllegalArgumentException(flag + " " + dir + " is not empty (use --force to replace a folder unetq wrote)");
            }
            if (!Files.isRegularFile(abs.resolve(MARKER))) {
                throw new IllegalArgumentException(flag + " " + dir + " was not written by unetq (it has no " + MARKER
                        + " file): refusing to replace it; choose a new folder");
            }
        }
        Paths.requireWritableParent(abs, dir, flag);
        return new OutputFolder(abs, flag);
    }

    /** The folder as it will be named once published. */
    public Path target() {
        return target;
    }

    /** The hidden folder the work writes into (created on first use, with the marker). */
    public Path staging() {
        if (staging == null) {
            try {
                parents.create();
                staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".unetq-tmp");
                Files.writeString(staging.resolve(MARKER), "Written by unetq: `--force` may replace this folder.\n",
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(flag + " " + target + ": cannot write: " + e.getMessage(), e);
            }
        }
        return staging;
    }

    /** Writes text files (relative paths) into the staging folder. */
    public void write(Map<String, String> files) {
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = staging().resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(flag + " " + target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Moves the staging folder into place, replacing the old folder (checked when claimed). */
    public Path publish() {
        Path s = staging();
        try {
            if (Files.exists(target)) {
                Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".unetq-old");
                Files.move(target, old.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
                Files.move(s, target, StandardCopyOption.ATOMIC_MOVE);
                Paths.deleteOwnTree(old);
            } else {
                Files.move(s, target, StandardCopyOption.ATOMIC_MOVE);
            }
            published = true;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(flag + " " + target + ": cannot move the output into place: " + e.getMessage(), e);
        }
    }

    /** Without {@link #publish()}: deletes the staging folder and any parent it created. */
    @Override
    public void close() {
        if (published) {
            return;
        }
        if (staging != null) {
            Paths.deleteOwnTree(staging);
            staging = null;
        }
        parents.removeCreated();
    }

    private static boolean isEmptyOrAbsent(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot read: " + e.getMessage());
        }
    }
}
