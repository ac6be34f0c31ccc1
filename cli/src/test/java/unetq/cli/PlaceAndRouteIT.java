package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaceAndRouteIT {
    @Test
    void placesAndRoutesASmallUNetOnAnIce40(@TempDir Path tmp) {
        Path d = tmp.resolve("small");
        Cli.Run g = unetq("generate", "--device", "none", "--model", "random:1-2", "--wbits", "2", "--abits", "2", "--size", "16x16",
                "--out", d.toString());
        assertEquals(0, g.code(), g.err());
        Cli.Run r = unetq("estimate", d.toString(), "--device", "ice40hx8k", "--pnr");
        assertEquals(0, r.code(), r.err());
        System.out.println(r.out());
        java.util.regex.Matcher y = java.util.regex.Pattern.compile("\\(flattened\\): (\\d+) LUT4, (\\d+) FF, (\\d+) SB_RAM40_4K")
                .matcher(r.out());
        java.util.regex.Matcher lc = java.util.regex.Pattern.compile("ICESTORM_LC +(\\d+) of +7680").matcher(r.out());
        java.util.regex.Matcher ram = java.util.regex.Pattern.compile("ICESTORM_RAM +(\\d+) of +32").matcher(r.out());
        java.util.regex.Matcher fmax = java.util.regex.Pattern.compile("Fmax ([0-9.]+) MHz").matcher(r.out());
        assertTrue(y.find() && lc.find() && ram.find() && fmax.find(), r.out());
        long luts = Long.parseLong(y.group(1));
        long ffs = Long.parseLong(y.group(2));
        long cells = Long.parseLong(lc.group(1));
        // a logic cell holds one LUT4 and one flip-flop: packing can only pair them up
        assertTrue(cells >= Math.max(luts, ffs) && cells <= luts + ffs, cells + " logic cells for " + luts + " LUT4 + " + ffs + " FF");
        assertEquals(Long.parseLong(y.group(3)), Long.parseLong(ram.group(1)), "block RAMs placed = synthesised");
        double mhz = Double.parseDouble(fmax.group(1));
        assertTrue(mhz > 1 && mhz < 1000, "Fmax " + mhz);
        assertTrue(java.nio.file.Files.isRegularFile(d.resolve("build/report.json")));
        java.util.regex.Matcher pins = java.util.regex.Pattern.compile("top-level pins: (\\d+) of the package's 206").matcher(r.out());
        java.util.regex.Matcher io = java.util.regex.Pattern.compile("SB_IO +(\\d+) of").matcher(r.out());
        assertTrue(pins.find() && io.find(), r.out());
        assertEquals(Long.parseLong(io.group(1)), Long.parseLong(pins.group(1)), "pins counted = I/O cells placed");
        Cli.Run xc7 = unetq("estimate", d.toString(), "--device", "xc7z020", "--pnr");
        assertEquals(2, xc7.code());
        assertTrue(xc7.err().contains("--pnr runs nextpnr-ice40: choose --device ice40up5k or ice40hx8k, not xc7z020"), xc7.err());
    }
}
