package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GmPancreasDatasetTest {
    private static long positives(Sample s) {
        long n = 0;
        for (boolean[] row : s.label()) {
            for (boolean b : row) {
                n += b ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void niftiVolumesOfTheSharedGmData() throws IOException {
        Path dir = SharedData.dataset("spinal-cord-gm-t2star");
        Nifti v = Nifti.read(dir.resolve("images/sub-9709Ses1_run-1_T2starw.nii.gz"));
        assertEquals(256, v.nx()); // README: 256 x 192 x 20, int16
        assertEquals(192, v.ny());
        assertEquals(20, v.nz());
        Nifti f = Nifti.read(dir.resolve("images/sub-9418_run-1_T2starw.nii.gz"));
        assertEquals(384, f.nx()); // float32 volume
        assertEquals(17, f.nz());
        IOException bad = assertThrows(IOException.class, () -> Nifti.read(dir.resolve("README.md")));
        assertTrue(bad.getMessage().contains("not a NIfTI-1 file") || bad.getMessage().contains("too short"), bad.getMessage());
    }

    /**
     * Orientation comes from the NIfTI header: sub-9604 is stored posterior-first with a qform only (sform
     * code 0), the others anterior-first with an sform. One window column is 0.25 mm toward the patient's
     * left and one row 0.25 mm toward anterior, whichever way the voxels run.
     */
    @Test
    void slicesAreResampledInOneOrientation() throws IOException {
        Path dir = SharedData.dataset("spinal-cord-gm-t2star");
        double[][] lps = Nifti.read(dir.resolve("images/sub-9604_run-1_T2starw.nii.gz")).affine();
        double[][] las = Nifti.read(dir.resolve("images/sub-9418_run-1_T2starw.nii.gz")).affine();
        assertTrue(lps[1][1] < 0 && las[1][1] > 0, "j runs posterior in sub-9604, anterior in sub-9418");
        assertTrue(lps[0][0] < 0 && las[0][0] < 0, "i runs toward the left in both");
        assertEquals(0.601, -lps[0][0], 0.001); // qform with the voxel size of its pixdim
        assertEquals(0.500, -las[0][0], 0.001);

        double[][] axialLas = {{-0.5, 0, 0, 0}, {0, 0.5, 0, 0}, {0, 0, 3, 0}};
        GmDataset.SlicePlane p = GmDataset.SlicePlane.of(axialLas, "las");
        assertArrayEquals(new double[] {0.5, 0}, p.colStep(), 1e-12); // half a 0.5 mm voxel toward +i (left)
        assertArrayEquals(new double[] {0, 0.5}, p.rowStep(), 1e-12);
        double[][] axialLps = {{-0.6, 0, 0, 0}, {0, -0.6, 0, 0}, {0, 0, 3, 0}};
        GmDataset.SlicePlane q = GmDataset.SlicePlane.of(axialLps, "lps");
        assertArrayEquals(new double[] {0.25 / 0.6, 0}, q.colStep(), 1e-12);
        assertArrayEquals(new double[] {0, -0.25 / 0.6}, q.rowStep(), 1e-12); // anterior is -j here
        double[][] sagittal = {{0, 0, 3, 0}, {0.5, 0, 0, 0}, {0, 0.5, 0, 0}};
        assertThrows(IOException.class, () -> GmDataset.SlicePlane.of(sagittal, "sagittal"));
    }

    @Test
    void gmSlicesCropsAndSplit() throws IOException {
        GmDataset gm = GmDataset.load(SharedData.dataset("spinal-cord-gm-t2star"));
        List<Sample> val = gm.validation();
        assertTrue(val.size() >= 10 && val.size() <= 17, "validation slices " + val.size());
        assertTrue(gm.splitDescription().contains("sub-9418"));
        Sample s = val.get(val.size() / 2);
        assertEquals(200, s.image().height());
        long gmPixels = positives(s);
        assertTrue(gmPixels > 20 && gmPixels < 5000, "grey-matter pixels in a central slice: " + gmPixels);
        Sample r = gm.randomTrainingSample(new Random(1), Augmentation.PAPER);
        assertEquals(200, r.image().width());
        r.image().requireIn(QFormat.uq(0, 8), "gm codes");
    }

    /** A folder of other subjects is a holdout set: it loads, has no validation slices, and all() holds every slice. */
    @Test
    void gmFolderWithoutTheValidationSubjectIsAHoldoutSet(@TempDir Path tmp) throws IOException {
        Path shared = SharedData.dataset("spinal-cord-gm-t2star");
        Path dir = tmp.resolve("gm-holdout");
        for (String sub : new String[] {"images", "labels"}) {
            Files.createDirectories(dir.resolve(sub));
            try (var files = Files.list(shared.resolve(sub))) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("sub-9604")).toList()) {
                    Files.createSymbolicLink(dir.resolve(sub).resolve(f.getFileName()), f);
                }
            }
        }
        GmDataset gm = GmDataset.load(dir);
        assertTrue(gm.validation().isEmpty());
        assertTrue(gm.all().size() >= 10 && gm.all().stream().allMatch(x -> x.id().startsWith("sub-9604")), gm.all().size() + " slices");
        assertEquals(gm.all().size(), gm.trainingCount());
    }

    @Test
    void pancreasSplitByPatient() throws IOException {
        PancreasDataset p = PancreasDataset.load(SharedData.dataset("nih-pancreas-ct"));
        List<Sample> val = p.validation();
        assertEquals(112, val.get(0).image().height());
        assertEquals(176, val.get(0).image().width());
        for (Sample s : val) {
            assertTrue(positives(s) > 0, s.id() + " crop holds pancreas");
        }
        assertTrue(p.splitDescription().startsWith("train patients PANCREAS_0001.."), p.splitDescription());
        assertEquals(209, p.all().size()); // README: 209 image/mask pairs
    }

    @Test
    void wrongFoldersAreRejected(@TempDir Path tmp) throws IOException {
        assertTrue(assertThrows(IOException.class, () -> GmDataset.load(tmp)).getMessage().contains("images/ and labels/"));
        assertTrue(assertThrows(IOException.class, () -> PancreasDataset.load(tmp)).getMessage().contains("images/ and masks/"));
        Files.createDirectories(tmp.resolve("images"));
        Files.createDirectories(tmp.resolve("masks"));
        assertThrows(IOException.class, () -> PancreasDataset.load(tmp));
    }
}
