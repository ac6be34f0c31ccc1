package unetq.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** The missing parent folders of an output: created when the output is written, removed again if it is not. */
final class Parents {
    private final Path target;
    private final Deque<Path> created = new ArrayDeque<>();

    Parents(Path target) {
        this.target = target;
    }

    void create() throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = target.getParent(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            Files.createDirectory(p);
            created.push(p);
        }
    }

    /** Removes the folders {@link #create()} made, innermost first, while they are empty. */
    void removeCreated() {
        while (!created.isEmpty()) {
            try {
                Files.deleteIfExists(created.pop());
            } catch (IOException e) {
                created.clear(); // not empty any more: someone else wrote there
            }
        }
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e.getMessage(), e);
    }
}
