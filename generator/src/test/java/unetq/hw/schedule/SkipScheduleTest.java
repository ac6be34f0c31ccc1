package unetq.hw.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.hw.graph.Dataflow;
import unetq.hw.graph.UNetAccelerator;

/** The look-ahead rules the skip-buffer analysis composes, and what the timed model predicts. */
class SkipScheduleTest {
    private static final QuantizedUNet TINY = QuantizedUNet.random(UNetTopology.preset("tiny"), QFormat.weights(4),
            QFormat.activations(6), 11);

    @Test
    void windowNeedsThePixelBelowAndRightClampedToTheImage() {
        // 4 x 5 image: window (1, 2) needs (2, 3); the row's last window (1, 4) needs (2, 4)
        assertEquals(2 * 5 + 3, PixelRules.window(4, 5, 1 * 5 + 2));
        assertEquals(2 * 5 + 4, PixelRules.window(4, 5, 1 * 5 + 4));
        // the last row needs only itself
        assertEquals(3 * 5 + 4, PixelRules.window(4, 5, 3 * 5 + 3));
        assertEquals(4 * 5 - 1, PixelRules.window(4, 5, 3 * 5 + 4));
    }

    @Test
    void poolAndUpsamplerRules() {
        UNetAccelerator acc = new UNetAccelerator("t", TINY, 32, 32, UNetAccelerator.foldingsFor(TINY, 32, 32, 20000));
        Dataflow g = acc.graph();
        Dataflow.Node pool = g.node("pool0"); // 32x32 -> 16x16
        assertEquals(3 * 32 + 5, PixelRules.need(pool, "in", 1 * 16 + 2)); // (1, 2) from (3, 5)
        Dataflow.Node up = g.node("up0"); // 16x16 -> 32x32
        // output row 0 (near and far row 0) at column 0 reads column 1 of row 0
        assertEquals(1, PixelRules.need(up, "in", 0));
        // odd row 2y+1 needs row y+1; column X needs X/2 + 1, clamped
        assertEquals(2 * 16 + 3, PixelRules.need(up, "in", 3 * 32 + 4));
        assertEquals(2 * 16 + 15, PixelRules.need(up, "in", 3 * 32 + 31));
        // even row 2y needs rows y-1 and y: the later is y
        assertEquals(2 * 16 + 1, PixelRules.need(up, "in", 4 * 32 + 0));
        // the last row clamps at the last input row
        assertEquals(15 * 16 + 8, PixelRules.need(up, "in", 31 * 32 + 14));
    }

    @Test
    void leadsArePartOfAFrameAndTheModelRunsAtTheBound() {
        UNetAccelerator acc = new UNetAccelerator("t", TINY, 64, 64, UNetAccelerator.foldingsFor(TINY, 64, 64, 65536));
        SkipSchedule s = acc.schedule();
        assertEquals(3, s.buffers().size());
        for (SkipSchedule.Buffer b : s.buffers().values()) {
            int l = Integer.parseInt(b.fifo().substring("skip".length()));
            int pixels = (64 >> l) * (64 >> l);
            assertTrue(b.leadPixels() > 0 && b.leadPixels() < pixels, "a lead is part of a frame at level " + l);
            assertTrue(b.depthBeats() >= (b.leadPixels() + 1) * b.beatsPerPixel(), b.toString());
        }
        // with every node at or below the bound, the input's pace is the steady-state frame time
        long model = s.modelCyclesPerFrame();
        assertTrue(model >= acc.boundCyclesPerFrame() && model <= acc.boundCyclesPerFrame() * 1.02,
                model + " vs bound " + acc.boundCyclesPerFrame());
    }

    @Test
    void aSlowBottomNeedsDeeperBuffersThanTheDataLeadAlone() {
        // 32x32, every layer at 9 cycles a pixel; then the bottom's first conv (4x4 pixels) folded to take
        // the whole frame time: its pixels arrive late, so the encoder must run further ahead of the concat
        Map<String, Folding> fast = new LinkedHashMap<>();
        for (UNetTopology.ConvSpec c : TINY.topology().convs()) {
            fast.put(c.name(), new Folding(c.out(), c.in()));
        }
        Map<String, Folding> slowBottom = new LinkedHashMap<>(fast);
        slowBottom.put("enc3a", new Folding(1, 1));
        SkipSchedule quick = new UNetAccelerator("q", TINY, 32, 32, fast).schedule();
        SkipSchedule slow = new UNetAccelerator("s", TINY, 32, 32, slowBottom).schedule();
        SkipSchedule.Buffer q0 = quick.buffers().get("skip0");
        SkipSchedule.Buffer s0 = slow.buffers().get("skip0");
        assertEquals(q0.leadPixels(), s0.leadPixels(), "the data lead does not depend on rates");
        assertTrue(s0.timedPeakPixels() > s0.leadPixels() && s0.timedPeakPixels() > q0.timedPeakPixels(),
                "slow bottom: timed peak " + s0.timedPeakPixels() + " vs lead " + s0.leadPixels() + " and " + q0.timedPeakPixels());
        assertTrue(s0.depthBeats() > q0.depthBeats());
    }
}
