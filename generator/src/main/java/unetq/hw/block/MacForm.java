package unetq.hw.block;

/**
 * How a MAC array builds its products: in LUTs (radix-4 Booth partial products), one per DSP
 * slice, or several per DSP slice ("packed"): the products a·w_0 .. a·w_{m-1} of one activation with
 * m lanes' weights come out of one multiplier as fields of one product,
 * <pre>
 *   a · (w_0 + w_1·2^k + .. + w_{m-1}·2^((m-1)k)) = a·w_0 + (a·w_1)·2^k + ..
 * </pre>
 * and a chain of DSPs (post-adders, PCIN cascade) sums up to {@code chain} elements before the
 * fields are split. Exact for every signed format: the packed operand fits the multiplier's A port,
 * and every field's sum fits k bits, so no field borrows from its neighbour beyond the sign
 * correction the split makes (FINN's "DSP packing", docs/hardware.md).
 *
 * @param kind   where the products go
 * @param fields products per multiplier (1 unless packed)
 * @param shift  bits between fields (k)
 * @param chain  elements summed in one DSP chain before the result is registered (LUT form: all)
 */
public record MacForm(Kind kind, int fields, int shift, int chain) {
    public enum Kind { LUT, DSP, PACKED }

    /** Longest DSP cascade summed before a register: short enough for 100 MHz on 7-series. */
    public static final int MAX_CHAIN = 8;

    public MacForm {
        if (fields < 1 || chain < 1 || (kind == Kind.PACKED && fields < 2)) {
            throw new IllegalArgumentException("bad MAC form " + kind + " x" + fields + ", chain " + chain);
        }
    }

    /** Products in LUTs, summed in one adder tree per lane. */
    public static MacForm luts(int simd) {
        return new MacForm(Kind.LUT, 1, 0, simd);
    }

    /** One product per DSP, chains of up to {@link #MAX_CHAIN}. */
    public static MacForm dsp(int simd) {
        return new MacForm(Kind.DSP, 1, 0, largestDivisorAtMost(simd, MAX_CHAIN));
    }

    /**
     * The most products per DSP a multiplier with an {@code aPort}-bit signed A port and a
     * {@code bPort}-bit B port can pack for activations up to |a| &lt;= amax (B port) and weights up to
     * |w| &lt;= wmax, at most {@code maxFields} (the lanes, PE, must be divisible by the result), or
     * null when not even two fit. The chain length is what a field's k bits can sum.
     */
    public static MacForm packed(long amax, long wmax, int actBits, int aPort, int bPort, int pe, int simd) {
        if (actBits > bPort) {
            return null;
        }
        for (int m = Math.min(pe, 8); m >= 2; m--) {
            if (pe % m != 0) {
                continue;
            }
            int k = widestShift(wmax, m, aPort);
            long product = amax * wmax;
            long capacity = (1L << (k - 1)) - 1; // a field's sum must fit k bits, signed
            if (k < 2 || product > capacity) {
                continue;
            }
            int chain = largestDivisorAtMost(simd, (int) Math.min(Math.min(simd, MAX_CHAIN), capacity / product));
            // fields no wider than a chain's sum needs: every bit of every field is then read
            long peak = Math.max(1, chain * product);
            int need = unetq.golden.Bits.signedWidth(-peak, peak);
            return new MacForm(Kind.PACKED, m, Math.min(k, Math.max(2, need)), chain);
        }
        return null;
    }

    /** Largest k with wmax · (1 + 2^k + .. + 2^((m-1)k)) &lt;= 2^(aPort-1) - 1: the packed operand fits. */
    static int widestShift(long wmax, int m, int aPort) {
        long limit = (1L << (aPort - 1)) - 1;
        for (int k = aPort - 1; k >= 1; k--) {
            long sum = 0;
            boolean fits = true;
            for (int j = 0; j < m && fits; j++) {
                int at = j * k;
                if (at >= 62) {
                    fits = false;
                } else {
                    sum += wmax << at;
                    fits = sum <= limit && (wmax << at) >> at == wmax;
                }
            }
            if (fits) {
                return k;
            }
        }
        return 0;
    }

    static int largestDivisorAtMost(int n, int max) {
        for (int d = Math.max(1, Math.min(n, max)); d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }

    /** Chunks a lane's SIMD elements are summed in. */
    public int chunks(int simd) {
        return simd / chain;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LUT -> "LUT";
            case DSP -> "DSP";
            case PACKED -> fields + " per DSP";
        };
    }
}
