package unetq.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** The checks {@link OutputFolder} and {@link OutputFile} share. */
final class Paths {
    private Paths() {
    }

    static Path absolute(Path p, String flag) {
        if (p == null || p.toString().isBlank()) {
            throw new IllegalArgumentException(flag + " '' names nothing: give a path");
        }
        try {
            return p.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(flag + " " + p + " is not a valid path");
        }
    }

    /** Refuses the root, and any folder that holds the working folder, the repository or the home folder. */
    static void refuseProtected(Path abs, Path given, String flag) {
        if (abs.getParent() == null) {
            throw new IllegalArgumentException(flag + " " + given + " is the root folder: choose a new folder");
        }
        check(abs, given, flag, Path.of("").toAbsolutePath().normalize(), "the working folder");
        String root = System.getProperty("unetq.root");
        if (root != null && !root.isBlank()) {
            check(abs, given, flag, Path.of(root).toAbsolutePath().normalize(), "the unetq repository");
        }
        check(abs, given, flag, Path.of(System.getProperty("user.home")).toAbsolutePath().normalize(), "the home folder");
    }

    private static void check(Path abs, Path given, String flag, Path protectedDir, String what) {
        if (protectedDir.startsWith(abs)) {
            throw new IllegalArgumentException(flag + " " + given + (abs.equals(protectedDir) ? " is " : " holds ") + what
                    + ": choose a new folder");
        }
    }

    /** The nearest existing ancestor must be a folder in which a file can be created (tried, then removed). */
    static void requireWritableParent(Path abs, Path given, String flag) {
        Path p = abs.getParent();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null || !Files.isDirectory(p)) {
            throw new IllegalArgumentException(flag + " " + given + ": " + (p == null ? "no parent folder" : p + " is not a folder"));
        }
        try {
            Files.delete(Files.createTempFile(p, ".unetq-write-test", ".tmp"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(flag + " " + given + ": cannot write in " + p);
        }
    }

    /** Deletes a folder tree that unetq made itself (staging folders), not following links. */
    static void deleteOwnTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw Parents.unchecked(e);
        }
    }
}
