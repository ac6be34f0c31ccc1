package unetq.hw.schedule;

import unetq.hw.block.SlidingWindow;
import unetq.hw.graph.Dataflow;

/**
 * How each node of the dataflow graph consumes its inputs, pixel by pixel: the last input pixel
 * (raster index within a frame) it must have before it can emit output pixel p, and the cycles
 * between its output pixels at full rate. Both the skip analysis and the timed model read them.
 * <pre>
 *   conv (its sliding window):  (y+1, x+1), clamped to the image
 *   2x2 max-pool:               (2y+1, 2x+1) of the input grid
 *   bilinear x2:                output row Y reads input rows Y/2 and Y/2 -+ 1 (clamped): the later
 *                               of them, at column min(X/2 + 1, w - 1) (it reads column j in the step
 *                               that emits columns 2j - 2 and 2j - 1)
 *   fork, FIFO, adapter, concat, threshold: pixel p
 * </pre>
 */
public final class PixelRules {
    private PixelRules() {
    }

    /** Last pixel of input {@code port} that node {@code n} needs for its output pixel {@code p}. */
    public static int need(Dataflow.Node n, String port, int p) {
        Dataflow.Stream out = n.kind() == Dataflow.Kind.FORK ? n.outputs().get("a") : n.out();
        Dataflow.Stream in = n.inputs().get(port);
        return switch (n.kind()) {
            case CONV -> window(in.height(), in.width(), p);
            case POOL -> {
                int w = out.width();
                yield (2 * (p / w) + 1) * in.width() + 2 * (p % w) + 1;
            }
            case UPSAMPLE -> {
                int wOut = out.width();
                int y = p / wOut;
                int x = p % wOut;
                int h = in.height();
                int w = in.width();
                int near = y / 2;
                int rmax = y % 2 == 0 ? near : Math.min(near + 1, h - 1);
                yield rmax * w + Math.min(x / 2 + 1, w - 1);
            }
            default -> p;
        };
    }

    /** The window of pixel p needs (y+1, x+1), clamped to the h x w image. */
    public static int window(int h, int w, int p) {
        int y = p / w;
        int x = p % w;
        return Math.min(y + 1, h - 1) * w + Math.min(x + 1, w - 1);
    }

    /** Cycles between the node's output pixels at full rate. */
    public static long interval(Dataflow.Node n) {
        return switch (n.kind()) {
            case CONV -> n.block().cyclesPerOutput();
            case INPUT -> 1;
            case FORK -> n.in().beatsPerPixel();
            case THRESHOLD -> 1;
            default -> {
                long beats = n.out().beatsPerPixel();
                for (Dataflow.Stream s : n.inputs().values()) {
                    beats = Math.max(beats, s.beatsPerPixel());
                }
                yield n.kind() == Dataflow.Kind.CONCAT ? n.out().beatsPerPixel() : beats;
            }
        };
    }

    /** Cycles from the last needed input to the output (registered reads and outputs). */
    public static long latency(Dataflow.Node n) {
        return switch (n.kind()) {
            case CONV -> 4 + n.block().cyclesPerOutput();
            case POOL, UPSAMPLE -> 2;
            default -> 1;
        };
    }

    /** Input pixels a conv's window buffer can hold ahead of the window it emits. */
    public static int windowLead(Dataflow.Node conv) {
        return ((unetq.hw.block.ConvLayer) conv.block()).window().lead();
    }

    static int lead(SlidingWindow w) {
        return w.lead();
    }
}
