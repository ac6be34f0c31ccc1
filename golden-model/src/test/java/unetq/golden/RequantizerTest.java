package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RequantizerTest {

    /** Worked example of docs/quantization.md, section "one layer". */
    @Test
    void workedExample() {
        // acc = 1234 at scale 2^-4 (Q6.0 x Q0.4), bias 30 -> s = 1264 (79.0); ReLU keeps it;
        // BN as t = s*45 + (-2048) with shift 6: t = 54832, t/2^6 = 856.75 -> truncate -> 856 -> sat 63
        Requantizer rq = new Requantizer(new long[] {30}, new long[] {45}, new long[] {-2048}, 6, true,
                QFormat.activations(6));
        assertEquals(63, rq.apply(1234, 0));
        // acc = -100: s = -70 -> ReLU 0 -> t = -2048 -> -32 (truncation toward zero of -32.0)
        assertEquals(-32, rq.apply(-100, 0));
        // acc = 10: s = 40 -> t = 1800 - 2048 = -248 -> -3.875 -> truncated toward zero -> -3
        assertEquals(-3, rq.apply(10, 0));
    }

    /** The integer requantizer is the paper's quantizer applied to the exact value t * 2^-(fo+shift). */
    @Property(tries = 5000)
    void equalsQuantizerOfExactValue(@ForAll @IntRange(min = -2_000_000, max = 2_000_000) int acc,
                                     @ForAll @IntRange(min = -5000, max = 5000) int bias,
                                     @ForAll @IntRange(min = -3000, max = 3000) int mult,
                                     @ForAll @IntRange(min = -1_000_000, max = 1_000_000) int offset,
                                     @ForAll @IntRange(min = 0, max = 20) int shift,
                                     @ForAll @IntRange(min = 0, max = 8) int ib,
                                     @ForAll @IntRange(min = 0, max = 8) int fb,
                                     @ForAll boolean relu) {
        if (ib + fb == 0) {
            return;
        }
        QFormat out = QFormat.q(ib, fb);
        Requantizer rq = new Requantizer(new long[] {bias}, new long[] {mult}, new long[] {offset}, shift, relu, out);
        long s = (long) acc + bias;
        long r = relu ? Math.max(s, 0) : s;
        long t = r * mult + offset;
        double value = Math.scalb((double) t, -(fb + shift)); // exact: |t| < 2^53
        assertEquals(out.quantize(value), rq.apply(acc, 0), () -> "t=" + t + " shift=" + shift + " " + out);
    }

    @Test
    void widthsBoundEveryIntermediate() {
        Requantizer rq = new Requantizer(new long[] {5, -7}, new long[] {-300, 40}, new long[] {100, -9}, 4, true,
                QFormat.activations(4));
        Requantizer.Widths w = rq.widths(LongRange.of(-1000, 2000));
        for (long acc = -1000; acc <= 2000; acc += 7) {
            for (int c = 0; c < 2; c++) {
                long s = acc + rq.bias(c);
                long t = Math.max(s, 0) * rq.mult(c) + rq.offset(c);
                assertTrue(w.biased().contains(s));
                assertTrue(w.scaled().contains(t));
            }
        }
        assertEquals(Bits.signedWidth(-300L * 2005 + 100, 40L * 1993 - 9), w.scaledBits());
    }
}
