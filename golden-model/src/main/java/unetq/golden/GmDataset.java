package unetq.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Spinal-cord grey matter, T2*-w MRI, laid out as {@code ../shared/data/spinal-cord-gm-t2star}:
 * {@code images/S_run-1_T2starw.nii.gz} with {@code labels/S_run-1_T2starw_gmseg-manual.nii.gz}
 * (grey matter, the positive class) and {@code ..._seg-manual.nii.gz} (whole cord). Slices along
 * the third axis; slices whose cord mask is empty are skipped (as the paper's SliceFilter).
 * Each slice is normalised per slice (z-score, as the paper) and stored as UQ0.8 codes
 * {@code clamp(round(128 + 32 z), 0, 255)} (deviation: the paper fed float z-scores). Crops are
 * 200x200 around the cord's centroid (the paper centre-cropped its resampled data), padded where
 * a volume is smaller. Split by subject, sessions of one person together: sub-9418 validates,
 * the other subjects train (a folder of other subjects is a holdout set: every slice in {@link #all()}).
 */
public final class GmDataset extends SliceDataset {
    public static final int CROP = 200;
    static final String VALIDATION_SUBJECT = "sub-9418";

    record GmSlice(String id, String subject, int[][] image, boolean[][] gm, int cy, int cx, int padCode) implements SliceDataset.Slice {
        @Override
        public Sample crop(int dy, int dx) {
            return Crops.window(id, image, gm, cy + dy, cx + dx, CROP, CROP, padCode);
        }
    }


    private GmDataset() {
        super(20);
    }

    public static GmDataset load(Path dir) throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        if (!Files.isDirectory(images) || !Files.isDirectory(labels)) {
            throw new IOException(dir + " is not a GM dataset folder: it needs images/ and labels/ (as ../shared/data/spinal-cord-gm-t2star)");
        }
        List<Path> volumes;
        try (Stream<Path> s = Files.list(images)) {
            volumes = s.filter(p -> p.getFileName().toString().endsWith("_T2starw.nii.gz")).sorted().toList();
        }
        if (volumes.isEmpty()) {
            throw new IOException(images + " holds no *_T2starw.nii.gz volumes");
        }
        GmDataset d = new GmDataset();
        for (Path v : volumes) {
            String base = v.getFileName().toString().replace(".nii.gz", "");
            Nifti img = Nifti.read(v);
            Nifti gm = Nifti.read(labels.resolve(base + "_gmseg-manual.nii.gz"));
            Nifti cord = Nifti.read(labels.resolve(base + "_seg-manual.nii.gz"));
            if (gm.nx() != img.nx() || gm.ny() != img.ny() || gm.nz() != img.nz() || cord.nz() != img.nz()) {
                throw new IOException(base + ": image and masks differ in size");
            }
            String session = base.substring(0, base.indexOf("_run"));
            String subject = session.replaceAll("Ses\\d+$", "");
            for (int z = 0; z < img.nz(); z++) {
                GmSlice s = slice(session + "-z" + z, subject, img, gm, cord, z);
                if (s != null) {
                    (subject.equals(VALIDATION_SUBJECT) ? d.validation : d.train).add(s);
                }
            }
        }
        return d; // a holdout folder may hold any subjects: training and validation check their own parts
    }

    private static GmSlice slice(String id, String subject, Nifti img, Nifti gm, Nifti cord, int z) {
        int h = img.ny();
        int w = img.nx();
        double sum = 0;
        double sq = 0;
        long cordPixels = 0;
        long cy = 0;
        long cx = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = img.get(x, y, z);
                sum += v;
                sq += v * v;
                if (cord.get(x, y, z) > 0.5f) {
                    cordPixels++;
                    cy += y;
                    cx += x;
                }
            }
        }
        if (cordPixels == 0) {
            return null;
        }
        double n = (double) h * w;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(sq / n - mean * mean, 1e-12));
        int[][] codes = new int[h][w];
        boolean[][] mask = new boolean[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                codes[y][x] = code((img.get(x, y, z) - mean) / std);
                mask[y][x] = gm.get(x, y, z) > 0.5f;
            }
        }
        return new GmSlice(id, subject, codes, mask, (int) (cy / cordPixels), (int) (cx / cordPixels), code(-mean / std));
    }

    static int code(double z) {
        return (int) Math.max(0, Math.min(255, Math.round(128 + 32 * z)));
    }

    @Override
    public String name() {
        return "gm";
    }

    @Override
    public String splitDescription() {
        return "train " + train.size() + " slices of the other subjects, validation " + validation.size() + " slices of "
                + VALIDATION_SUBJECT + " (slices with an empty cord mask skipped)";
    }
}
