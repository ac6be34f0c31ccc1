package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConvLayerTest {

    private static IntTensor filled(int c, int h, int w, long v) {
        IntTensor t = new IntTensor(c, h, w);
        for (int i = 0; i < c; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    t.set(i, y, x, v);
                }
            }
        }
        return t;
    }

    /** All-extreme inputs and weights reach the computed accumulator range exactly, and no further. */
    @Test
    void accumulatorWidthIsTightForExtremes() {
        QFormat wf = QFormat.weights(4);
        QFormat af = QFormat.activations(6);
        int cin = 4;
        long[] max = new long[2 * cin * 9];
        Arrays.fill(max, 0, cin * 9, wf.maxCode());
        Arrays.fill(max, cin * 9, max.length, wf.minCode());
        ConvLayer layer = new ConvLayer("extreme", new ConvWeights(2, cin, 3, max), wf, af,
                Requantizer.plain(2, 0, false, QFormat.q(8, 0)));
        LongRange r = layer.accumulatorRange();
        long peak = 9L * cin * 63 * 16; // 36288
        assertEquals(LongRange.of(-peak, peak), r);
        assertEquals(17, layer.accumulatorBits());
        IntTensor accHi = Ops.convAccumulate(filled(cin, 3, 3, af.maxCode()), layer.weights());
        IntTensor accLo = Ops.convAccumulate(filled(cin, 3, 3, af.minCode()), layer.weights());
        assertEquals(peak, accHi.get(0, 1, 1));
        assertEquals(-peak, accHi.get(1, 1, 1));
        assertEquals(-peak, accLo.get(0, 1, 1)); // reached exactly, so the 17 bits above are needed
    }

    @Test
    void rejectsWeightsOutsideFormat() {
        long[] w = new long[9];
        w[4] = 17;
        assertThrows(IllegalArgumentException.class, () -> new ConvLayer("bad", new ConvWeights(1, 1, 3, w),
                QFormat.weights(4), QFormat.activations(6), Requantizer.plain(1, 0, true, QFormat.activations(6))));
    }

    @Test
    void forwardSaturatesAndRejectsBadInput() {
        long[] w = new long[9];
        Arrays.fill(w, 16);
        ConvLayer layer = new ConvLayer("sat", new ConvWeights(1, 1, 3, w), QFormat.weights(4),
                QFormat.activations(6), Requantizer.plain(1, 4, true, QFormat.activations(6)));
        IntTensor out = layer.forward(filled(1, 3, 3, 63));
        assertEquals(63, out.get(0, 1, 1)); // 9*63*16/16 = 567 -> saturates at 63
        assertThrows(IllegalArgumentException.class, () -> layer.forward(filled(1, 3, 3, 64)));
    }
}
