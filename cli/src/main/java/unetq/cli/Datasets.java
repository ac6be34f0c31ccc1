package unetq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import unetq.golden.EmDataset;
import unetq.golden.SegmentationDataset;

/** Opens a dataset folder by its name or by its layout, with one clear line when it is neither. */
final class Datasets {
    private Datasets() {
    }

    static SegmentationDataset open(String name, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UsageError("--data " + dir + " is not a folder");
        }
        if (!"em".equals(name)) {
            throw new UsageError("dataset '" + name + "' is not supported yet (supported: em)");
        }
        try {
            return EmDataset.load(dir);
        } catch (IOException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** The dataset kind of a folder laid out like ../shared/data/*. */
    static String detect(Path dir) {
        if (Files.isDirectory(dir.resolve("images")) && Files.isDirectory(dir.resolve("labels"))) {
            try (var s = Files.list(dir.resolve("images"))) {
                if (s.anyMatch(p -> p.getFileName().toString().matches("\\d+\\.png"))) {
                    return "em";
                }
            } catch (IOException e) {
                throw new UsageError("cannot read " + dir + ": " + e.getMessage());
            }
        }
        throw new UsageError(dir + " is not laid out like a dataset of ../shared/data (em: images/N.png and labels/N.png)");
    }
}
