package unetq.hw.schedule;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import unetq.hw.graph.Dataflow;

/**
 * Skip-buffer depths by analysis of the dataflow graph, not by simulation. For each concat, the
 * skip pixel p it takes next to up-path pixel p: composing {@link PixelRules#need} from the concat's
 * up input back through the graph to the fork's input gives the last pixel of the skip stream the
 * fork must already have passed down the pool path. The buffer must hold that minus p, plus one:
 * the maximum over a frame is the lead; less deadlocks.
 *
 * <p>The lead is a data dependency; it ignores time. The deep path takes time to compute what it
 * has received, and all that time the encoder keeps producing at the frame's pace.
 * {@link PixelTiming} runs the same rules as a max-plus recurrence; the most skip pixels it finds in
 * flight is the timed peak. The depth, in beats of the skip stream, is the larger of the two (in
 * pixels, times beats a pixel) plus a few beats pipeline registers hold.
 */
public final class SkipSchedule {
    /** Beats held in pipeline registers between the fork and the concat beyond the analysed lead. */
    public static final int PIPELINE_SLACK = 8;
    /** Cap on the frames the timed model runs (a frame far shorter than the network's latency needs many). */
    static final int MAX_MODEL_FRAMES = 16;

    /** One skip buffer: its lead and timed peak in pixels, and its depth in beats. */
    public record Buffer(String fifo, int leadPixels, long timedPeakPixels, int beatsPerPixel, int depthBeats) {
    }

    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final long modelCyclesPerFrame;
    private final long bound;

    public SkipSchedule(Dataflow graph) {
        this.bound = graph.nodes().stream().mapToLong(Dataflow.Node::cyclesPerFrame).max().orElse(1);
        Map<String, Integer> leads = new LinkedHashMap<>();
        for (Dataflow.Node cat : graph.nodes(Dataflow.Kind.CONCAT)) {
            Dataflow.Node fifo = fifoOf(graph, cat);
            Dataflow.Stream source = graph.producer(fifo.in()).getKey().in(); // the fork's input
            Dataflow.Stream up = cat.inputs().get("in");
            Map<String, Boolean> reach = new HashMap<>();
            int lead = 0;
            for (int p = 0; p < cat.out().pixels(); p++) {
                lead = Math.max(lead, lastNeeded(graph, up, p, source, reach) - p);
            }
            leads.put(fifo.name(), lead);
        }
        PixelTiming first = new PixelTiming(graph, bound, 1);
        int frames = (int) Math.min(MAX_MODEL_FRAMES, 2 + (first.lastOutput() + bound - 1) / bound);
        PixelTiming timing = new PixelTiming(graph, bound, frames);
        for (Dataflow.Node cat : graph.nodes(Dataflow.Kind.CONCAT)) {
            Dataflow.Node fifo = fifoOf(graph, cat);
            int lead = leads.get(fifo.name());
            long peak = timing.skipPeak(fifo, cat);
            int beats = fifo.in().beatsPerPixel();
            int depth = (int) Math.max(lead + 1L, peak) * beats + PIPELINE_SLACK;
            buffers.put(fifo.name(), new Buffer(fifo.name(), lead, peak, beats, depth));
        }
        this.modelCyclesPerFrame = timing.cyclesPerFrame();
    }

    /** The skip FIFO on a concat's skip input (through an adapter, if any). */
    private static Dataflow.Node fifoOf(Dataflow graph, Dataflow.Node cat) {
        Dataflow.Node n = graph.producer(cat.inputs().get("skip")).getKey();
        while (n.kind() != Dataflow.Kind.SKIP_FIFO) {
            n = graph.producer(n.in()).getKey();
        }
        return n;
    }

    /**
     * The last pixel of stream {@code target} that pixel {@code p} of {@code stream} depends on,
     * through every path of the graph that reaches it (-1 when none does).
     */
    private static int lastNeeded(Dataflow graph, Dataflow.Stream stream, int p, Dataflow.Stream target,
                                  Map<String, Boolean> reach) {
        if (stream.name().equals(target.name())) {
            return p;
        }
        if (!reaches(graph, stream, target, reach)) {
            return -1;
        }
        Dataflow.Node n = graph.producer(stream).getKey();
        int last = -1;
        for (Map.Entry<String, Dataflow.Stream> in : n.inputs().entrySet()) {
            last = Math.max(last, lastNeeded(graph, in.getValue(), PixelRules.need(n, in.getKey(), p), target, reach));
        }
        return last;
    }

    private static boolean reaches(Dataflow graph, Dataflow.Stream stream, Dataflow.Stream target, Map<String, Boolean> memo) {
        Boolean known = memo.get(stream.name());
        if (known != null) {
            return known;
        }
        boolean r = stream.name().equals(target.name());
        if (!r) {
            Map.Entry<Dataflow.Node, String> prod = graph.producer(stream);
            for (Dataflow.Stream in : prod.getKey().inputs().values()) {
                r |= reaches(graph, in, target, memo);
            }
        }
        memo.put(stream.name(), r);
        return r;
    }

    /** The skip buffers by FIFO node name ({@code skip<l>}). */
    public Map<String, Buffer> buffers() {
        return buffers;
    }

    /** Depths in beats by FIFO node name, for the graph that builds the FIFOs. */
    public Map<String, Integer> depths() {
        Map<String, Integer> d = new LinkedHashMap<>();
        buffers.forEach((k, v) -> d.put(k, v.depthBeats()));
        return d;
    }

    /** Cycles per frame the timed model predicts in steady state (input at the design's pace). */
    public long modelCyclesPerFrame() {
        return modelCyclesPerFrame;
    }
}
