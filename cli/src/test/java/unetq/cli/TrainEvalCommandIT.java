package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import unetq.golden.ModelFile;
import unetq.golden.SharedData;

class TrainEvalCommandIT {
    private static final String EM = SharedData.dataset("isbi2012-em").toString();
    private static final Path ROOT = Path.of(System.getProperty("unetq.root", "."));

    @Test
    void tinyTrainingWritesAModelThatEvaluates(@TempDir Path tmp) throws IOException {
        Path teacher = tmp.resolve("t.ckpt");
        Cli.Run f = unetq("train", "--dataset", "em", "--data", EM, "--preset", "tiny", "--float", "--epochs", "1",
                "--steps-per-epoch", "1", "--batch", "2", "--threads", "1", "--out", teacher.toString());
        assertEquals(0, f.code(), f.err());
        Path model = tmp.resolve("m.unetq");
        Cli.Run t = unetq("train", "--dataset", "em", "--data", EM, "--preset", "tiny", "--wbits", "4",
                "--abits", "6", "--epochs", "2", "--frozen-bn-epochs", "1", "--bn-gamma", "auto", "--steps-per-epoch", "1",
                "--batch", "2", "--threads", "1", "--teacher", teacher.toString(), "--teacher-weight", "0.5",
                "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("epoch   1/2"), t.out());
        assertTrue(t.out().lines().anyMatch(l -> l.startsWith("epoch   2/2") && l.endsWith("BN frozen")), t.out());
        assertTrue(t.out().contains("masks agree on"), t.out());
        ModelFile.Model m = ModelFile.read(model);
        assertEquals("em", m.provenance().get("dataset"));
        assertTrue(m.provenance().get("command").startsWith("unetq train --dataset em"));
        assertTrue(m.provenance().get("command").endsWith(" --frozen-bn-epochs 1 --bn-gamma auto --teacher " + teacher
                + " --teacher-weight 0.5"), m.provenance().get("command"));
        assertTrue(m.provenance().get("teacher").matches(java.util.regex.Pattern.quote(teacher.toString())
                + " \\(sha256:[0-9a-f]{16}\\)"), m.provenance().get("teacher"));
        assertEquals("0.5", m.provenance().get("teacherWeight"));
        assertEquals("1", m.provenance().get("frozenBnEpochs"));
        assertEquals("7.875", m.provenance().get("bnGammaStart"));
        assertEquals("2", m.provenance().get("bestEpoch"), "only the frozen epoch can be kept");
        assertTrue(Files.exists(tmp.resolve("m.train.ckpt")), "resumable checkpoint beside the model");

        // kept by averaging the frozen epochs' weights; the dataset's folder from --dataset
        Path avg = tmp.resolve("avg.unetq");
        Cli.Run a = unetq("train", "--dataset", "em", "--preset", "tiny", "--wbits", "4", "--abits", "6", "--epochs", "3",
                "--frozen-bn-epochs", "2", "--average-last", "2", "--steps-per-epoch", "1", "--batch", "2", "--threads", "1",
                "--out", avg.toString());
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("average of epochs 2..3: val Dice") && a.out().contains("kept the average of the last 2 epochs"),
                a.out());
        ModelFile.Model am = ModelFile.read(avg);
        assertEquals("2..3", am.provenance().get("averagedEpochs"));
        assertTrue(am.provenance().get("command").contains(" --data " + unetq.golden.SharedData.dataset("isbi2012-em")
                + " ") && am.provenance().get("command").contains(" --average-last 2"), am.provenance().get("command"));

        Path md = tmp.resolve("r.md");
        Cli.Run e = unetq("eval", "--model", model.toString(), "--data", EM, "--markdown", md.toString(),
                "--confidence");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("mean"), e.out());
        assertTrue(e.out().contains("below logit(0.999) = 6.91"), e.out());
        String table = Files.readString(md);
        assertTrue(table.contains("| `m.unetq` | Q0.4 | Q6.0 |"), table);
        assertTrue(table.contains("| model | 1 px | 2 px | 3 px | 4-6 px | >=7 px |"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("| `m.unetq` |") && l.split("%").length == 6), table);
    }
}
