package unetq.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import unetq.hw.cost.Device;
import unetq.hw.cost.Resources;

/**
 * Yosys synthesis of a design folder with its hierarchy kept, so every module - every block - gets
 * its own cell counts ({@code stat -json}), mapped to {@link Resources}. The truth the estimates
 * are checked against.
 */
public final class Synthesis {
    /** LUTs a Xilinx distributed-RAM or shift-register cell occupies. */
    private static final Map<String, Integer> XC7_LUTRAM = Map.ofEntries(Map.entry("RAM32M", 4), Map.entry("RAM64M", 4),
            Map.entry("RAM32X1D", 2), Map.entry("RAM64X1D", 2), Map.entry("RAM128X1D", 4), Map.entry("RAM32X1S", 1),
            Map.entry("RAM64X1S", 1), Map.entry("RAM128X1S", 2), Map.entry("RAM256X1S", 4), Map.entry("SRL16E", 1),
            Map.entry("SRLC32E", 1));

    private final Map<String, Resources> own = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> children = new LinkedHashMap<>();
    private final String log;

    private Synthesis(JsonNode stat, Device.Family family, String log) {
        this.log = log;
        for (Iterator<Map.Entry<String, JsonNode>> it = stat.get("modules").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            String module = m.getKey().startsWith("\\") ? m.getKey().substring(1) : m.getKey();
            own.put(module, Resources.NONE);
            children.put(module, new LinkedHashMap<>());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = stat.get("modules").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            String module = m.getKey().startsWith("\\") ? m.getKey().substring(1) : m.getKey();
            Resources r = Resources.NONE;
            for (Iterator<Map.Entry<String, JsonNode>> c = m.getValue().get("num_cells_by_type").fields(); c.hasNext(); ) {
                Map.Entry<String, JsonNode> cell = c.next();
                String type = cell.getKey().startsWith("\\") ? cell.getKey().substring(1) : cell.getKey();
                long n = cell.getValue().asLong();
                if (own.containsKey(type)) {
                    children.get(module).merge(type, n, Long::sum);
                } else {
                    r = r.plus(cell(type, family).times(n));
                }
            }
            own.put(module, r);
        }
    }

    /** Resources of one cell of a technology library. */
    static Resources cell(String type, Device.Family family) {
        if (family == Device.Family.ICE40) {
            if (type.equals("SB_LUT4")) {
                return new Resources(1, 0, 0, 0, 0);
            }
            if (type.startsWith("SB_DFF")) {
                return new Resources(0, 1, 0, 0, 0);
            }
            if (type.startsWith("SB_RAM40_4K")) {
                return new Resources(0, 0, 1, 0, 0);
            }
            if (type.equals("SB_MAC16")) {
                return new Resources(0, 0, 0, 0, 1);
            }
            return Resources.NONE; // SB_CARRY, SB_GB, ...
        }
        if (type.matches("LUT[1-6]") || type.equals("INV")) {
            return new Resources(1, 0, 0, 0, 0);
        }
        if (type.matches("FD[RSCP]E")) {
            return new Resources(0, 1, 0, 0, 0);
        }
        if (type.equals("RAMB18E1") || type.equals("RAMB18E2")) {
            return new Resources(0, 0, 1, 0, 0);
        }
        if (type.equals("RAMB36E1") || type.equals("RAMB36E2")) {
            return new Resources(0, 0, 2, 0, 0);
        }
        if (type.startsWith("DSP48")) {
            return new Resources(0, 0, 0, 0, 1);
        }
        Integer lutram = XC7_LUTRAM.get(type);
        return lutram == null ? Resources.NONE : new Resources(0, 0, 0, lutram, 0); // CARRY4, MUXF7/8, BUFG
    }

    /**
     * Yosys script of a family, hierarchy kept ({@code synth_ice40} flattens unless told not to);
     * {@code dsps} lets iCE40 products use SB_MAC16 (the UP5K has them, the HX8K does not).
     */
    public static String flow(Device.Family family, boolean dsps, String top) {
        return switch (family) {
            case XC7 -> "synth_xilinx -family xc7 -noiopad -top " + top;
            case XCUP -> "synth_xilinx -family xcup -noiopad -top " + top;
            case ICE40 -> "synth_ice40" + (dsps ? " -dsp" : "") + " -noflatten -top " + top;
        };
    }

    /** Synthesises {@code top} of the design folder for the device (its family, DSPs or not). */
    public static Synthesis run(Path designDir, String top, Device device) {
        return run(designDir, top, device.family(), device.hasDsps());
    }

    /** Synthesises {@code top} of the design folder for the family, with DSPs; takes seconds for a block. */
    public static Synthesis run(Path designDir, String top, Device.Family family) {
        return run(designDir, top, family, true);
    }

    private static Synthesis run(Path designDir, String top, Device.Family family, boolean dsps) {
        try {
            Path stat = Files.createTempFile("unetq-stat", ".json");
            try {
                String log = Yosys.runOnDesign(designDir, flow(family, dsps, top) + "; tee -q -o " + stat.toAbsolutePath()
                        + " stat -json");
                return read(stat, family, log);
            } finally {
                Files.deleteIfExists(stat);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("yosys statistics of " + designDir + ": " + e.getMessage(), e);
        }
    }

    /** The statistics Yosys wrote with {@code tee -o FILE stat -json}. */
    static Synthesis read(Path statJson, Device.Family family, String log) throws IOException {
        return new Synthesis(new ObjectMapper().readTree(jsonOnly(Files.readString(statJson))), family, log);
    }

    /**
     * Yosys 0.23's {@code stat -json} of a hierarchy more than one level deep prints the hierarchy
     * as plain "module count" lines inside the JSON; those lines are dropped (the per-module counts
     * carry the same information).
     */
    static String jsonOnly(String stat) {
        StringBuilder sb = new StringBuilder();
        for (String line : stat.split("\n", -1)) {
            String t = line.strip();
            if (t.isEmpty() || t.contains("\"") || t.matches("[\\[\\]{},]+")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** Everything a module and the modules it instantiates use. */
    public Resources total(String module) {
        Resources r = own.get(module);
        if (r == null) {
            throw new IllegalArgumentException("no module " + module + " in the synthesised design");
        }
        for (Map.Entry<String, Long> c : children.get(module).entrySet()) {
            r = r.plus(total(c.getKey()).times(c.getValue()));
        }
        return r;
    }

    /** Modules instantiated by {@code module}, with their counts. */
    public Map<String, Long> children(String module) {
        return Map.copyOf(children.get(module));
    }

    public String log() {
        return log;
    }
}
