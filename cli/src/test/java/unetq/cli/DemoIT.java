package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's demo: the shipped EM model fitted to a Zynq-7020, built, and simulated bit-exact on a sample slice. */
class DemoIT {
    @Test
    void demoFitsTheZynqAndEndsBitExact(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("demo");
        long t0 = System.nanoTime();
        Cli.Run r = unetq("demo", "--count", "1", "--out", out.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("fits xc7z020"), r.out());
        assertTrue(r.out().contains("bit-exact: yes"), r.out());
        Path page = out.resolve("report.html");
        assertTrue(r.out().strip().endsWith("report: " + page.toAbsolutePath()), "the demo ends with its report's path: " + r.out());
        System.out.printf("demo --count 1: %.0f s%n", seconds);
        // the page as a browser shows it: the four pictures loaded, the Dice printed, the verdict, the bars
        String dom = unetq.sim.Browser.dom(page);
        assertTrue(dom.contains("data-images-loaded=\"4/4\""), "input, label, prediction and error map load: "
                + dom.replaceAll("(?s).*(<body[^>]*>).*", "$1"));
        Matcher printed = Pattern.compile("Dice (\\d+\\.\\d\\d %) \\(t=").matcher(r.out());
        assertTrue(printed.find(), r.out());
        Matcher shown = Pattern.compile("<span class=\"dice\">([^<]*)</span>").matcher(dom);
        assertTrue(shown.find(), "a Dice on the page");
        assertEquals(printed.group(1), shown.group(1));
        assertTrue(dom.contains("id=\"bit-exact\">yes<"), "the verdict on the page");
        assertTrue(dom.contains(">enc0a<") && dom.contains(" cycles<") && dom.contains("Device fill: xc7z020"), "bars");
    }
}
