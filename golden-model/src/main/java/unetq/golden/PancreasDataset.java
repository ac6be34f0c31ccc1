package unetq.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * NIH pancreas CT slices laid out as {@code ../shared/data/nih-pancreas-ct}: {@code images/P-N.jpg}
 * and {@code masks/P-N.jpg} (grey stored as RGB JPEG; mask &gt; 127 = pancreas, the positive class).
 * Crops are 112 high x 176 wide around the median pancreas pixel (the paper's ROI crop, which
 * places the crop using the label, at validation too). Split by patient: the last sixth of the
 * patients (sorted by id) validates.
 */
public final class PancreasDataset implements SegmentationDataset {
    public static final int HEIGHT = 112;
    public static final int WIDTH = 176;

    record Slice(String id, String patient, int[][] image, boolean[][] mask, int cy, int cx) {
        Sample crop(int dy, int dx) {
            return Crops.window(id, image, mask, cy + dy, cx + dx, HEIGHT, WIDTH, 0);
        }
    }

    private final List<Slice> train = new ArrayList<>();
    private final List<Slice> validation = new ArrayList<>();
    private final String split;

    private PancreasDataset(String split) {
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
            (val.contains(pt) ? d.validation : d.train).add(new Slice(f.getFileName().toString(), pt, p, l, c[0], c[1]));
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

    @Override
    public double bceWeight() {
        return 0;
    }

    @Override
    public Sample randomTrainingSample(Random rnd) {
        Slice s = train.get(rnd.nextInt(train.size()));
        return Crops.randomFlip(s.crop(rnd.nextInt(33) - 16, rnd.nextInt(33) - 16), rnd);
    }

    @Override
    public List<Sample> validation() {
        return validation.stream().map(s -> s.crop(0, 0)).toList();
    }

    @Override
    public List<Sample> all() {
        List<Sample> all = new ArrayList<>();
        train.forEach(s -> all.add(s.crop(0, 0)));
        validation.forEach(s -> all.add(s.crop(0, 0)));
        return all;
    }

    @Override
    public String splitDescription() {
        return split + " (" + train.size() + " / " + validation.size() + " slices)";
    }
}
