package unetq.golden;

/**
 * One quantized conv layer of the contract: {@code acc = sum(a*w)} (exact) then the
 * {@link Requantizer}. Knows the accumulator range its weights can produce from its input range,
 * the FINN {@code minimize_accumulator_width} idea: overflow is impossible by construction.
 */
public final class ConvLayer {
    private final String name;
    private final ConvWeights weights;
    private final QFormat weightFormat;
    private final QFormat inputFormat;
    private final Requantizer requantizer;

    public ConvLayer(String name, ConvWeights weights, QFormat weightFormat, QFormat inputFormat,
                     Requantizer requantizer) {
        if (requantizer.channels() != weights.outChannels()) {
            throw new IllegalArgumentException(name + ": requantizer has " + requantizer.channels()
                    + " channels, conv has " + weights.outChannels());
        }
        this.name = name;
        this.weights = weights.requireIn(weightFormat);
        this.weightFormat = weightFormat;
        this.inputFormat = inputFormat;
        this.requantizer = requantizer;
        requantizer.widths(accumulatorRange());
    }

    public String name() {
        return name;
    }

    public ConvWeights weights() {
        return weights;
    }

    public QFormat weightFormat() {
        return weightFormat;
    }

    public QFormat inputFormat() {
        return inputFormat;
    }

    public QFormat outputFormat() {
        return requantizer.outFormat();
    }

    public Requantizer requantizer() {
        return requantizer;
    }

    /**
     * Range of the accumulator over all output channels for any input codes in the input format:
     * each product w*a ranges over [min(w*lo, w*hi), max(w*lo, w*hi)], and the sum of ranges
     * bounds the sum. Every term's range contains 0 (lo &le; 0 &le; hi), so every partial sum -
     * in any order, with zero padding - lies in the same range.
     */
    public LongRange accumulatorRange() {
        long lo = inputFormat.minCode();
        long hi = inputFormat.maxCode();
        LongRange all = null;
        for (int o = 0; o < weights.outChannels(); o++) {
            LongRange sum = LongRange.point(0);
            for (int e = 0; e < weights.fanIn(); e++) {
                sum = sum.plus(LongRange.point(0).union(LongRange.point(lo)).union(LongRange.point(hi))
                        .times(weights.windowWeight(o, e)));
            }
            all = all == null ? sum : all.union(sum);
        }
        return all;
    }

    public int accumulatorBits() {
        return accumulatorRange().signedWidth();
    }

    public IntTensor forward(IntTensor in) {
        in.requireIn(inputFormat, name + " input");
        return Ops.requantize(Ops.convAccumulate(in, weights), requantizer);
    }
}
