package unetq.golden;

import java.util.Arrays;

/**
 * The integer tail of every layer (docs/quantization.md, "one layer"):
 * <pre>
 *   s = acc + bias[c]                 bias at the accumulator scale 2^-(fa+fw)
 *   r = relu ? max(s, 0) : s
 *   t = r * mult[c] + offset[c]       BatchNorm as an integer affine map; t has scale 2^-(fo+shift)
 *   m = |t| / 2^shift                 truncated (fo = 0) or rounded half to even (fo &gt; 0)
 *   q = sign(t) * min(m, maxCode)     the paper's quantizer, done on integers
 * </pre>
 * The hardware block {@code Requantizer} computes the same thing with the widths that
 * {@link #widths(LongRange)} derives.
 */
public final class Requantizer {
    private final long[] bias;
    private final long[] mult;
    private final long[] offset;
    private final int shift;
    private final boolean relu;
    private final QFormat out;

    public Requantizer(long[] bias, long[] mult, long[] offset, int shift, boolean relu, QFormat out) {
        if (bias.length != mult.length || bias.length != offset.length || bias.length == 0) {
            throw new IllegalArgumentException("bias, mult and offset need one entry per channel");
        }
        if (shift < 0 || shift > 40) {
            throw new IllegalArgumentException("requantizer shift must be 0..40, got " + shift);
        }
        if (!out.isSigned()) {
            throw new IllegalArgumentException("layer outputs are signed formats, got " + out);
        }
        this.bias = bias.clone();
        this.mult = mult.clone();
        this.offset = offset.clone();
        this.shift = shift;
        this.relu = relu;
        this.out = out;
    }

    /** No bias, unit scale: q = quantize(acc / 2^shift). Handy for tests and plain rescaling. */
    public static Requantizer plain(int channels, int shift, boolean relu, QFormat out) {
        long[] ones = new long[channels];
        Arrays.fill(ones, 1);
        return new Requantizer(new long[channels], ones, new long[channels], shift, relu, out);
    }

    public int channels() {
        return bias.length;
    }

    public long bias(int c) {
        return bias[c];
    }

    public long mult(int c) {
        return mult[c];
    }

    public long offset(int c) {
        return offset[c];
    }

    public int shift() {
        return shift;
    }

    public boolean relu() {
        return relu;
    }

    public QFormat outFormat() {
        return out;
    }

    public long apply(long acc, int channel) {
        long s = Math.addExact(acc, bias[channel]);
        long r = relu ? Math.max(s, 0) : s;
        long t = Math.addExact(Math.multiplyExact(r, mult[channel]), offset[channel]);
        long mag = Math.abs(t);
        long m = out.fracBits() == 0 ? Rounding.shiftTruncate(mag, shift) : Rounding.shiftRoundHalfEven(mag, shift);
        long q = Math.min(m, out.maxCode());
        return t < 0 ? -q : q;
    }

    /** Ranges of every intermediate value for accumulators in {@code acc}, over all channels. */
    public Widths widths(LongRange acc) {
        LongRange s = null;
        LongRange t = null;
        for (int c = 0; c < channels(); c++) {
            LongRange sc = acc.plus(bias[c]);
            LongRange rc = relu ? sc.relu() : sc;
            LongRange tc = rc.times(mult[c]).plus(offset[c]);
            s = s == null ? sc : s.union(sc);
            t = t == null ? tc : t.union(tc);
        }
        if (t.signedWidth() > 62) {
            throw new IllegalArgumentException("requantizer product needs " + t.signedWidth()
                    + " bits (> 62): lower the multiplier precision");
        }
        return new Widths(s, t);
    }

    /** Ranges of the biased accumulator s and of the scaled value t. */
    public record Widths(LongRange biased, LongRange scaled) {
        public int biasedBits() {
            return biased.signedWidth();
        }

        public int scaledBits() {
            return scaled.signedWidth();
        }
    }
}
