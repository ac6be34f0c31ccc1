package unetq.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Spinal-cord grey matter, T2*-w MRI, laid out as {@code ../shared/data/spinal-cord-gm-t2star}:
 * {@code images/S_run-1_T2starw.nii.gz} with {@code labels/S_run-1_T2starw_gmseg-manual.nii.gz}
 * (grey matter, the positive class) and {@code ..._seg-manual.nii.gz} (whole cord). Slices along
 * the third axis; slices whose cord mask is empty are skipped (as the paper's SliceFilter).
 *
 * <p>Each slice is resampled (bilinear) to {@value #SPACING_MM} mm in-plane voxels in one orientation,
 * whatever the scanner wrote: image columns run from the patient's right to left, rows from posterior
 * to anterior (the "L,A" of most volumes here), read from the NIfTI voxel-to-world transform. The
 * window is centred on the centroid of the cord mask, so a new scan needs a cord mask (docs/datasets.md).
 * It is normalised over the window (z-score, as the paper's NormalizeInstance after its crop) and
 * stored as UQ0.8 codes {@code clamp(round(128 + 32 z), 0, 255)} (the paper fed float z-scores).
 * Split by subject, sessions of one person together: sub-9418 validates, the other subjects train (a
 * folder of other subjects is a holdout set: every slice in {@link #all()}).
 */
public final class GmDataset extends SliceDataset {
    public static final int CROP = 200;
    /** The in-plane voxel size every slice is resampled to: medicaltorch's and SCT deepseg_gm's 0.25 mm. */
    public static final double SPACING_MM = 0.25;
    /** Room around the 200x200 crop for shifts and rotations of training samples. */
    static final int MARGIN = 40;
    static final int WINDOW = CROP + 2 * MARGIN;
    static final String VALIDATION_SUBJECT = "sub-9418";

    /** A resampled window: z-scores and the grey-matter mask resampled as a fraction (true where at least 0.5). */
    record GmSlice(String id, String subject, float[][] z, float[][] gm) implements SliceDataset.Slice {
        @Override
        public Sample crop(int dy, int dx) {
            IntTensor t = new IntTensor(1, CROP, CROP);
            boolean[][] l = new boolean[CROP][CROP];
            for (int y = 0; y < CROP; y++) {
                for (int x = 0; x < CROP; x++) {
                    t.set(0, y, x, code(z[MARGIN + dy + y][MARGIN + dx + x]));
                    l[y][x] = gm[MARGIN + dy + y][MARGIN + dx + x] >= 0.5f;
                }
            }
            return new Sample(id, t, l);
        }

        /** The paper's GM transforms (Augmentation.PAPER), applied to the window around the crop. */
        @Override
        public Sample paperAugmented(Random rnd) {
            float[][][] elastic = rnd.nextDouble() < 0.3
                    ? Warp.elasticField(rnd, CROP, 28 + 2 * rnd.nextDouble(), 3.5 + 0.5 * rnd.nextDouble()) : null;
            double angle = Math.toRadians(4.6) * (2 * rnd.nextDouble() - 1);
            double scale = 0.98 + 0.04 * rnd.nextDouble();
            double ty = 0.03 * CROP * (2 * rnd.nextDouble() - 1);
            double tx = 0.03 * CROP * (2 * rnd.nextDouble() - 1);
            double shift = 0.1 * (2 * rnd.nextDouble() - 1);
            double cos = Math.cos(angle) / scale;
            double sin = Math.sin(angle) / scale;
            double c = (CROP - 1) / 2.0;
            IntTensor t = new IntTensor(1, CROP, CROP);
            boolean[][] l = new boolean[CROP][CROP];
            for (int y = 0; y < CROP; y++) {
                for (int x = 0; x < CROP; x++) {
                    double py = y + (elastic == null ? 0 : elastic[0][y][x]) - c;
                    double px = x + (elastic == null ? 0 : elastic[1][y][x]) - c;
                    double sy = MARGIN + c + cos * py - sin * px + ty;
                    double sx = MARGIN + c + sin * py + cos * px + tx;
                    t.set(0, y, x, code(Warp.bilinear(z, sy, sx, 0) + shift));
                    l[y][x] = Warp.bilinear(gm, sy, sx, 0) >= 0.5;
                }
            }
            return new Sample(id, t, l);
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
            if (gm.nx() != img.nx() || gm.ny() != img.ny() || gm.nz() != img.nz() || cord.nx() != img.nx()
                    || cord.ny() != img.ny() || cord.nz() != img.nz()) {
                throw new IOException(base + ": image and masks differ in size");
            }
            String session = base.substring(0, base.indexOf("_run"));
            String subject = session.replaceAll("Ses\\d+$", "");
            SlicePlane plane = SlicePlane.of(img.affine(), base);
            for (int z = 0; z < img.nz(); z++) {
                GmSlice s = slice(session + "-z" + z, subject, img, gm, cord, z, plane);
                if (s != null) {
                    (subject.equals(VALIDATION_SUBJECT) ? d.validation : d.train).add(s);
                }
            }
        }
        return d; // a holdout folder may hold any subjects: training and validation check their own parts
    }

    /**
     * How a window pixel maps to the slice's voxels: a step of one column is {@value #SPACING_MM} mm toward the
     * patient's left, a step of one row {@value #SPACING_MM} mm toward anterior, both within the slice's plane.
     */
    record SlicePlane(double[] colStep, double[] rowStep) {
        static SlicePlane of(double[][] affine, String name) throws IOException {
            double[] a = {affine[0][0], affine[1][0], affine[2][0]};
            double[] b = {affine[0][1], affine[1][1], affine[2][1]};
            double[] n = unit(cross(a, b), name);
            double[] left = unit(minus(new double[] {-1, 0, 0}, n), name); // RAS+: left is -x
            double[] anterior = unit(cross(n, left), name);
            if (anterior[1] < 0) {
                anterior = new double[] {-anterior[0], -anterior[1], -anterior[2]};
            }
            return new SlicePlane(voxelStep(a, b, left), voxelStep(a, b, anterior));
        }

        /** The voxel step (di, dj) that moves {@value #SPACING_MM} mm along {@code dir}, which lies in the plane of a, b. */
        private static double[] voxelStep(double[] a, double[] b, double[] dir) {
            double aa = dot(a, a);
            double ab = dot(a, b);
            double bb = dot(b, b);
            double ar = dot(a, dir) * SPACING_MM;
            double br = dot(b, dir) * SPACING_MM;
            double det = aa * bb - ab * ab;
            return new double[] {(ar * bb - br * ab) / det, (br * aa - ar * ab) / det};
        }

        private static double[] minus(double[] v, double[] n) {
            double d = dot(v, n);
            return new double[] {v[0] - d * n[0], v[1] - d * n[1], v[2] - d * n[2]};
        }

        private static double[] cross(double[] u, double[] v) {
            return new double[] {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
        }

        private static double dot(double[] u, double[] v) {
            return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
        }

        private static double[] unit(double[] v, String name) throws IOException {
            double len = Math.sqrt(dot(v, v));
            if (!(len > 1e-9)) {
                throw new IOException(name + ": its slices are not axial enough to resample (the left-right axis lies across them)");
            }
            return new double[] {v[0] / len, v[1] / len, v[2] / len};
        }
    }

    private static GmSlice slice(String id, String subject, Nifti img, Nifti gm, Nifti cord, int z, SlicePlane plane) {
        double ci = 0;
        double cj = 0;
        long cordPixels = 0;
        float[][] image = new float[img.ny()][img.nx()];
        float[][] grey = new float[img.ny()][img.nx()];
        for (int j = 0; j < img.ny(); j++) {
            for (int i = 0; i < img.nx(); i++) {
                image[j][i] = img.get(i, j, z);
                grey[j][i] = gm.get(i, j, z) > 0.5f ? 1 : 0;
                if (cord.get(i, j, z) > 0.5f) {
                    cordPixels++;
                    ci += i;
                    cj += j;
                }
            }
        }
        if (cordPixels == 0) {
            return null;
        }
        ci /= cordPixels;
        cj /= cordPixels;
        double c = (WINDOW - 1) / 2.0;
        float[][] win = new float[WINDOW][WINDOW];
        float[][] mask = new float[WINDOW][WINDOW];
        double sum = 0;
        double sq = 0;
        for (int r = 0; r < WINDOW; r++) {
            for (int k = 0; k < WINDOW; k++) {
                double si = ci + (k - c) * plane.colStep()[0] + (r - c) * plane.rowStep()[0];
                double sj = cj + (k - c) * plane.colStep()[1] + (r - c) * plane.rowStep()[1];
                win[r][k] = Warp.bilinear(image, sj, si, 0);
                mask[r][k] = Warp.bilinear(grey, sj, si, 0);
                sum += win[r][k];
                sq += (double) win[r][k] * win[r][k];
            }
        }
        double n = (double) WINDOW * WINDOW;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(sq / n - mean * mean, 1e-12));
        for (float[] row : win) {
            for (int k = 0; k < WINDOW; k++) {
                row[k] = (float) ((row[k] - mean) / std);
            }
        }
        return new GmSlice(id, subject, win, mask);
    }

    static int code(double z) {
        return (int) Math.max(0, Math.min(255, Math.round(128 + 32 * z)));
    }

    @Override
    public String name() {
        return "gm";
    }

    /** The person: the sample id without its slice and session ({@code sub-9709Ses1-z4} is sub-9709). */
    @Override
    public String subjectOf(Sample sample) {
        return sample.id().replaceAll("-z\\d+$", "").replaceAll("Ses\\d+$", "");
    }

    @Override
    public String splitDescription() {
        return "train " + train.size() + " slices of the other subjects, validation " + validation.size() + " slices of "
                + VALIDATION_SUBJECT + " (slices with an empty cord mask skipped; resampled to " + SPACING_MM + " mm)";
    }
}
