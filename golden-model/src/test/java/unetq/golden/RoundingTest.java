package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RoundingTest {
    @Test
    void tiesGoToEven() {
        assertEquals(2, Rounding.shiftRoundHalfEven(5, 1)); // 2.5 -> 2
        assertEquals(4, Rounding.shiftRoundHalfEven(7, 1)); // 3.5 -> 4
        assertEquals(2, Rounding.shiftRoundHalfEven(6, 2)); // 1.5 -> 2
        assertEquals(2, Rounding.shiftRoundHalfEven(10, 2)); // 2.5 -> 2
    }

    /** Integer shift-rounding equals rint/floor of the exact quotient (exact in double below 2^53). */
    @Property(tries = 5000)
    void shiftRoundingMatchesDouble(@ForAll @LongRange(min = 0, max = 1L << 50) long mag,
                                    @ForAll @IntRange(min = 0, max = 30) int shift) {
        double exact = Math.scalb((double) mag, -shift);
        assertEquals((long) Math.rint(exact), Rounding.shiftRoundHalfEven(mag, shift));
        assertEquals((long) Math.floor(exact), Rounding.shiftTruncate(mag, shift));
    }
}
