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
import unetq.golden.SharedData;

/** train and eval refuse bad input before any work (no training here: that is TrainEvalCommandIT). */
class TrainEvalCommandTest {
    private static final String EM = SharedData.dataset("isbi2012-em").toString();
    private static final Path ROOT = Path.of(System.getProperty("unetq.root", "."));

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
                {"train", "--dataset", "em", "--data", EM, "--wbits", "4", "--abits", "6", "--recipe", "keras",
                        "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--wbits", "4", "--abits", "6", "--act-steps", "lsq",
                        "--out", tmp.resolve("a.unetq").toString()},
                {"train", "--dataset", "em", "--data", EM, "--float", "--act-steps", "learned", "--out", tmp.resolve("a.ckpt").toString()},
                {"train", "--dataset", "em", "--data", EM, "--wbits", "4", "--abits", "6", "--teacher-clip", "12",
                        "--out", tmp.resolve("a.unetq").toString()},
        };
        for (String[] c : cases) {
            Cli.Run r = unetq(c);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertTrue(unetq(cases[0]).err().contains("bad magic"), unetq(cases[0]).err());
        assertTrue(unetq(cases[1]).err().contains("not laid out like a dataset"), unetq(cases[1]).err());
        assertTrue(unetq(cases[6]).err().contains("--frozen-bn-epochs must be between 0 and 2, got 3"), unetq(cases[6]).err());
        assertTrue(unetq(cases[7]).err().contains("--bn-gamma must be a number above 0 and at most 1000000, got -2"), unetq(cases[7]).err());
        assertTrue(unetq(cases[8]).err().contains("--teacher " + tmp.resolve("none.ckpt") + ": no such checkpoint"), unetq(cases[8]).err());
        assertTrue(unetq(cases[9]).err().contains("--teacher-weight must be a number above 0 and at most 1000000, got 0"), unetq(cases[9]).err());
        assertTrue(unetq(cases[10]).err().contains("is a compact 16-32-64-64 network; the model to train is tiny 8-16-32-32"),
                unetq(cases[10]).err());
        assertTrue(unetq(cases[11]).err().contains("is not a training checkpoint"), unetq(cases[11]).err());
        assertTrue(unetq(cases[12]).err().contains("--recipe must be paper or v1, got keras"), unetq(cases[12]).err());
        assertTrue(unetq(cases[13]).err().contains("--act-steps must be fixed or learned, got lsq"), unetq(cases[13]).err());
        assertTrue(unetq(cases[14]).err().contains("--act-steps learned applies to a quantized model"), unetq(cases[14]).err());
        assertTrue(unetq(cases[15]).err().contains("--teacher-clip applies to a --teacher"), unetq(cases[15]).err());
        assertFalse(Files.exists(tmp.resolve("a.unetq")));
        assertFalse(Files.exists(tmp.resolve("a.ckpt")));
    }

    /**
     * A dataset's folder need not be given when the command knows the dataset: train takes --dataset's folder in
     * ../shared/data, export the one its checkpoint records (here it gets as far as refusing a float checkpoint).
     */
    @Test
    void datasetFoldersComeFromWhatIsRecorded(@TempDir Path tmp) {
        assertEquals(SharedData.dataset("isbi2012-em"), Datasets.folder(null, "em"));
        assertEquals(SharedData.dataset("spinal-cord-gm-t2star"), Datasets.folder(null, "gm"));
        assertEquals(Path.of("x"), Datasets.folder(Path.of("x"), "em"));
        Cli.Run e = unetq("export", "--checkpoint", ROOT.resolve("models/em-compact-fp.ckpt").toString(), "--out",
                tmp.resolve("m.unetq").toString());
        assertEquals(2, e.code());
        assertTrue(e.err().contains("em-compact-fp.ckpt is a full-precision run"), e.err());
        Cli.Run t = unetq("train", "--wbits", "4", "--abits", "6", "--out", tmp.resolve("m.unetq").toString());
        assertEquals(2, t.code());
        assertTrue(t.err().contains("give --data DIR (or --dataset em|gm|pancreas to read ../shared/data)"), t.err());
        Cli.Run threads = unetq("export", "--checkpoint", ROOT.resolve("models/em-compact-fp.ckpt").toString(), "--threads", "0",
                "--out", tmp.resolve("m.unetq").toString());
        assertTrue(threads.err().contains("--threads must be between 1 and 256, got 0"), threads.err());
        assertFalse(Files.exists(tmp.resolve("m.unetq")));
    }

    /** --init takes a training checkpoint of the same topology, and not with --resume; --calibrate needs it and a quantized model. */
    @Test
    void initNeedsACheckpointOfTheSameTopology(@TempDir Path tmp) {
        String fp = ROOT.resolve("models/em-compact-fp.ckpt").toString();
        String out = tmp.resolve("m.unetq").toString();
        Cli.Run topo = unetq("train", "--dataset", "em", "--preset", "tiny", "--wbits", "4", "--abits", "6", "--init", fp, "--out", out);
        assertEquals(2, topo.code());
        assertTrue(topo.err().contains("--init " + fp + " is a compact 16-32-64-64 network; the model to train is tiny"), topo.err());
        Cli.Run both = unetq("train", "--dataset", "em", "--wbits", "4", "--abits", "6", "--init", fp, "--resume", fp, "--out", out);
        assertTrue(both.err().contains("choose one of --init and --resume"), both.err());
        Cli.Run none = unetq("train", "--dataset", "em", "--wbits", "4", "--abits", "6", "--init", tmp.resolve("no.ckpt").toString(),
                "--out", out);
        assertTrue(none.err().contains("is not a training checkpoint"), none.err());
        Cli.Run alone = unetq("train", "--dataset", "em", "--wbits", "4", "--abits", "6", "--calibrate", "--out", out);
        assertEquals(2, alone.code());
        assertTrue(alone.err().contains("--calibrate fits a quantized model's grids to its --init network"), alone.err());
        Cli.Run fullPrecision = unetq("train", "--dataset", "em", "--float", "--init", fp, "--calibrate", "--out",
                tmp.resolve("m.ckpt").toString());
        assertEquals(2, fullPrecision.code());
        assertTrue(fullPrecision.err().contains("without --float"), fullPrecision.err());
        assertFalse(Files.exists(tmp.resolve("m.unetq")));
        assertFalse(Files.exists(tmp.resolve("m.ckpt")));
    }

    /** Dice per subject: the mean of each patient's images, per model, only when the images span several subjects. */
    @Test
    void diceIsReportedPerSubject() throws IOException {
        unetq.golden.PancreasDataset ds = unetq.golden.PancreasDataset.load(SharedData.dataset("nih-pancreas-ct"));
        java.util.List<unetq.golden.Sample> samples = ds.validation().subList(0, 5); // PANCREAS_0039 x2, PANCREAS_0040 x3
        EvalCommand.Row row = new EvalCommand.Row("m.unetq", "Q0.4", "Q6.0", 1, 5, 6, new double[] {10, 20, 30, 40, 50},
                new double[] {1, 2, 3, 4, 5}, "-", "", "-", null);
        String table = EvalCommand.subjectTable(ds, samples, java.util.List.of(row), true);
        assertTrue(table.contains("| PANCREAS_0039 | 2 | 15.00 / 1.50 % |"), table);
        assertTrue(table.contains("| PANCREAS_0040 | 3 | 40.00 / 4.00 % |"), table);
        assertEquals("", EvalCommand.subjectTable(ds, samples.subList(0, 2), java.util.List.of(row), true), "one subject: no table");
    }
}
