package unetq.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import unetq.hw.cost.Device;
import unetq.hw.cost.Resources;

/**
 * Open place and route of a design folder on an iCE40, the same steps as its {@code build-ice40.sh}:
 * Yosys {@code synth_ice40} (flattened, as for a bitstream; {@code -dsp} where the device has
 * SB_MAC16), then nextpnr-ice40 at the design's clock. Utilisation and the achieved Fmax come from
 * nextpnr's JSON report; everything is written to {@code DIR/build/}.
 */
public final class PlaceAndRoute {
    /** One kind of cell: how many the design uses of how many the device has. */
    public record Use(String cell, long used, long available) {
    }

    /** What nextpnr reports, beside what Yosys synthesised for it. */
    public record Report(List<Use> utilisation, double fmaxMhz, double targetMhz, Resources synthesised, Path dir,
                         double seconds) {
        public boolean timingMet() {
            return fmaxMhz >= targetMhz;
        }

        public Use use(String cell) {
            return utilisation.stream().filter(u -> u.cell().equals(cell)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("nextpnr reported no " + cell));
        }
    }

    private PlaceAndRoute() {
    }

    /** nextpnr-ice40's device and package options, and the board pin file when there is one. */
    static List<String> deviceArgs(Device device, Path designDir) {
        Device.Ice40Package p = device.ice40Package().orElseThrow(() -> new IllegalArgumentException(
                "place and route runs nextpnr-ice40: choose --device ice40up5k or ice40hx8k, not " + device));
        List<String> args = new ArrayList<>(List.of("--" + p.nextpnrDevice(), "--package", p.name()));
        if (p.boardPcf() != null) { // without a board file every pin is left to the placer
            args.addAll(List.of("--pcf", designDir.resolve("constraints/" + p.boardPcf()).toAbsolutePath().toString()));
        }
        return args;
    }

    /** Synthesises, places and routes {@code top}; fails with nextpnr's first error when the design does not fit or route. */
    public static Report run(Path designDir, String top, Device device, double clockMhz) {
        List<String> devArgs = deviceArgs(device, designDir);
        long t0 = System.nanoTime();
        Path build = designDir.resolve("build");
        try {
            Files.createDirectories(build);
            Path netlist = build.resolve(top + ".json").toAbsolutePath();
            Path report = build.resolve("report.json").toAbsolutePath();
            Files.deleteIfExists(report); // never read a stale report
            Path stat = build.resolve("stat.json").toAbsolutePath();
            String log = Yosys.runOnDesign(designDir, "synth_ice40" + (device.hasDsps() ? " -dsp" : "") + " -top " + top
                    + " -json " + netlist + "; tee -q -o " + stat + " stat -json");
            Resources synthesised = Synthesis.read(stat, device.family(), log).total(top);
            List<String> cmd = new ArrayList<>(List.of(Tools.require(Tool.NEXTPNR_ICE40).toString()));
            cmd.addAll(devArgs);
            cmd.addAll(List.of("--json", netlist.toString(), "--pcf-allow-unconstrained", "--timing-allow-fail",
                    "--freq", String.format("%.3f", clockMhz), "--report", report.toString(),
                    "--log", build.resolve("nextpnr.log").toAbsolutePath().toString(), "--seed", "1", "-q"));
            Proc.Result r = Proc.run(cmd, designDir, 60);
            if (!r.ok() || !Files.exists(report)) {
                String first = r.output().lines().filter(l -> l.contains("ERROR")).findFirst()
                        .orElse("exit code " + r.exitCode()).replaceFirst("^ERROR: ", "").trim();
                String over = overCapacity(build.resolve("nextpnr.log"));
                throw new SimulationException("nextpnr-ice40 failed on " + designDir + ": "
                        + (over.isEmpty() ? first : "does not fit " + device + ": " + over + " (" + first + ")"));
            }
            return parse(new ObjectMapper().readTree(report.toFile()), clockMhz, synthesised, build,
                    (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException("place and route of " + designDir + ": " + e.getMessage(), e);
        }
    }

    /** nextpnr's report: {"utilization": {cell: {used, available}}, "fmax": {clock: {achieved, constraint}}}. */
    static Report parse(JsonNode json, double clockMhz, Resources synthesised, Path dir, double seconds) {
        List<Use> uses = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.path("utilization").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            uses.add(new Use(e.getKey(), e.getValue().path("used").asLong(), e.getValue().path("available").asLong()));
        }
        double fmax = Double.POSITIVE_INFINITY;
        for (Iterator<JsonNode> it = json.path("fmax").elements(); it.hasNext(); ) {
            fmax = Math.min(fmax, it.next().path("achieved").asDouble());
        }
        if (uses.isEmpty() || Double.isInfinite(fmax)) {
            throw new SimulationException("nextpnr's report in " + dir + " has no utilisation or no clock");
        }
        return new Report(List.copyOf(uses), fmax, clockMhz, synthesised, dir, seconds);
    }

    /** The cells nextpnr's log lists as used beyond the device ("ICESTORM_LC 7820 of 7680"), comma-separated. */
    static String overCapacity(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        Matcher m = UTILISATION.matcher(Files.readString(log));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            long used = Long.parseLong(m.group(2));
            long available = Long.parseLong(m.group(3));
            if (used > available) {
                sb.append(sb.length() == 0 ? "" : ", ").append(m.group(1)).append(' ').append(used).append(" of ").append(available);
            }
        }
        return sb.toString();
    }

    /** A line of nextpnr's "Device utilisation" table: "Info:     ICESTORM_LC:  7820/ 7680   101%". */
    private static final Pattern UTILISATION = Pattern.compile("Info:\\s+(\\w+):\\s+(\\d+)/\\s*(\\d+)\\s+\\d+%");
}
