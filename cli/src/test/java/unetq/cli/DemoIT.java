package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.nio.file.Files;
import java.nio.file.Path;
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
        assertTrue(Files.exists(out.resolve("report.md")), "the report");
        System.out.printf("demo --count 1: %.0f s%n", seconds);
    }
}
