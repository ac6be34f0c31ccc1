package unetq.golden;

/**
 * The two roundings of the paper's quantizer, on doubles and on integers. The integer forms are
 * what the requantizer (and its RTL twin) use; property tests prove them equal to the doubles.
 */
public final class Rounding {
    private Rounding() {
    }

    /** Round half to even, as {@code torch.round} / {@code np.round}. */
    public static long roundHalfEven(double x) {
        return (long) Math.rint(x);
    }

    /** |mag| / 2^shift truncated (toward zero), for mag &ge; 0. */
    public static long shiftTruncate(long mag, int shift) {
        requireNonNegative(mag);
        return mag >> shift;
    }

    /**
     * mag / 2^shift rounded half to even, for mag &ge; 0:
     * {@code (mag + 2^(s-1) - 1 + ((mag >> s) & 1)) >> s}.
     */
    public static long shiftRoundHalfEven(long mag, int shift) {
        requireNonNegative(mag);
        if (shift == 0) {
            return mag;
        }
        long half = 1L << (shift - 1);
        return (mag + half - 1 + ((mag >> shift) & 1)) >> shift;
    }

    private static void requireNonNegative(long mag) {
        if (mag < 0) {
            throw new IllegalArgumentException("magnitude must be >= 0: " + mag);
        }
    }
}
