package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import unetq.golden.SharedData;

class GenerateSimulateCommandIT {
    private static final Path EM = SharedData.dataset("isbi2012-em");

    @Test
    void randomTinyDesignSimulatesBitExactOnAnEmSlice(@TempDir Path tmp) throws IOException {
        Path design = tmp.resolve("design");
        Cli.Run g = unetq("generate", "--model", "random:tiny", "--wbits", "4", "--abits", "6", "--size",
                "16x24", "--fps", "20000", "--out", design.toString());
        assertEquals(0, g.code(), g.err());
        assertTrue(Files.readString(design.resolve("design.json")).contains("\"paper\" : \"Q0.4\""));
        Path out = tmp.resolve("sim");
        Cli.Run s = unetq("simulate", design.toString(), "--image", EM.resolve("images/5.png").toString(),
                "--label", EM.resolve("labels/5.png").toString(), "--out", out.toString(), "--stalls", "0.2", "--layers");
        assertEquals(0, s.code(), s.err() + s.out());
        assertTrue(s.out().contains("bit-exact: yes"), s.out());
        assertTrue(s.out().contains("layer dec0a") && s.out().contains("layer head"), s.out());
        assertFalse(s.out().contains("layer mismatch"), s.out());
        assertTrue(s.out().contains(", Dice "), s.out());
        assertTrue(Files.exists(out.resolve("5-mask.png")) && Files.exists(out.resolve("5-overlay.png")));

        // the project's own pancreas JPEGs are RGB with equal channels: taken as grey, as the dataset reader takes them
        Path pancreas = SharedData.dataset("nih-pancreas-ct");
        Cli.Run p = unetq("simulate", design.toString(), "--image", pancreas.resolve("images/PANCREAS_0001-1106.jpg").toString(),
                "--label", pancreas.resolve("masks/PANCREAS_0001-1106.jpg").toString(), "--out", tmp.resolve("sim-p").toString());
        assertEquals(0, p.code(), p.err() + p.out());
        assertTrue(p.out().contains("bit-exact: yes"), p.out());
    }

    @Test
    void requantizerProductsInLutsForASmallDeviceSimulateBitExact(@TempDir Path tmp) throws IOException {
        // the UP5K has 8 DSPs: the search builds products and requantizer products from LUTs where the DSPs run out
        Path design = tmp.resolve("up5k");
        Cli.Run g = unetq("generate", "--model", "random:1-2", "--wbits", "2", "--abits", "2", "--size", "16x16",
                "--fps", "10", "--device", "ice40up5k", "--out", design.toString());
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().lines().anyMatch(l -> l.contains("requantizer product in LUTs")), g.out());
        assertTrue(g.out().lines().anyMatch(l -> l.contains("products LUT")), g.out());
        String manifest = Files.readString(design.resolve("design.json"));
        assertTrue(manifest.contains("\"requantInLuts\" : true"), manifest);
        Cli.Run e = unetq("estimate", design.toString(), "--device", "ice40up5k");
        String[] total = e.out().lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow().trim().split("\\s+");
        assertTrue(Integer.parseInt(total[total.length - 1]) <= 8, "at most the UP5K's 8 DSPs: " + e.out());
        Path out = tmp.resolve("sim");
        Cli.Run s = unetq("simulate", design.toString(), "--image", EM.resolve("images/5.png").toString(),
                "--out", out.toString(), "--stalls", "0.2", "--layers");
        assertEquals(0, s.code(), s.err() + s.out());
        assertTrue(s.out().contains("bit-exact: yes"), s.out());
        assertFalse(s.out().contains("layer mismatch"), s.out());
    }
}
