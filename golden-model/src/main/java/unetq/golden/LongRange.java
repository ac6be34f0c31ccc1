package unetq.golden;

/** A closed integer interval [lo, hi]; the unit of the width analysis in the contract. */
public record LongRange(long lo, long hi) {
    public LongRange {
        if (lo > hi) {
            throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        }
    }

    public static LongRange of(long lo, long hi) {
        return new LongRange(lo, hi);
    }

    public static LongRange point(long v) {
        return new LongRange(v, v);
    }

    public LongRange plus(LongRange o) {
        return new LongRange(Math.addExact(lo, o.lo), Math.addExact(hi, o.hi));
    }

    public LongRange plus(long c) {
        return plus(point(c));
    }

    /** The range of x * c for x in this range. */
    public LongRange times(long c) {
        long a = Math.multiplyExact(lo, c);
        long b = Math.multiplyExact(hi, c);
        return new LongRange(Math.min(a, b), Math.max(a, b));
    }

    public LongRange relu() {
        return new LongRange(Math.max(0, lo), Math.max(0, hi));
    }

    public LongRange union(LongRange o) {
        return new LongRange(Math.min(lo, o.lo), Math.max(hi, o.hi));
    }

    public LongRange abs() {
        long a = Math.abs(lo);
        long b = Math.abs(hi);
        return lo >= 0 ? this : hi <= 0 ? new LongRange(b, a) : new LongRange(0, Math.max(a, b));
    }

    public boolean contains(long v) {
        return v >= lo && v <= hi;
    }

    /** Two's-complement width holding the whole range. */
    public int signedWidth() {
        return Bits.signedWidth(lo, hi);
    }
}
