package unetq.golden;

import java.util.Arrays;

/** Integer weight codes of a k x k convolution, indexed [out][in][ky][kx]. Immutable. */
public final class ConvWeights {
    private final int outChannels;
    private final int inChannels;
    private final int kernel;
    private final long[] codes;

    public ConvWeights(int outChannels, int inChannels, int kernel, long[] codes) {
        if (kernel != 1 && kernel != 3) {
            throw new IllegalArgumentException("kernel must be 1 or 3, got " + kernel);
        }
        if (outChannels <= 0 || inChannels <= 0) {
            throw new IllegalArgumentException("channel counts must be positive");
        }
        if (codes.length != outChannels * inChannels * kernel * kernel) {
            throw new IllegalArgumentException("expected " + outChannels * inChannels * kernel * kernel
                    + " weight codes, got " + codes.length);
        }
        this.outChannels = outChannels;
        this.inChannels = inChannels;
        this.kernel = kernel;
        this.codes = codes.clone();
    }

    public int outChannels() {
        return outChannels;
    }

    public int inChannels() {
        return inChannels;
    }

    public int kernel() {
        return kernel;
    }

    public long get(int out, int in, int ky, int kx) {
        return codes[((out * inChannels + in) * kernel + ky) * kernel + kx];
    }

    /** Weights feeding one output channel, in window order: element e = (ky*k + kx)*Cin + in. */
    public long windowWeight(int out, int element) {
        int in = element % inChannels;
        int tap = element / inChannels;
        return get(out, in, tap / kernel, tap % kernel);
    }

    /** The largest |code|. */
    public long maxAbs() {
        long m = 0;
        for (long c : codes) {
            m = Math.max(m, Math.absExact(c));
        }
        return m;
    }

    /** Number of products summed per output value: k*k*Cin. */
    public int fanIn() {
        return kernel * kernel * inChannels;
    }

    public ConvWeights requireIn(QFormat format) {
        for (long c : codes) {
            if (!format.contains(c)) {
                throw new IllegalArgumentException("weight code " + c + " is outside " + format.describe());
            }
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvWeights w && w.outChannels == outChannels && w.inChannels == inChannels
                && w.kernel == kernel && Arrays.equals(w.codes, codes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codes);
    }
}
