package unetq.golden;

/** Bit-width arithmetic shared by the golden model and the hardware generator. */
public final class Bits {
    private Bits() {
    }

    /** Smallest two's-complement width holding every integer in [lo, hi]. */
    public static int signedWidth(long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        }
        int w = 1;
        while (w < 64 && (lo < -(1L << (w - 1)) || hi > (1L << (w - 1)) - 1)) {
            w++;
        }
        return w;
    }

    /** Smallest unsigned width holding every integer in [0, hi] (at least 1). */
    public static int unsignedWidth(long hi) {
        if (hi < 0) {
            throw new IllegalArgumentException("negative value " + hi);
        }
        return Math.max(1, 64 - Long.numberOfLeadingZeros(hi));
    }

    /** Width of an index counting 0 .. n-1 (at least 1). */
    public static int indexWidth(long n) {
        return unsignedWidth(Math.max(0, n - 1));
    }

    /** Sign-extends the low {@code width} bits of {@code raw}. */
    public static long signExtend(long raw, int width) {
        int shift = 64 - width;
        return (raw << shift) >> shift;
    }

    /** The low {@code width} bits of {@code value} (two's complement). */
    public static long truncate(long value, int width) {
        return width >= 64 ? value : value & ((1L << width) - 1);
    }
}
