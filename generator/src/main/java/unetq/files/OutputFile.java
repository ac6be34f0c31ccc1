package unetq.files;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file a command writes, claimed before any work starts and written atomically at the end: an
 * existing file is replaced only with {@code --force}; the content goes to a hidden sibling that is
 * renamed over the target, so a failure leaves the old file (or nothing) behind.
 */
public final class OutputFile {
    /** Writes the file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path target;
    private final String flag;
    private final Parents parents;

    private OutputFile(Path target, String flag) {
        this.target = target;
        this.flag = flag;
        this.parents = new Parents(target);
    }

    /** Checks that {@code file} may be written (see the class comment). Nothing is written yet. */
    public static OutputFile claim(Path file, boolean force, String flag) {
        Path abs = Paths.absolute(file, flag);
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException(flag + " " + file + " is a folder, not a file");
        }
        if (Files.exists(abs) && !force) {
            throw new IllegalArgumentException(flag + " " + file + " exists (use --force to replace it)");
        }
        Paths.requireWritableParent(abs, file, flag);
        return new OutputFile(abs, flag);
    }

    public Path target() {
        return target;
    }

    public void writeString(String text) {
        write(out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public void write(byte[] bytes) {
        write(out -> out.write(bytes));
    }

    /** Writes a hidden sibling, then renames it over the target. */
    public void write(Content content) {
        Path tmp = null;
        try {
            parents.create();
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".unetq-tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            try { // temporary files are created private (rw-------); an output is a normal file
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // non-POSIX file systems keep their default permissions
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException(flag + " " + target + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target
                }
                parents.removeCreated();
            }
        }
    }
}
