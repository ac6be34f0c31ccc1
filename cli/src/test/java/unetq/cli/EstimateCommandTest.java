package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateCommandTest {
    @Test
    void tableTotalsAndDeviceFill(@TempDir Path tmp) {
        Path d = tmp.resolve("d");
        Cli.Run g = unetq("generate", "--device", "none", "--model", "random:tiny", "--wbits", "4", "--abits", "6", "--size", "32x32",
                "--out", d.toString());
        assertEquals(0, g.code(), g.err());
        Cli.Run big = unetq("estimate", d.toString(), "--device", "xcu250");
        assertEquals(0, big.code(), big.err());
        assertTrue(big.out().contains("enc0a") && big.out().contains("skip0") && big.out().contains("total"), big.out());
        assertTrue(big.out().contains("xcu250 capacity") && !big.out().contains("WARNING"), big.out());
        Cli.Run small = unetq("estimate", d.toString(), "--device", "ice40up5k");
        assertEquals(0, small.code(), small.err());
        assertTrue(small.out().contains("WARNING: does not fit ice40up5k: LUT needs"), small.out());
    }

    /** A generate mac-array folder is estimated as its one block; --pnr (a U-Net's) is refused with one line. */
    @Test
    void macArrayFoldersAreEstimatedToo(@TempDir Path tmp) {
        Path m = tmp.resolve("m");
        assertEquals(0, unetq("generate", "mac-array", "--wbits", "4", "--abits", "6", "--rows", "4", "--cols", "8",
                "--out", m.toString()).code());
        Cli.Run e = unetq("estimate", m.toString());
        assertEquals(0, e.code(), e.err());
        String block = e.out().lines().filter(l -> l.startsWith("mac_array")).findFirst().orElseThrow();
        String total = e.out().lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow();
        assertEquals(block.substring("mac_array".length()).strip(), total.substring("total".length()).strip(), e.out());
        assertTrue(e.out().contains("xc7z020 capacity"), e.out());
        Cli.Run pnr = unetq("estimate", m.toString(), "--device", "ice40hx8k", "--pnr");
        assertEquals(2, pnr.code());
        assertTrue(pnr.err().contains("holds a mac-array design"), pnr.err());
    }

    @Test
    void badDeviceOrFolderIsAUsageError(@TempDir Path tmp) {
        Cli.Run r = unetq("estimate", tmp.toString(), "--device", "xc7z020");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a design folder"), r.err());
        Cli.Run dev = unetq("estimate", tmp.toString(), "--device", "xc9999");
        assertEquals(2, dev.code());
        assertTrue(dev.err().contains("unknown device 'xc9999'; known: xc7z020"), dev.err());
    }

    @Test
    void everyCommandNamesTheSameDevicesAndDefault() {
        assertEquals(unetq.hw.cost.Device.known(), Devices.LIST);
        for (String cmd : new String[] {"generate", "demo", "sweep bits"}) {
            Cli.Run h = unetq((cmd + " --help").split(" "));
            assertTrue(h.out().replaceAll("\\s+", " ").contains("Default " + Devices.DEFAULT) || h.out().replaceAll("\\s+", " ")
                    .contains("default " + Devices.DEFAULT), cmd + ": " + h.out());
        }
        Cli.Run h = unetq("estimate", "--help");
        assertTrue(h.out().replaceAll("\\s+", " ").contains("the one the design was generated for"), h.out());
    }

    @Test
    void generateFoldsToADeviceOrSaysWhatDoesNotFit(@TempDir Path tmp) {
        Path fits = tmp.resolve("fits");
        Cli.Run ok = unetq("generate", "--model", "random:tiny", "--wbits", "4", "--abits", "6", "--size", "16x16",
                "--device", "xczu3eg", "--out", fits.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("folding: the fastest whose estimate fits xczu3eg") && ok.out().contains("  fits xczu3eg"), ok.out());
        // the device is recorded in design.json: estimate does not ask for it again
        Cli.Run est = unetq("estimate", fits.toString());
        assertEquals(0, est.code(), est.err());
        assertTrue(est.out().contains("xczu3eg capacity"), est.out());
        Cli.Run other = unetq("estimate", fits.toString(), "--device", "xc7a35t");
        assertTrue(other.out().contains("xc7a35t capacity"), other.out());
        Path none = tmp.resolve("none");
        Cli.Run no = unetq("generate", "--model", "random:tiny", "--wbits", "4", "--abits", "6", "--size", "64x64",
                "--device", "ice40up5k", "--out", none.toString());
        assertEquals(1, no.code());
        assertTrue(no.err().startsWith("unetq: error: nothing fits ice40up5k: ") && no.err().contains("the closest design needs ")
                && no.err().contains("LUT needs "), no.err());
        assertTrue(!java.nio.file.Files.exists(none), "no partial output");
        Cli.Run both = unetq("generate", "--model", "random:tiny", "--wbits", "4", "--abits", "6", "--fps", "5", "--lut-budget", "9000", "--out",
                tmp.resolve("both").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("choose one of --fps and --lut-budget"), both.err());
    }
}
