package unetq.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import unetq.golden.QuantizedUNet;
import unetq.hw.block.HardwareBlock;
import unetq.hw.cost.Device;
import unetq.hw.cost.Resources;
import unetq.hw.graph.UNetAccelerator;
import unetq.report.Report;
import unetq.sim.Tool;
import unetq.sim.Tools;

/** The HTML report of a simulated design: its slices, and from its folder the cycles, LUTs and device fill. */
final class SimulationReport {
    private SimulationReport() {
    }

    static Report of(DesignFolder design, QuantizedUNet net, boolean bitExact, String mismatch, String speed,
                     List<Report.Slice> slices, List<Report.Command> commands) {
        UNetAccelerator acc = design.accelerator(net);
        Device dev = Devices.byId(design.manifest().path("device").asText(Devices.DEFAULT));
        Map<String, Long> cycles = acc.cyclesPerFrame();
        List<String> blockNames = new ArrayList<>();
        List<Long> luts = new ArrayList<>();
        for (HardwareBlock b : acc.blocks()) {
            Resources r = dev.estimate(b);
            blockNames.add(b.name().startsWith(acc.name() + "_") ? b.name().substring(acc.name().length() + 1) : b.name());
            luts.add(r.luts() + r.lutram());
        }
        Resources total = dev.estimate(acc);
        Resources cap = dev.capacity();
        List<Report.Bar> fill = List.of(
                fillBar("LUT (logic + LUTRAM)", total.luts() + total.lutram(), cap.luts()),
                fillBar("FF", total.ffs(), cap.ffs()),
                fillBar(dev.family() == Device.Family.ICE40 ? "RAM (SB_RAM40_4K)" : "BRAM18", total.bram18(), cap.bram18()),
                fillBar("DSP", total.dsps(), cap.dsps()));
        List<Report.Tool> tools = new ArrayList<>();
        for (Tool t : List.of(Tool.VERILATOR, Tool.YOSYS, Tool.NEXTPNR_ICE40)) {
            tools.add(new Report.Tool(t.command(), Tools.find(t).isPresent() ? Tools.version(t) : "not installed"));
        }
        tools.add(new Report.Tool("unetq", unetq.hw.design.Version.VERSION + " (" + Provenance.commit() + ")"));
        String summary = String.format("Model %s: %s, weights %s, activations %s, threshold %s. Design %s, %dx%d, %.0f MHz, on %s.",
                design.manifest().path("model").asText("?"), net.topology(), net.weightFormat().describe(),
                net.activationFormat().describe(), net.threshold(), design.dir(), design.height(), design.width(),
                design.manifest().path("clockMhz").asDouble(), dev.id());
        return new Report("unetq simulate", summary, bitExact, mismatch, speed, slices,
                Report.scaled(List.copyOf(cycles.keySet()), List.copyOf(cycles.values()), "cycles"),
                Report.scaled(blockNames, luts, "LUT"), fill, dev.id(), tools, commands);
    }

    private static Report.Bar fillBar(String name, long used, long capacity) {
        String text = capacity == 0 ? String.format("%,d of none", used)
                : String.format("%,d of %,d (%.1f %%)", used, capacity, 100.0 * used / capacity);
        return new Report.Bar(name, used, capacity, text, used > capacity);
    }
}
