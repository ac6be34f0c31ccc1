package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;
import static unetq.cli.MacArrayCommandTest.macArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import unetq.sim.Lint;
import unetq.sim.Yosys;

class MacArrayCommandIT {
    @Test
    void paperFormatsLintCleanSynthesiseLatchFreeAndAreDeterministic(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String[] opts = {"--wbits", "4", "--abits", "6", "--rows", "4", "--cols", "4"};
        Cli.Run first = unetq(macArray(a, opts));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("Q0.4 (6-bit two's complement"), first.out());
        assertEquals(0, unetq(macArray(b, opts)).code());
        try (Stream<Path> files = Files.walk(a)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertEquals(Files.readString(f), Files.readString(b.resolve(a.relativize(f))), "byte-identical " + f);
            }
        }
        Lint.verilatorWall(a, "mac_array");
        Yosys.checkLatchFree(a, "mac_array", Yosys.Family.XC7);
        String json = Files.readString(a.resolve("design.json"));
        assertTrue(json.contains("\"paper\" : \"Q0.4\"") && json.contains("\"hardwareBits\" : 6"), json);

        // estimate reads a mac-array folder too, and Yosys stands beside it: same DSPs, LUTs within 25 %
        Cli.Run e = unetq("estimate", a.toString(), "--synth");
        assertEquals(0, e.code(), e.err());
        String[] total = e.out().lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow().replace("|", " ").trim().split("\\s+");
        long estLut = Long.parseLong(total[1]) + Long.parseLong(total[4]);
        long synLut = Long.parseLong(total[6]) + Long.parseLong(total[9]);
        assertEquals(total[5], total[10], "DSPs: " + e.out());
        assertTrue(Math.abs(estLut - synLut) <= 0.25 * synLut, "LUTs: " + e.out());
    }

}
