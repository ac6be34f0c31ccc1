package unetq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import unetq.golden.EmDataset;
import unetq.golden.GmDataset;
import unetq.golden.PancreasDataset;
import unetq.golden.SegmentationDataset;

/** Opens a dataset folder by its name or by its layout, with one clear line when it is neither. */
final class Datasets {
    /** Each dataset kind's folder under ../shared/data. */
    static final java.util.Map<String, String> FOLDERS = java.util.Map.of("em", "isbi2012-em", "gm", "spinal-cord-gm-t2star",
            "pancreas", "nih-pancreas-ct");

    private Datasets() {
    }

    /**
     * The folder to read: {@code data} as given (relative to the working folder), else the kind's folder in
     * ../shared/data beside the repository; one line when neither is known.
     */
    static Path folder(Path data, String kind) {
        if (data != null) {
            return data;
        }
        if (kind == null || kind.equals("unknown")) {
            throw new UsageError("give --data DIR (or --dataset em|gm|pancreas to read ../shared/data)");
        }
        String name = FOLDERS.get(kind);
        if (name == null) {
            throw new UsageError("unknown dataset '" + kind + "' (choose em, gm or pancreas)");
        }
        try {
            return unetq.golden.SharedData.root().resolve(name);
        } catch (IllegalStateException e) {
            throw new UsageError("give --data DIR: " + e.getMessage());
        }
    }

    static SegmentationDataset open(String name, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UsageError("--data " + dir + " is not a folder");
        }
        try {
            return switch (name) {
                case "em" -> EmDataset.load(dir);
                case "gm" -> GmDataset.load(dir);
                case "pancreas" -> PancreasDataset.load(dir);
                default -> throw new UsageError("unknown dataset '" + name + "' (choose em, gm or pancreas)");
            };
        } catch (IOException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** The dataset kind of a folder laid out like ../shared/data/*. */
    static String detect(Path dir) {
        if (has(dir.resolve("images"), "\\d+\\.png") && Files.isDirectory(dir.resolve("labels"))) {
            return "em";
        }
        if (has(dir.resolve("images"), ".*_T2starw\\.nii\\.gz") && Files.isDirectory(dir.resolve("labels"))) {
            return "gm";
        }
        if (has(dir.resolve("images"), "PANCREAS_\\d+-\\d+\\.jpg") && Files.isDirectory(dir.resolve("masks"))) {
            return "pancreas";
        }
        throw new UsageError(dir + " is not laid out like a dataset of ../shared/data (em: images/N.png + labels/; "
                + "gm: images/*_T2starw.nii.gz + labels/; pancreas: images/PANCREAS_P-N.jpg + masks/)");
    }

    private static boolean has(Path dir, String pattern) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().matches(pattern));
        } catch (IOException e) {
            throw new UsageError("cannot read " + dir + ": " + e.getMessage());
        }
    }
}
