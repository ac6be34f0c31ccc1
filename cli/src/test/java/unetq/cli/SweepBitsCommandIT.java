package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sweep bits} on the float baseline and the shipped W4A6 EM model: its rows agree with eval and generate. */
class SweepBitsCommandIT {
    private static final Path ROOT = Path.of(System.getProperty("unetq.root", ".")).toAbsolutePath();

    @Test
    void rowsAgreeWithEvalAndGenerateAndThePlotsAreWritten(@TempDir Path tmp) throws IOException {
        String w4a6 = ROOT.resolve("models/em-compact-w4a6.unetq").toString();
        Path out = tmp.resolve("bits.md");
        Cli.Run s = unetq("sweep", "bits", "--dataset", "em", "--device", "xc7z020", "--model",
                ROOT.resolve("models/em-compact-fp.ckpt").toString(), "--model", w4a6, "--out", out.toString());
        assertEquals(0, s.code(), s.err());
        String table = Files.readString(out);
        String row = table.lines().filter(l -> l.startsWith("| em-compact-w4a6.unetq |")).findFirst().orElseThrow();
        String[] cells = Arrays.stream(row.split("\\|")).map(String::strip).toArray(String[]::new);

        // Dice as eval prints it
        Cli.Run e = unetq("eval", "--model", w4a6, "--data", unetq.golden.SharedData.dataset("isbi2012-em").toString());
        String mean = e.out().lines().filter(l -> l.startsWith("mean")).findFirst().orElseThrow();
        assertArrayEquals(mean.replace("%", "").trim().split("\\s+"), new String[] {"mean", cells[4].replace(" %", ""),
                cells[5].replace(" %", "")}, table);

        // frames/s and LUTs as generate --device prints them
        Cli.Run g = unetq("generate", "--model", w4a6, "--size", "200x200", "--device", "xc7z020", "--out", tmp.resolve("g").toString());
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains(cells[13] + " frames/s at 100 MHz"), g.out() + "\n" + row);
        String est = g.out().lines().filter(l -> l.contains("estimate (7-series)")).findFirst().orElseThrow();
        String[] n = est.replaceAll("[^0-9 ]", " ").trim().split("\\s+");
        assertEquals(Long.parseLong(n[1]) + Long.parseLong(n[2]), Long.parseLong(cells[8].replace(",", "")), est + "\n" + row);

        // the page: the same row, and every plot loads in a browser
        String dom = unetq.sim.Browser.dom(tmp.resolve("bits.html"));
        assertTrue(dom.contains("data-images-loaded=\"4/4\""), dom.replaceAll("(?s).*(<body[^>]*>).*", "$1"));
        assertTrue(dom.contains("<td>em-compact-w4a6.unetq</td>") && dom.contains("<td class=\"dice\">" + cells[4] + "</td>"), dom);
        for (String p : new String[] {"dice-vs-bits", "dice-vs-luts", "luts-per-layer", "cycles-per-layer"}) {
            byte[] png = Files.readAllBytes(tmp.resolve("bits-" + p + ".png"));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), p);
            assertTrue(Files.readString(tmp.resolve("bits-" + p + ".svg")).contains("<svg"), p);
        }
    }

    /** --train: the float model and the four bit-widths fine-tuned from it (tiny, one epoch), each with its command, then the table. */
    @Test
    void trainsEveryConfigurationWhenAsked(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("bits.md");
        Path work = tmp.resolve("work");
        Cli.Run s = unetq("sweep", "bits", "--dataset", "em", "--device", "xc7z020", "--train", "--epochs", "1", "--preset", "tiny",
                "--threads", "1", "--work", work.toString(), "--out", out.toString());
        assertEquals(0, s.code(), s.err() + s.out());
        for (String m : new String[] {"em-tiny-w2a4.unetq", "em-tiny-w4a6.unetq", "em-tiny-w8a8.unetq", "em-tiny-q88.unetq"}) {
            unetq.golden.ModelFile.Model model = unetq.golden.ModelFile.read(work.resolve("em").resolve(m));
            String fp = work.resolve("em").resolve("em-tiny-fp.ckpt").toString();
            String command = model.provenance().get("command");
            assertTrue(command.contains("--teacher " + fp) && command.contains("--init " + fp) && command.contains("--calibrate"),
                    m + ": " + command);
        }
        String table = Files.readString(out);
        assertTrue(table.contains("--train --epochs 1 --preset tiny"), table);
        assertEquals(5, table.lines().filter(l -> l.startsWith("| em-tiny-")).count(), table);
        Cli.Run both = unetq("sweep", "bits", "--train", "--model", "x.unetq", "--out", tmp.resolve("b.md").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("choose one of --train and --model"), both.err());
    }
}
