package unetq.golden;

import java.util.Objects;

/**
 * A fixed-point format of the paper: {@code Qi.f} with sign-magnitude codes (sign extra), or an
 * unsigned format {@code UQi.f} for the 8-bit input image.
 *
 * <p>A value v is stored as the integer code {@code c = v * 2^f}. The code range follows from the
 * paper's quantizer (see docs/quantization.md):
 * <ul>
 *   <li>f = 0: |c| &le; 2^i - 1 (integer part saturated, fraction truncated);</li>
 *   <li>f &gt; 0: |c| &le; 2^(i+f), because rounding the fraction can carry to the next integer
 *       (Q0.4 reaches 16/16 = 1.0).</li>
 * </ul>
 * Hardware holds codes in two's complement, so {@link #hardwareBits()} is often one more than the
 * paper's count of {@code 1 + i + f} bits.
 */
public final class QFormat {
    public static final int MAX_TOTAL_BITS = 24;

    private final int intBits;
    private final int fracBits;
    private final boolean signed;

    private QFormat(int intBits, int fracBits, boolean signed) {
        if (intBits < 0 || fracBits < 0) {
            throw new IllegalArgumentException("format bits must be >= 0, got Q" + intBits + "." + fracBits);
        }
        if (intBits + fracBits == 0) {
            throw new IllegalArgumentException("format Q0.0 has no bits");
        }
        if (intBits + fracBits > MAX_TOTAL_BITS) {
            throw new IllegalArgumentException("format Q" + intBits + "." + fracBits
                    + " has more than " + MAX_TOTAL_BITS + " bits");
        }
        this.intBits = intBits;
        this.fracBits = fracBits;
        this.signed = signed;
    }

    /** Signed sign-magnitude format Qi.f, as the paper's {@code a{i}_{f}} / {@code w{i}_{f}}. */
    public static QFormat q(int intBits, int fracBits) {
        return new QFormat(intBits, fracBits, true);
    }

    /** Unsigned format UQi.f (codes 0 .. 2^(i+f) - 1), e.g. the 8-bit input image as UQ0.8. */
    public static QFormat uq(int intBits, int fracBits) {
        return new QFormat(intBits, fracBits, false);
    }

    /** The paper's weight format for {@code --wbits W}: Q0.W. */
    public static QFormat weights(int bits) {
        return q(0, bits);
    }

    /** The paper's activation format for {@code --abits A}: QA.0. */
    public static QFormat activations(int bits) {
        return q(bits, 0);
    }

    /** Parses "Q6.0", "q0.4" or "UQ0.8". */
    public static QFormat parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        boolean unsigned = t.startsWith("UQ");
        String body = unsigned ? t.substring(2) : t.startsWith("Q") ? t.substring(1) : null;
        if (body == null || !body.matches("\\d{1,2}\\.\\d{1,2}")) {
            throw new IllegalArgumentException("not a fixed-point format (want Qi.f or UQi.f): " + text);
        }
        String[] parts = body.split("\\.");
        int i = Integer.parseInt(parts[0]);
        int f = Integer.parseInt(parts[1]);
        return unsigned ? uq(i, f) : q(i, f);
    }

    public int intBits() {
        return intBits;
    }

    public int fracBits() {
        return fracBits;
    }

    public boolean isSigned() {
        return signed;
    }

    /** Largest code magnitude the quantizer can produce. */
    public long maxCode() {
        if (!signed) {
            return (1L << (intBits + fracBits)) - 1;
        }
        return fracBits == 0 ? (1L << intBits) - 1 : 1L << (intBits + fracBits);
    }

    /** Smallest code: -maxCode for signed formats, 0 for unsigned ones. */
    public long minCode() {
        return signed ? -maxCode() : 0;
    }

    /** Two's-complement (signed) or plain binary (unsigned) width that holds every code. */
    public int hardwareBits() {
        return signed ? Bits.signedWidth(minCode(), maxCode()) : Bits.unsignedWidth(maxCode());
    }

    /** Bits the paper counts for the format: sign + i + f (sign-magnitude). */
    public int paperBits() {
        return (signed ? 1 : 0) + intBits + fracBits;
    }

    /** Value of one code step, 2^-f. */
    public double step() {
        return Math.scalb(1.0, -fracBits);
    }

    public double toDouble(long code) {
        return Math.scalb((double) code, -fracBits);
    }

    /** True if {@code code} lies in this format's code range. */
    public boolean contains(long code) {
        return code >= minCode() && code <= maxCode();
    }

    /**
     * The paper's quantizer ({@code to_fixed_point}, GM/NIH version) returning the integer code.
     * Integer part floor|v| saturates; the fraction is truncated (f = 0) or rounded half-to-even
     * (f &gt; 0). Deviation: when the integer part overflows (floor|v| &ge; 2^i) the whole
     * magnitude saturates to {@link #maxCode()} instead of keeping the fraction (for Q0.f the
     * paper's code silently dropped the integer part: 1.3 became 0.3125).
     */
    public long quantize(double v) {
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("cannot quantize NaN");
        }
        double mag = Math.abs(v);
        long code;
        if (mag >= Math.scalb(1.0, intBits)) {
            code = maxCode();
        } else if (fracBits == 0) {
            code = (long) Math.floor(mag);
        } else {
            code = Math.min(Rounding.roundHalfEven(Math.scalb(mag, fracBits)), maxCode());
        }
        if (v < 0) {
            return signed ? -code : 0;
        }
        return Math.min(code, maxCode());
    }

    /** Paper-style name: "Q0.4", "Q6.0", "UQ0.8". */
    public String paperName() {
        return (signed ? "Q" : "UQ") + intBits + "." + fracBits;
    }

    /** Name with the real hardware width, as reports print it: "Q0.4 (6-bit two's complement)". */
    public String describe() {
        return paperName() + " (" + hardwareBits() + "-bit " + (signed ? "two's complement" : "unsigned")
                + ", codes " + minCode() + ".." + maxCode() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QFormat other && other.intBits == intBits && other.fracBits == fracBits
                && other.signed == signed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(intBits, fracBits, signed);
    }

    @Override
    public String toString() {
        return paperName();
    }
}
