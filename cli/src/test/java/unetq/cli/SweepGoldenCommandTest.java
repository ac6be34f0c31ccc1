package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sweep golden} counts a frame's multiply-accumulates and writes its table. */
class SweepGoldenCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("unetq.root", ".")).toAbsolutePath();

    @Test
    void countsTheMacsOfAFrameAndWritesATable(@TempDir Path tmp) throws IOException {
        Path image = tmp.resolve("grey.png");
        ImageIO.write(new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY), "png", image.toFile());
        Path out = tmp.resolve("speed.md");
        Cli.Run r = unetq("sweep", "golden", "--model", ROOT.resolve("models/em-compact-w4a6.unetq").toString(),
                "--image", image.toString(), "--frames", "1", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        // every conv's MACs scale with the pixels: the compact U-Net's 1.44 G at 200x200 is 82,944,000 at 48x48
        String table = Files.readString(out);
        assertTrue(table.contains("48x48 image: 82,944,000 multiply-accumulates a frame"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("| 1 | 1 | ")), table);
    }
}
