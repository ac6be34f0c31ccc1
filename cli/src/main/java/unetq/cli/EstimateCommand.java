package unetq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import unetq.hw.cost.Device;
import unetq.hw.block.HardwareBlock;
import unetq.hw.cost.Resources;
import unetq.hw.graph.UNetAccelerator;
import unetq.hw.design.UNetDesign;
import unetq.sim.PlaceAndRoute;
import unetq.sim.Synthesis;

/**
 * {@code unetq estimate}: the resource table of a generated design, per block and in total, against
 * a device's capacity; with {@code --synth} Yosys synthesises the same Verilog (hierarchy kept) and
 * its numbers stand beside the estimate with the error per block.
 */
@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = "LUT/FF/BRAM/DSP estimate per block and in total, with the device fill; --synth compares with Yosys.",
        footer = {"", "Examples:",
                "  unetq estimate rtl-out/em --device xc7z020",
                "  unetq estimate rtl-out/em --device ice40up5k --synth",
                "  unetq estimate rtl-out/small --device ice40hx8k --pnr"})
final class EstimateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "A folder written by unetq generate.")
    Path dir;

    @Option(names = "--device", description = "Target device (default: the one the design was generated for, as design.json "
            + "records it, else " + Devices.DEFAULT + "); one of: " + Devices.LIST + ".")
    String device;

    @Option(names = "--synth", description = "Also synthesise with Yosys (synth_xilinx or synth_ice40) and show the error per block.")
    boolean synth;

    @Option(names = "--pnr", description = "iCE40 only: also place and route with nextpnr-ice40 at the design's clock "
            + "(files in DIR/build) and report logic-cell use and the achieved Fmax.")
    boolean pnr;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Device given = device == null ? null : Devices.byId(device);
        DesignFolder design = DesignFolder.open(dir);
        Device dev = given != null ? given : Devices.byId(design.manifest().path("device").asText(Devices.DEFAULT));
        if (pnr && dev.family() != Device.Family.ICE40) {
            throw new UsageError("--pnr runs nextpnr-ice40: choose --device ice40up5k or ice40hx8k, not " + dev);
        }
        if (design.kind().equals("mac-array")) {
            if (pnr) {
                throw new UsageError("--pnr places a U-Net accelerator; " + dir + " holds a mac-array design (use --synth)");
            }
            HardwareBlock mac = design.macArray().mac();
            table(dev, java.util.List.of(mac), mac.name(), dev.estimate(mac), unetq.hw.design.MacArrayDesign.TOP, null);
            return 0;
        }
        design.requireUNet();
        JsonNode manifest = design.manifest();
        UNetAccelerator acc = design.accelerator(design.model());
        table(dev, acc.blocks(), acc.name(), dev.estimate(acc), UNetDesign.TOP, acc);
        if (pnr) {
            placeAndRoute(spec.commandLine().getOut(), dev, manifest.get("clockMhz").asDouble());
        }
        return 0;
    }

    /** The estimate per block and in total (and Yosys's beside it with --synth), the device fill and warnings. */
    private void table(Device dev, java.util.List<? extends HardwareBlock> blocks, String prefix, Resources total, String top,
                      UNetAccelerator acc) {
        PrintWriter o = spec.commandLine().getOut();
        Synthesis syn = null;
        if (synth) {
            o.printf("yosys: synthesising %s for %s (hierarchy kept) ...%n", dir, dev.family());
            o.flush();
            long t0 = System.nanoTime();
            syn = Synthesis.run(dir, top, dev);
            o.printf("yosys: done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        o.printf("%-22s %8s %8s %6s %7s %5s", "block", "LUT", "FF", "BRAM18", "LUTRAM", "DSP");
        if (syn != null) {
            o.printf(" | %8s %8s %6s %7s %5s %7s", "LUT", "FF", "BRAM18", "LUTRAM", "DSP", "LUT err");
        }
        o.println();
        for (HardwareBlock b : blocks) {
            String name = b.name().equals(prefix) ? b.name() : b.name().substring(prefix.length() + 1);
            row(o, name, dev.estimate(b), syn == null ? null : syn.total(acc == null ? b.name() : acc.moduleOf(b.name())));
        }
        row(o, "total", total, syn == null ? null : syn.total(top));
        Resources cap = dev.capacity();
        o.printf("%s capacity: %d LUT, %d FF, %d BRAM18%s, %d DSP%n", dev, cap.luts(), cap.ffs(), cap.bram18(),
                dev.family() == Device.Family.ICE40 ? " (SB_RAM40_4K)" : "", cap.dsps());
        long luts = total.luts() + total.lutram();
        o.printf("fill: LUT %s, FF %s, BRAM %s, DSP %s%n", pct(luts, cap.luts()), pct(total.ffs(), cap.ffs()),
                pct(total.bram18(), cap.bram18()), pct(total.dsps(), cap.dsps()));
        String over = dev.overflow(total);
        if (!over.isEmpty()) {
            o.println("WARNING: does not fit " + dev + ": " + over);
        }
        if (acc == null) {
            o.flush();
            return;
        }
        if (dev.ioPins() > 0) {
            long pins = acc.modules().stream().filter(m -> m.name().equals(acc.name())).findFirst().orElseThrow()
                    .ports().stream().mapToLong(unetq.verilog.Port::width).sum();
            o.printf("top-level pins: %d of the package's %d%n", pins, dev.ioPins());
            if (pins > dev.ioPins()) {
                o.printf("WARNING: %d top-level pins do not fit the %d of %s's package: a board wrapper must keep the "
                        + "streams on chip%n", pins, dev.ioPins(), dev);
            }
        }
        o.flush();
    }

    /** Synthesis for the bitstream (flattened), nextpnr-ice40, and its report. */
    private void placeAndRoute(PrintWriter o, Device dev, double clockMhz) {
        o.printf("nextpnr-ice40: placing and routing %s on %s at %.1f MHz (takes minutes; log in %s) ...%n", dir, dev,
                clockMhz, dir.resolve("build/nextpnr.log"));
        o.flush();
        PlaceAndRoute.Report r = PlaceAndRoute.run(dir, UNetDesign.TOP, dev, clockMhz);
        Resources y = r.synthesised();
        o.printf("yosys synth_ice40%s (flattened): %d LUT4, %d FF, %d SB_RAM40_4K, %d SB_MAC16%n", dev.hasDsps() ? " -dsp" : "",
                y.luts(), y.ffs(), y.bram18(), y.dsps());
        for (PlaceAndRoute.Use u : r.utilisation()) {
            if (u.used() > 0) {
                o.printf("  %-14s %6d of %6d  %s%n", u.cell(), u.used(), u.available(), pct(u.used(), u.available()));
            }
        }
        o.printf("Fmax %.1f MHz (%s %.1f MHz), placed and routed in %.0f s%n", r.fmaxMhz(),
                r.timingMet() ? "meets" : "MISSES", r.targetMhz(), r.seconds());
        o.flush();
    }

    private static String pct(long used, long cap) {
        return cap == 0 ? (used == 0 ? "0 %" : "none available") : String.format("%.1f %%", 100.0 * used / cap);
    }

    private static void row(PrintWriter o, String name, Resources e, Resources s) {
        o.printf("%-22s %8d %8d %6d %7d %5d", name, e.luts(), e.ffs(), e.bram18(), e.lutram(), e.dsps());
        if (s != null) {
            o.printf(" | %8d %8d %6d %7d %5d %7s", s.luts(), s.ffs(), s.bram18(), s.lutram(), s.dsps(),
                    s.luts() == 0 ? "-" : String.format("%+.1f%%", 100.0 * (e.luts() - s.luts()) / s.luts()));
        }
        o.println();
    }
}
