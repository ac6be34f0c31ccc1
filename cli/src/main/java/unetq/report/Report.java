package unetq.report;

import java.util.List;

/**
 * What one HTML report shows: how it was made (commands, tool versions), whether the RTL matched the
 * golden model, the images per slice, and where the cycles and the resources go. Plain data: simulate
 * writes it as report.json beside report.html, and demo reads it back to add its own commands.
 *
 * @param title     page title
 * @param summary   one line under the title (model, design, size)
 * @param bitExact  every output equal to the golden model's
 * @param mismatch  the first mismatch, or null
 * @param speed     cycles per frame and frames/s, one line
 * @param slices    per image: the four pictures and its Dice
 * @param cycles    cycles per frame of every node of the dataflow graph (the slowest sets the rate)
 * @param luts      LUTs (logic + LUTRAM) per block
 * @param fill      use of the device per resource
 * @param device    the device the fill is measured against
 * @param tools     external tool versions
 * @param commands  the commands that made the report, with their output
 */
public record Report(String title, String summary, boolean bitExact, String mismatch, String speed, List<Slice> slices,
                     List<Bar> cycles, List<Bar> luts, List<Bar> fill, String device, List<Tool> tools, List<Command> commands) {
    public Report {
        slices = List.copyOf(slices);
        cycles = List.copyOf(cycles);
        luts = List.copyOf(luts);
        fill = List.copyOf(fill);
        tools = List.copyOf(tools);
        commands = List.copyOf(commands);
    }

    /**
     * One image: file names relative to the page of the input, the ground truth (or null), the predicted
     * mask and the error map (or null without a label), and the Dice in percent (or null).
     */
    public record Slice(String name, String input, String label, String prediction, String errors, Double dice) {
        /** The Dice as the page and the console print it. */
        public String diceText() {
            return dice == null ? null : String.format("%.2f %%", dice);
        }
    }

    /** A labelled quantity drawn as a bar: {@code percent} of the largest (or of capacity), and its text. */
    public record Bar(String name, long value, long of, String text, boolean over) {
        public double percent() {
            return of <= 0 ? 0 : Math.min(100, 100.0 * value / of);
        }

        public String width() {
            return String.format("%.1f", percent());
        }
    }

    public record Tool(String name, String version) {
    }

    public record Command(String line, String output) {
    }

    /** The same report with image paths under {@code folder} (a report embedded one folder up) and these commands. */
    public Report relocated(String folder, List<Command> newCommands) {
        List<Slice> moved = slices.stream().map(s -> new Slice(s.name(), under(folder, s.input()), under(folder, s.label()),
                under(folder, s.prediction()), under(folder, s.errors()), s.dice())).toList();
        return new Report(title, summary, bitExact, mismatch, speed, moved, cycles, luts, fill, device, tools, newCommands);
    }

    private static String under(String folder, String file) {
        return file == null ? null : folder + "/" + file;
    }

    /** Bars scaled to the largest value: the longest bar is full width. */
    public static List<Bar> scaled(List<String> names, List<Long> values, String unit) {
        long max = values.stream().mapToLong(Long::longValue).max().orElse(1);
        java.util.ArrayList<Bar> bars = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            bars.add(new Bar(names.get(i), values.get(i), max, String.format("%,d %s", values.get(i), unit), false));
        }
        return bars;
    }
}
