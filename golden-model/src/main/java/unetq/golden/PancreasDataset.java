package unetq.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * NIH pancreas CT slices laid out as {@code ../shared/data/nih-pancreas-ct}: {@code images/P-N.jpg}
 * and {@code masks/P-N.jpg} (grey stored as RGB JPEG; mask &gt; 127 = pancreas, the positive class).
 * Crops are 112 high x 176 wide around the median pancreas pixel (the paper's ROI crop, which
 * places the crop using the label, at validation too). Split by patient: the last sixth of the
 * patients (sorted by id) validates.
 */
public final class PancreasDataset extends SliceDataset {
    public static final int HEIGHT = 112;
    public static final int WIDTH = 176;

    record PancreasSlice(String id, String patient, int[][] image, boolean[][] mask, int cy, int cx) implements SliceDataset.Slice {
        @Override
        public Sample crop(int dy, int dx) {
            return Crops.window(id, image, mask, cy + dy, cx + dx, HEIGHT, WIDTH, 0);
        }
    }

    private final String split;

    private PancreasDataset(String split) {
        super(16);
        this.split = split;
    }

    public static PancreasDataset load(Path dir) throws IOException {
        Path images = dir.resolve("images");
        Path masks = dir.resolve("masks");
        if (!Files.isDirectory(images) || !Files.isDirectory(masks)) {
            throw new IOException(dir + " is not a pancreas dataset folder: it needs images/ and masks/ (as ../shared/data/nih-pancreas-ct)");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = s.filter(p -> p.getFileName().toString().matches("PANCREAS_\\d+-\\d+\\.jpg")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException(images + " holds no PANCREAS_P-N.jpg slices");
        }
        TreeSet<String> patients = new TreeSet<>();
        files.forEach(f -> patients.add(patient(f)));
        List<String> sorted = new ArrayList<>(patients);
        int nVal = Math.max(1, Math.round(sorted.size() / 6f));
        List<String> val = sorted.subList(sorted.size() - nVal, sorted.size());
        PancreasDataset d = new PancreasDataset("train patients " + sorted.get(0) + ".." + sorted.get(sorted.size() - nVal - 1)
                + ", validation patients " + val.get(0) + ".." + val.get(val.size() - 1));
        for (Path f : files) {
            Path m = masks.resolve(f.getFileName());
            if (!Files.isRegularFile(m)) {
                throw new IOException("mask missing for " + f.getFileName() + ": expected " + m);
            }
            GreyImage img = GreyImage.read(f, true);
            GreyImage mask = GreyImage.read(m, true);
            int[][] p = new int[img.height()][img.width()];
            boolean[][] l = new boolean[img.height()][img.width()];
            for (int y = 0; y < p.length; y++) {
                for (int x = 0; x < p[0].length; x++) {
                    p[y][x] = img.get(y, x);
                    l[y][x] = mask.get(y, x) > 127;
                }
            }
            int[] c = Crops.medianOf(l);
            String pt = patient(f);
            (val.contains(pt) ? d.validation : d.train).add(new PancreasSlice(f.getFileName().toString(), pt, p, l, c[0], c[1]));
        }
        return d;
    }

    private static String patient(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.indexOf('-'));
    }

    @Override
    public String name() {
        return "pancreas";
    }

    /** The patient: {@code PANCREAS_0043-1105.jpg} is PANCREAS_0043. */
    @Override
    public String subjectOf(Sample sample) {
        int dash = sample.id().indexOf('-');
        return dash < 0 ? sample.id() : sample.id().substring(0, dash);
    }

    @Override
    public String splitDescription() {
        return split + " (" + train.size() + " / " + validation.size() + " slices)";
    }
}
