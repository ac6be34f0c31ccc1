package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.MacArrayCommandTest.unetq;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateCommandTest {
    @Test
    void tableTotalsAndDeviceFill(@TempDir Path tmp) {
        Path d = tmp.resolve("d");
        MacArrayCommandTest.Run g = unetq("generate", "--model", "random:tiny", "--wbits", "4", "--abits", "6", "--size", "32x32",
                "--out", d.toString());
        assertEquals(0, g.code(), g.err());
        MacArrayCommandTest.Run big = unetq("estimate", d.toString(), "--device", "xcu250");
        assertEquals(0, big.code(), big.err());
        assertTrue(big.out().contains("enc0a") && big.out().contains("skip0") && big.out().contains("total"), big.out());
        assertTrue(big.out().contains("xcu250 capacity") && !big.out().contains("WARNING"), big.out());
        MacArrayCommandTest.Run small = unetq("estimate", d.toString(), "--device", "ice40up5k");
        assertEquals(0, small.code(), small.err());
        assertTrue(small.out().contains("WARNING: does not fit ice40up5k: LUT needs"), small.out());
    }

    @Test
    void badDeviceOrFolderIsAUsageError(@TempDir Path tmp) {
        MacArrayCommandTest.Run r = unetq("estimate", tmp.toString(), "--device", "xc7z020");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a design folder"), r.err());
        MacArrayCommandTest.Run dev = unetq("estimate", tmp.toString(), "--device", "xc9999");
        assertEquals(2, dev.code());
        assertTrue(dev.err().contains("unknown device 'xc9999'; known: xc7z020"), dev.err());
    }

    @Test
    void generateFoldsToADeviceOrSaysWhatDoesNotFit(@TempDir Path tmp) {
        Path fits = tmp.resolve("fits");
        MacArrayCommandTest.Run ok = unetq("generate", "--model", "random:tiny", "--wbits", "4", "--abits", "6", "--size", "16x16",
                "--device", "xczu3eg", "--out", fits.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("folding: the fastest whose estimate fits xczu3eg") && ok.out().contains("  fits xczu3eg"), ok.out());
        Path none = tmp.resolve("none");
        MacArrayCommandTest.Run no = unetq("generate", "--model", "random:tiny", "--wbits", "4", "--abits", "6", "--size", "64x64",
                "--device", "ice40up5k", "--out", none.toString());
        assertEquals(1, no.code());
        assertTrue(no.err().startsWith("unetq: error: nothing fits ice40up5k: the closest folding needs more: "
                + "LUT needs "), no.err());
        assertTrue(!java.nio.file.Files.exists(none), "no partial output");
        MacArrayCommandTest.Run both = unetq("generate", "--model", "random:tiny", "--wbits", "4", "--abits", "6", "--fps", "5", "--lut-budget", "9000", "--out",
                tmp.resolve("both").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("choose one of --fps and --lut-budget"), both.err());
    }

    @Test
    void placesAndRoutesASmallUNetOnAnIce40(@TempDir Path tmp) {
        Path d = tmp.resolve("small");
        MacArrayCommandTest.Run g = unetq("generate", "--model", "random:1-2", "--wbits", "2", "--abits", "2", "--size", "16x16",
                "--out", d.toString());
        assertEquals(0, g.code(), g.err());
        MacArrayCommandTest.Run r = unetq("estimate", d.toString(), "--device", "ice40hx8k", "--pnr");
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
        MacArrayCommandTest.Run xc7 = unetq("estimate", d.toString(), "--device", "xc7z020", "--pnr");
        assertEquals(2, xc7.code());
        assertTrue(xc7.err().contains("--pnr runs nextpnr-ice40: choose --device ice40up5k or ice40hx8k, not xc7z020"), xc7.err());
    }
}
