package unetq.hw.design;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import unetq.golden.ConvLayer;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.verilog.Module;
import unetq.verilog.VerilogWriter;
import unetq.hw.block.Memory;
import unetq.hw.cost.Device;
import unetq.hw.cost.MemoryPlacement;
import unetq.hw.cost.Resources;
import unetq.hw.graph.UNetAccelerator;
import unetq.hw.schedule.Folding;
import unetq.hw.schedule.FoldingSearch;

/**
 * A generated accelerator folder: the RTL of a {@link UNetAccelerator}, its .memh files, the
 * Verilator harness, {@code design.json} (formats with their paper names and hardware bits,
 * folding and expected cycles per layer, skip-buffer depths, frame rate at the clock) and a README.
 * The model file itself is written beside them as {@link #MODEL_FILE}.
 */
public final class UNetDesign {
    public static final String MODEL_FILE = "model.unetq";
    public static final String MANIFEST = "design.json";
    public static final String TOP = "unet";
    /** Verilator's top: the simulation wrapper around {@link #TOP}. */
    public static final String SIM_TOP = "unet_sim";

    private final UNetAccelerator accelerator;
    private final QuantizedUNet net;
    private final int height;
    private final int width;
    private final double clockMhz;
    private final String modelName;
    /** The device the folding was chosen for, or null: recorded so later commands need not ask again. */
    private final Device device;

    public UNetDesign(QuantizedUNet net, String modelName, int height, int width, double clockMhz, double targetFps) {
        if (clockMhz <= 0 || targetFps <= 0) {
            throw new IllegalArgumentException("--clock-mhz and --fps must be positive");
        }
        this.net = net;
        this.height = height;
        this.width = width;
        this.clockMhz = clockMhz;
        this.modelName = modelName;
        this.device = null;
        long target = (long) Math.floor(clockMhz * 1e6 / targetFps);
        FoldingSearch.Choice c = FoldingSearch.at(net, height, width, target, FoldingSearch.Budget.unlimited());
        this.accelerator = new UNetAccelerator(TOP, net, height, width, c.foldings(), c.placement());
    }

    /** With a folding chosen elsewhere (a budget search), the synthesis tool placing the memories. */
    public UNetDesign(QuantizedUNet net, String modelName, int height, int width, double clockMhz, Map<String, Folding> foldings) {
        this(net, modelName, height, width, clockMhz, foldings, MemoryPlacement.AUTO);
    }

    /** With a folding and a memory placement chosen elsewhere (a device search). */
    public UNetDesign(QuantizedUNet net, String modelName, int height, int width, double clockMhz, Map<String, Folding> foldings,
                      MemoryPlacement placement) {
        if (clockMhz <= 0) {
            throw new IllegalArgumentException("--clock-mhz must be positive");
        }
        this.net = net;
        this.height = height;
        this.width = width;
        this.clockMhz = clockMhz;
        this.modelName = modelName;
        this.device = null;
        this.accelerator = new UNetAccelerator(TOP, net, height, width, foldings, placement);
    }

    private UNetDesign(UNetDesign d, Device device) {
        this.net = d.net;
        this.height = d.height;
        this.width = d.width;
        this.clockMhz = d.clockMhz;
        this.modelName = d.modelName;
        this.accelerator = d.accelerator;
        this.device = device;
    }

    /** The same design, recorded in design.json as made for {@code device}. */
    public UNetDesign forDevice(Device device) {
        return new UNetDesign(this, java.util.Objects.requireNonNull(device, "device"));
    }

    public UNetAccelerator accelerator() {
        return accelerator;
    }

    public double fps() {
        return clockMhz * 1e6 / accelerator.boundCyclesPerFrame();
    }

    /** Every file of the folder but the model file (written beside them as {@link #MODEL_FILE}). */
    public Map<String, String> files() {
        Map<String, String> files = new TreeMap<>(DesignWriter.files(accelerator));
        // the harness drives the simulation wrapper (harness port names, skip occupancy), which is not synthesised
        Module sim = accelerator.simWrapper();
        files.put(StreamHarness.DIR + "/" + sim.name() + ".v", VerilogWriter.file(DesignWriter.HEADER
                + "\nSimulation only: Verilator's top for unetq simulate; not in files.f.", List.of(sim)));
        files.putAll(new StreamHarness(sim).files());
        files.put("README.md", readme());
        List<String> verilog = files.get(DesignWriter.FILE_LIST).lines().filter(l -> !l.isBlank()).toList();
        files.putAll(BuildFiles.files(TOP, verilog, List.copyOf(accelerator.memoryFiles().keySet()), clockMhz));
        List<String> names = new ArrayList<>(files.keySet());
        names.add(MODEL_FILE);
        files.put(MANIFEST, manifest(names.stream().sorted().toList()));
        return files;
    }

    String manifest(List<String> fileNames) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", "unetq " + Version.VERSION);
        m.put("design", "unet");
        m.put("top", TOP);
        m.put("model", modelName);
        UNetTopology topo = net.topology();
        Map<String, Object> topology = new LinkedHashMap<>(); // ordered: Map.of iterates in a per-JVM order
        topology.put("preset", topo.preset());
        topology.put("channels", topo.channels());
        m.put("topology", topology);
        m.put("height", height);
        m.put("width", width);
        Map<String, Object> formats = new LinkedHashMap<>();
        formats.put("image", FormatJson.of(QuantizedUNet.IMAGE_FORMAT));
        formats.put("weights", FormatJson.of(net.weightFormat()));
        formats.put("firstAndHeadWeights", FormatJson.of(QuantizedUNet.HEAD_WEIGHTS));
        formats.put("activations", FormatJson.of(net.activationFormat()));
        formats.put("concatInputs", FormatJson.of(QuantizedUNet.inputFormat(UNetTopology.Role.DECODER_CONCAT, net.activationFormat())));
        formats.put("logits", FormatJson.of(QuantizedUNet.LOGIT_FORMAT));
        m.put("formats", formats);
        m.put("threshold", net.threshold());
        List<Map<String, Object>> layers = new ArrayList<>();
        Map<String, Long> cycles = accelerator.cyclesPerFrame();
        accelerator.convBlocks().forEach((name, b) -> {
            ConvLayer l = b.layer();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", name);
            e.put("in", l.weights().inChannels());
            e.put("out", l.weights().outChannels());
            e.put("pe", b.folding().pe());
            e.put("simd", b.folding().simd());
            e.put("requantInLuts", b.folding().requantInLuts());
            e.put("mac", b.folding().mac().name());
            e.put("products", b.mac().form().toString());
            e.put("requantizers", b.requantUnits());
            e.put("accumulatorBits", b.accumulatorBits());
            e.put("cyclesPerPixel", b.cyclesPerOutput());
            e.put("cyclesPerFrame", cycles.get(name));
            layers.add(e);
        });
        m.put("layers", layers);
        List<Map<String, Object>> skips = new ArrayList<>();
        accelerator.schedule().buffers().forEach((name, b) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", name);
            e.put("leadPixels", b.leadPixels());
            e.put("timedPeakPixels", b.timedPeakPixels());
            e.put("beatsPerPixel", b.beatsPerPixel());
            e.put("depthBeats", b.depthBeats());
            // what it can hold: the depth and, with channel packing, the words its gather and split hold
            e.put("capacityBeats", ((unetq.hw.block.SkipFifo) accelerator.graph().node(name).block()).capacity());
            skips.add(e);
        });
        m.put("skipBuffers", skips);
        List<Map<String, Object>> streams = new ArrayList<>();
        for (unetq.hw.graph.Dataflow.Node n : accelerator.graph().nodes()) {
            for (unetq.hw.graph.Dataflow.Stream st : n.outputs().values()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", st.name());
                e.put("from", n.name());
                java.util.Map.Entry<unetq.hw.graph.Dataflow.Node, String> to = accelerator.graph().consumer(st);
                e.put("to", to == null ? "m_axis" : to.getKey().name());
                e.put("format", st.format().paperName());
                e.put("channels", st.channels());
                e.put("group", st.group());
                e.put("beatsPerPixel", st.beatsPerPixel());
                e.put("size", st.height() + "x" + st.width());
                streams.add(e);
            }
        }
        m.put("streams", streams);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("note", "estimates of the cost model (unetq estimate DIR for the table per block and a device's fill; "
                + "docs/estimation.md for its error against Yosys)");
        for (Device.Family f : List.of(Device.Family.XC7, Device.Family.ICE40)) {
            Resources r = accelerator.resources(f);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("luts", r.luts());
            e.put("lutram", r.lutram());
            e.put("ffs", r.ffs());
            e.put("bram18", r.bram18());
            e.put("dsps", r.dsps());
            res.put("estimate" + (f == Device.Family.XC7 ? "Xc7" : "Ice40"), e);
        }
        res.put("multipliers", accelerator.multipliers());
        List<Memory> mems = accelerator.memories();
        res.put("memoryBits", mems.stream().mapToLong(Memory::bits).sum());
        List<Map<String, Object>> ml = new ArrayList<>();
        for (Memory mem : mems) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", mem.name());
            e.put("depth", mem.depth());
            e.put("width", mem.width());
            e.put("bits", mem.bits());
            ml.add(e);
        }
        res.put("memories", ml);
        m.put("resources", res);
        m.put("memoryPlacement", accelerator.placement().isAuto() ? "auto" : accelerator.placement().lutsPerBlock());
        if (device != null) {
            m.put("device", device.id());
        }
        m.put("clockMhz", clockMhz);
        m.put("boundCyclesPerFrame", accelerator.boundCyclesPerFrame());
        m.put("modelCyclesPerFrame", accelerator.schedule().modelCyclesPerFrame());
        m.put("fpsAtClock", Math.round(fps() * 100) / 100.0);
        m.put("files", fileNames);
        return DesignWriter.json(m);
    }

    String readme() {
        return "# " + TOP + ": streaming U-Net accelerator\n\n"
                + "Generated by `unetq generate` (unetq " + Version.VERSION + ") from `" + modelName + "` ("
                + net.topology() + ", weights " + net.weightFormat().paperName() + ", activations "
                + net.activationFormat().paperName() + ") for " + height + "x" + width + " images.\n\n"
                + "Interface (AXI4-Stream): `clk`, `rst` (synchronous, active high); pixels in on `s_axis_tvalid`/`tready`/"
                + "`tdata[7:0]` in raster order, frames back to back, `s_axis_tuser` 1 on a frame's first pixel and `s_axis_tlast` "
                + "1 on a row's last pixel (checked: `framing_error` is sticky); the mask out on `m_axis_tdata[0]` with the logit "
                + "code on `m_axis_tdata[31:8]`, `m_axis_tuser`/`m_axis_tlast` marking frames and rows.\n\n"
                + "Slowest layer: " + accelerator.boundCyclesPerFrame() + " cycles per frame, "
                + String.format("%.2f", fps()) + " frames/s at " + clockMhz + " MHz. Folding, cycles and formats: `design.json`.\n\n"
                + "## Files\n- `*.v` (Verilog-2005), compile order in `files.f`; `*.memh` weight and requantizer ROMs\n"
                + "- `harness/`: Verilator stream harness and `" + TOP + "_sim.v`, the simulation-only wrapper (harness port names, "
                + "skip-buffer occupancy)\n- `design.json`, `" + MODEL_FILE + "` (the model it was made from)\n\n"
                + "## Simulate\n```\nunetq simulate DIR --image IMG.png [--label L.png] --out OUT\n```\n\n"
                + "## Build\n- `vivado -mode batch -source " + BuildFiles.VIVADO_SCRIPT + "`: a PYNQ-Z2 project (xc7z020clg400-1), "
                + "synthesis, implementation, reports in `vivado/`\n"
                + "- `" + TOP + ".core`: FuseSoC (`fusesoc run --target lint|zynq|icebreaker`)\n"
                + "- `bash build-ice40.sh [up5k|hx8k]`: Yosys + nextpnr-ice40 + icepack (check the fit first: `unetq estimate . --device ice40up5k`)\n"
                + "- `constraints/`: `clock.xdc` (this clock) and the board files `pynq-z2.xdc`, `icebreaker.pcf`\n\n"
                + "## Build by hand\n```\nverilator --cc --exe --build -Wall --top-module " + TOP + "_sim"
                + " -o sim -CFLAGS -I../harness $(cat files.f) harness/" + TOP + "_sim.v harness/stream_harness.cpp\n"
                + "yosys -p \"read_verilog $(cat files.f | tr '\\n' ' '); synth_xilinx -family xc7 -flatten -noiopad -top "
                + TOP + "; stat\"\n```\nVendor flows: add the `.v` files of `files.f` and the `.memh` files to a project, top `"
                + TOP + "`.\n";
    }
}
