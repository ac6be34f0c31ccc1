package unetq.hw.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.hw.graph.UNetAccelerator;

/** The look-ahead rules the skip-buffer analysis composes, and what the timed model predicts. */
class SkipScheduleTest {
    @Test
    void windowNeedsThePixelBelowAndRight() {
        // 4 x 5 image: window (1, 2) leaves when column 3 of row 1 is read, which needs (2, 3)
        assertEquals(2 * 5 + 3, SkipSchedule.windowNeeds(4, 5, 1, 2));
        // a row's last window leaves with the next row's first read, which needs (r + 2, 0)
        assertEquals(3 * 5, SkipSchedule.windowNeeds(4, 5, 1, 4));
        // the last two rows need only the last row; the frame's last window the frame's last pixel
        assertEquals(3 * 5 + 4, SkipSchedule.windowNeeds(4, 5, 3, 3));
        assertEquals(3 * 5, SkipSchedule.windowNeeds(4, 5, 2, 4));
        assertEquals(4 * 5 - 1, SkipSchedule.windowNeeds(4, 5, 3, 4));
    }

    @Test
    void poolAndUpsamplerRules() {
        // pooled (1, 2) of a 4-wide output comes from input (3, 5) of the 8-wide input
        assertEquals(3 * 8 + 5, SkipSchedule.poolNeeds(4, 1 * 4 + 2));
        // upsampler from 3 x 4: output row 0 takes row 0 as it goes, (0, c/2 + 1)
        assertEquals(1, SkipSchedule.upNeeds(3, 4, 0, 0));
        // odd rows 2y - 1 take row y: (3, 6) -> (2, 4), clamped to the last column 3
        assertEquals(2 * 4 + 3, SkipSchedule.upNeeds(3, 4, 3, 6));
        // even rows replay row y = r / 2 whole; the last row replays the last input row
        assertEquals(1 * 4 + 3, SkipSchedule.upNeeds(3, 4, 2, 0));
        assertEquals(2 * 4 + 3, SkipSchedule.upNeeds(3, 4, 5, 0));
    }

    @Test
    void leadsArePartOfAFrameAndTheModelRunsAtTheBound() {
        QuantizedUNet net = QuantizedUNet.random(UNetTopology.preset("tiny"), QFormat.weights(4), QFormat.activations(6), 11);
        UNetAccelerator acc = new UNetAccelerator("t", net, 64, 64, UNetAccelerator.foldingsFor(net, 64, 64, 65536));
        SkipSchedule s = acc.schedule();
        assertEquals(3, s.levels());
        for (int l = 0; l < s.levels(); l++) {
            assertTrue(s.lead(l) > 0 && s.lead(l) < (64 >> l) * (64 >> l), "a lead is part of a frame at level " + l);
        }
        // with every layer at or below the bound, the input's pace is the steady-state frame time
        assertEquals(acc.boundCyclesPerFrame(), s.modelCyclesPerFrame());
    }

    @Test
    void aSlowBottomNeedsDeeperBuffersThanTheDataLeadAlone() {
        // 32x32 tiny net, every layer one cycle per pixel; then the bottom's first conv (4x4 pixels) at
        // 64 cycles per pixel: the same 1024 cycles per frame, but its pixels arrive late, so the
        // encoder above must run further ahead of the concat than the data dependency says
        UNetTopology tiny = UNetTopology.preset("tiny");
        Map<String, Long> fast = new java.util.LinkedHashMap<>();
        Map<String, Long> slowBottom = new java.util.LinkedHashMap<>();
        for (UNetTopology.ConvSpec c : tiny.convs()) {
            fast.put(c.name(), 1L);
            slowBottom.put(c.name(), c.name().equals("enc3a") ? 64L : 1L);
        }
        SkipSchedule quick = new SkipSchedule(tiny, 32, 32, fast);
        SkipSchedule slow = new SkipSchedule(tiny, 32, 32, slowBottom);
        assertEquals(quick.modelCyclesPerFrame(), slow.modelCyclesPerFrame(), "same pace");
        assertEquals(quick.lead(0), slow.lead(0), "the data lead does not depend on rates");
        assertTrue(slow.timedPeak(0) > slow.lead(0) + 32 * 8 && slow.timedPeak(0) > quick.timedPeak(0),
                "slow bottom: timed peak " + slow.timedPeak(0) + " vs lead " + slow.lead(0) + " and " + quick.timedPeak(0));
        assertTrue(slow.depth(0) > quick.depth(0));
    }
}
