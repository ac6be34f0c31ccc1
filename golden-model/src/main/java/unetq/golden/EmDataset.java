package unetq.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * ISBI 2012 EM slices laid out as {@code ../shared/data/isbi2012-em}: {@code images/N.png} and
 * {@code labels/N.png}, 8-bit grey, label 255 = cell interior = the positive class (as the
 * paper's loader). Preprocessing as the paper's: slices halved (512 -&gt; 256, 2x2 mean; the
 * paper trained on zhixuhao's 256x256 copies) and cropped to 200x200 (validation: the paper's box
 * (28,28)-(228,228); training: random crops). Split: slices sorted by number, the last sixth
 * (at least one) for validation - slices 20-23 of the shared 0-23.
 */
public final class EmDataset implements SegmentationDataset {
    public static final int CROP = 200;
    private static final int PAPER_OFFSET = 28;

    /** One halved slice: image codes (UQ0.8) and its binary label. */
    public record Slice(String id, int[][] image, boolean[][] label) {
        public int height() {
            return image.length;
        }

        public int width() {
            return image[0].length;
        }

        /** The crop at (top, left) as a 1 x CROP x CROP image tensor and its label. */
        public Sample crop(int top, int left, int size) {
            IntTensor t = new IntTensor(1, size, size);
            boolean[][] l = new boolean[size][size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    t.set(0, y, x, image[top + y][left + x]);
                    l[y][x] = label[top + y][left + x];
                }
            }
            return new Sample(id + "@" + top + "," + left, t, l);
        }
    }

    private final List<Slice> slices;

    private EmDataset(List<Slice> slices) {
        this.slices = slices;
    }

    public static EmDataset load(Path dir) throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        if (!Files.isDirectory(images) || !Files.isDirectory(labels)) {
            throw new IOException(dir + " is not an EM dataset folder: it needs images/ and labels/ (as ../shared/data/isbi2012-em)");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = s.filter(p -> p.getFileName().toString().matches("\\d+\\.png"))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replace(".png", ""))))
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IOException(images + " holds no N.png slices");
        }
        List<Slice> slices = new ArrayList<>();
        for (Path f : files) {
            Path lf = labels.resolve(f.getFileName());
            if (!Files.isRegularFile(lf)) {
                throw new IOException("label missing for " + f.getFileName() + ": expected " + lf);
            }
            GreyImage img = GreyImage.read(f);
            GreyImage lab = GreyImage.read(lf);
            if (img.height() != lab.height() || img.width() != lab.width()) {
                throw new IOException(f.getFileName() + ": image " + img.height() + "x" + img.width() + " and label "
                        + lab.height() + "x" + lab.width() + " differ in size");
            }
            if (img.height() / 2 < CROP || img.width() / 2 < CROP) {
                throw new IOException(f.getFileName() + " is " + img.height() + "x" + img.width()
                        + ": EM slices must be at least " + 2 * CROP + "x" + 2 * CROP);
            }
            slices.add(halve(f.getFileName().toString().replace(".png", ""), img, lab));
        }
        return new EmDataset(slices);
    }

    static Slice halve(String id, GreyImage img, GreyImage lab) {
        int h = img.height() / 2;
        int w = img.width() / 2;
        int[][] p = new int[h][w];
        boolean[][] l = new boolean[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sum = img.get(2 * y, 2 * x) + img.get(2 * y, 2 * x + 1) + img.get(2 * y + 1, 2 * x)
                        + img.get(2 * y + 1, 2 * x + 1);
                int lsum = lab.get(2 * y, 2 * x) + lab.get(2 * y, 2 * x + 1) + lab.get(2 * y + 1, 2 * x)
                        + lab.get(2 * y + 1, 2 * x + 1);
                p[y][x] = (sum + 2) / 4;
                l[y][x] = lsum >= 2 * 255; // at least half of the four pixels are cell interior
            }
        }
        return new Slice(id, p, l);
    }

    public List<Slice> slices() {
        return slices;
    }

    public int validationCount() {
        return Math.max(1, Math.round(slices.size() / 6f));
    }

    public List<Slice> trainingSlices() {
        return slices.size() == 1 ? slices : slices.subList(0, slices.size() - validationCount());
    }

    public List<Slice> validationSlices() {
        return slices.subList(slices.size() - validationCount(), slices.size());
    }

    /** The paper's crop of each validation slice. */
    @Override
    public List<Sample> validation() {
        return validationSlices().stream().map(EmDataset::paperCrop).toList();
    }

    /** The paper's crop of every slice (for a holdout folder). */
    @Override
    public List<Sample> all() {
        return slices.stream().map(EmDataset::paperCrop).toList();
    }

    /** Box (28,28)-(228,228) of a 256x256 slice; centred for other sizes. */
    static Sample paperCrop(Slice s) {
        int top = s.height() == 256 ? PAPER_OFFSET : (s.height() - CROP) / 2;
        int left = s.width() == 256 ? PAPER_OFFSET : (s.width() - CROP) / 2;
        return s.crop(top, left, CROP);
    }

    @Override
    public String name() {
        return "em";
    }

    /** The EM slices are one stack of one specimen. */
    @Override
    public String subjectOf(Sample sample) {
        return "stack";
    }

    /** The paper's EM loss: 0.5 BCE + 0.5 (1 - Dice) (its code applied sigmoid twice; unetq does not). */
    @Override
    public double bceWeight() {
        return 0.5;
    }

    @Override
    public int trainingCount() {
        return trainingSlices().size();
    }

    /**
     * A random 200x200 crop of a random training slice, flipped at random in both axes: the same for
     * every {@link Augmentation} (the paper's EM data came pre-augmented with shifts and flips).
     */
    @Override
    public Sample randomTrainingSample(java.util.Random rnd, Augmentation augmentation) {
        List<Slice> train = trainingSlices();
        Slice s = train.get(rnd.nextInt(train.size()));
        return Crops.randomFlip(s.crop(rnd.nextInt(s.height() - CROP + 1), rnd.nextInt(s.width() - CROP + 1), CROP), rnd);
    }

    /** Description of the split for provenance. */
    @Override
    public String splitDescription() {
        List<Slice> v = validationSlices();
        return "train slices " + trainingSlices().get(0).id() + ".." + trainingSlices().get(trainingSlices().size() - 1).id()
                + ", validation slices " + v.get(0).id() + ".." + v.get(v.size() - 1).id();
    }
}
