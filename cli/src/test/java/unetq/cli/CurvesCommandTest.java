package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** unetq curves: a train log's epoch lines become a PNG beside it. */
class CurvesCommandTest {
    private static final List<String> LOG = List.of(
            "training compact 16-32-64-64 W Q0.4 A Q6.0 on gm (...), 3 epochs x 8 steps x batch 4, seed 1, 1 threads",
            "epoch   1/3  loss 0.9968  val Dice 0.20 % (t=0.999)  0.24 % (t=0.5)  lr 1.00e-03  26.7 s",
            "epoch   2/3  loss 0.7000  val Dice 41.50 % (t=0.999)  40.25 % (t=0.5)  lr 5.00e-04  20.7 s",
            "epoch   3/3  loss 0.6000  val Dice 52.00 % (t=0.999)  53.10 % (t=0.5)  lr 0.00e+00  19.0 s  BN frozen",
            "best epoch 3: validation Dice 52.00 % (float with fake quantization, t=0.999), trained in 66 s");

    @Test
    void parsesEpochLines() {
        List<LearningCurve.Point> p = LearningCurve.parse(LOG);
        assertEquals(3, p.size());
        assertEquals(new LearningCurve.Point(2, 41.5, 40.25, false), p.get(1));
        assertTrue(p.get(2).frozen());
    }

    @Test
    void writesAPngBesideTheLogAndRefusesToReplaceIt(@TempDir Path tmp) throws IOException {
        Path log = Files.write(tmp.resolve("run.log"), LOG);
        Cli.Run r = unetq("curves", log.toString());
        assertEquals(0, r.code(), r.err());
        byte[] png = Files.readAllBytes(tmp.resolve("run.png"));
        assertEquals(0x89, png[0] & 0xff); // PNG signature
        assertEquals('P', png[1]);
        assertTrue(javax.imageio.ImageIO.read(tmp.resolve("run.png").toFile()).getWidth() == 900);
        Cli.Run again = unetq("curves", log.toString());
        assertEquals(2, again.code());
        assertEquals(0, unetq("curves", log.toString(), "--force").code());
        Path empty = Files.writeString(tmp.resolve("empty.log"), "nothing here\n");
        Cli.Run bad = unetq("curves", empty.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("holds no epoch lines"), bad.err());
        assertFalse(Files.exists(tmp.resolve("empty.png")));
    }
}
