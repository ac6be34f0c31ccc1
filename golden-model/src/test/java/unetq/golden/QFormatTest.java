package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class QFormatTest {

    /** The paper's own examples (paper-notes.md section 1a), with our one deviation at |w| >= 1. */
    @Test
    void weightsQ04MatchPaperExamples() {
        QFormat w = QFormat.weights(4);
        double[] in = {1.3, 0.97, -0.53, 0.03125, 0.09375, -0.2};
        // paper: 0.3125, 1.0, -0.5, 0.0, 0.125, -0.1875; we saturate 1.3 to 1.0 (documented deviation)
        long[] expected = {16, 16, -8, 0, 2, -3};
        for (int k = 0; k < in.length; k++) {
            assertEquals(expected[k], w.quantize(in[k]), "w0_4 of " + in[k]);
        }
    }

    @Test
    void activationsQ60MatchPaperExamples() {
        QFormat a = QFormat.activations(6);
        double[] in = {0.5, 1.7, -2.9, 63.9, 100.2, -70};
        long[] expected = {0, 1, -2, 63, 63, -63};
        for (int k = 0; k < in.length; k++) {
            assertEquals(expected[k], a.quantize(in[k]), "a6_0 of " + in[k]);
        }
    }

    @Test
    void q88RoundsHalfToEven() {
        // -1.505859375 * 256 = -385.5 -> -386 (even), i.e. -1.5078125 as in the paper's code
        assertEquals(-386, QFormat.q(8, 8).quantize(-1.505859375));
        assertEquals(-384, QFormat.q(8, 8).quantize(-1.498046875)); // -383.5 -> -384
    }

    /**
     * Where unetq and the paper part: an integer part past 2^i - 1 with f &gt; 0. The paper clamps the
     * integer part and keeps the fraction (Q8.8: 305.33 gives 255 + 84/256 = 255.328125); unetq saturates
     * the whole magnitude (256.0). With f = 0 the fraction is dropped and the two agree (Q6.0: 100.2 gives 63).
     */
    @Test
    void q88SaturatesWhereThePaperKeepsTheFraction() {
        QFormat q88 = QFormat.q(8, 8);
        assertEquals(256.0, q88.toDouble(q88.quantize(305.33)));
        assertEquals(255.328125, Math.min(Math.floor(305.33), 255) + Math.rint((305.33 - 305) * 256) / 256);
        assertEquals(-256.0, q88.toDouble(q88.quantize(-305.33)));
        QFormat q60 = QFormat.activations(6);
        assertEquals(63.0, q60.toDouble(q60.quantize(100.2)));
    }

    @Test
    void hardwareWidthsFollowFromCodeRanges() {
        assertEquals(6, QFormat.parse("Q0.4").hardwareBits()); // -16..16
        assertEquals(7, QFormat.parse("Q6.0").hardwareBits()); // -63..63
        assertEquals(4, QFormat.parse("Q0.2").hardwareBits()); // -4..4
        assertEquals(5, QFormat.parse("Q4.0").hardwareBits()); // -15..15
        assertEquals(10, QFormat.parse("Q0.8").hardwareBits()); // -256..256
        assertEquals(9, QFormat.parse("Q8.0").hardwareBits()); // -255..255
        assertEquals(18, QFormat.parse("Q8.8").hardwareBits()); // -65536..65536
        assertEquals(8, QFormat.parse("UQ0.8").hardwareBits()); // 0..255
        assertEquals(5, QFormat.parse("Q0.4").paperBits());
    }

    @Test
    void parseRejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> QFormat.parse("Q4"));
        assertThrows(IllegalArgumentException.class, () -> QFormat.parse("X0.4"));
        assertThrows(IllegalArgumentException.class, () -> QFormat.q(0, 0));
        assertThrows(IllegalArgumentException.class, () -> QFormat.q(20, 20));
    }

    /** Our quantizer equals the paper's formula wherever the integer part does not overflow. */
    @Property(tries = 3000)
    void equalsPaperFormulaInRange(@ForAll @IntRange(min = 0, max = 8) int i,
                                   @ForAll @IntRange(min = 0, max = 8) int f,
                                   @ForAll @DoubleRange(min = -300, max = 300) double v) {
        if (i + f == 0 || Math.abs(v) >= Math.scalb(1.0, i)) {
            return;
        }
        QFormat q = QFormat.q(i, f);
        double mag = Math.abs(v);
        double intPart = Math.min(Math.floor(mag), Math.scalb(1.0, i) - 1);
        double frac = f == 0 ? 0 : Math.rint((mag - Math.floor(mag)) * Math.scalb(1.0, f)) / Math.scalb(1.0, f);
        double paper = Math.signum(v) * (intPart + frac);
        assertEquals(paper, q.toDouble(q.quantize(v)), 0.0, () -> q + " of " + v);
    }

    @Property(tries = 2000)
    void codesStayInRangeAndSaturate(@ForAll @IntRange(min = 0, max = 8) int i,
                                     @ForAll @IntRange(min = 1, max = 8) int f,
                                     @ForAll @DoubleRange(min = -1e6, max = 1e6) double v) {
        QFormat q = QFormat.q(i, f);
        long c = q.quantize(v);
        assertEquals(true, q.contains(c));
        if (Math.abs(v) >= Math.scalb(1.0, i)) {
            assertEquals(Math.signum(v) * q.maxCode(), (double) c);
        }
    }
}
