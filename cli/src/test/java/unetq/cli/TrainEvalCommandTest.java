package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.MacArrayCommandTest.unetq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import unetq.golden.ModelFile;
import unetq.golden.SharedData;

class TrainEvalCommandTest {
    private static final String EM = SharedData.dataset("isbi2012-em").toString();
    private static final Path ROOT = Path.of(System.getProperty("unetq.root", "."));

    @Test
    void tinyTrainingWritesAModelThatEvaluates(@TempDir Path tmp) throws IOException {
        Path teacher = tmp.resolve("t.ckpt");
        MacArrayCommandTest.Run f = unetq("train", "--dataset", "em", "--data", EM, "--preset", "tiny", "--float", "--epochs", "1",
                "--steps-per-epoch", "1", "--batch", "2", "--threads", "1", "--out", teacher.toString());
        assertEquals(0, f.code(), f.err());
        Path model = tmp.resolve("m.unetq");
        MacArrayCommandTest.Run t = unetq("train", "--dataset", "em", "--data", EM, "--preset", "tiny", "--wbits", "4",
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

        Path md = tmp.resolve("r.md");
        MacArrayCommandTest.Run e = unetq("eval", "--model", model.toString(), "--data", EM, "--markdown", md.toString(),
                "--confidence");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("mean"), e.out());
        assertTrue(e.out().contains("below logit(0.999) = 6.91"), e.out());
        String table = Files.readString(md);
        assertTrue(table.contains("| `m.unetq` | Q0.4 | Q6.0 |"), table);
        assertTrue(table.contains("| model | 1 px | 2 px | 3 px | 4-6 px | >=7 px |"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("| `m.unetq` |") && l.split("%").length == 6), table);
    }

    @Test
    void badInputsGiveOneLine(@TempDir Path tmp) throws IOException {
        Path notData = Files.createDirectories(tmp.resolve("nodata"));
        Path corrupt = Files.writeString(tmp.resolve("c.unetq"), "garbage");
        String[][] cases = {
                {"eval", "--model", corrupt.toString(), "--data", EM},
                {"eval", "--model", corrupt.toString(), "--data", notData.toString()},
                {"train", "--dataset", "lung", "--data", EM, "--wbits", "4", "--abits", "6", "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--wbits", "4", "--abits", "6", "--out", tmp.resolve("a.bin").toString()},
                {"train", "--dataset", "em", "--data", EM, "--preset", "huge", "--wbits", "4", "--abits", "6", "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--wbits", "1", "--abits", "6", "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--wbits", "4", "--abits", "6", "--epochs", "2", "--frozen-bn-epochs", "3",
                        "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--wbits", "4", "--abits", "6", "--bn-gamma", "-2",
                        "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--wbits", "4", "--abits", "6", "--teacher", tmp.resolve("none.ckpt").toString(),
                        "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--wbits", "4", "--abits", "6", "--teacher", corrupt.toString(),
                        "--teacher-weight", "0", "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--preset", "tiny", "--wbits", "4", "--abits", "6", "--teacher",
                        ROOT.resolve("models/em-compact-fp.ckpt").toString(), "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--wbits", "4", "--abits", "6", "--teacher", corrupt.toString(),
                        "--out", tmp.resolve("a.unetq").toString()},
        };
        for (String[] c : cases) {
            MacArrayCommandTest.Run r = unetq(c);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertTrue(unetq(cases[0]).err().contains("bad magic"));
        assertTrue(unetq(cases[1]).err().contains("not laid out like a dataset"));
        assertTrue(unetq(cases[6]).err().contains("--frozen-bn-epochs must be between 0 and --epochs (2), got 3"));
        assertTrue(unetq(cases[7]).err().contains("--bn-gamma must be a positive number or auto, got -2"));
        assertTrue(unetq(cases[8]).err().contains("--teacher " + tmp.resolve("none.ckpt") + ": no such checkpoint"));
        assertTrue(unetq(cases[9]).err().contains("--teacher-weight must be a positive number, got 0.0"));
        assertTrue(unetq(cases[10]).err().contains("is a compact 16-32-64-64 network; the model to train is tiny 8-16-32-32"),
                unetq(cases[10]).err());
        assertTrue(unetq(cases[11]).err().contains("is not a training checkpoint"), unetq(cases[11]).err());
        assertFalse(Files.exists(tmp.resolve("a.unetq")));
    }
}
