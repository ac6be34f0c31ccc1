package unetq.golden;

import java.util.Random;

/**
 * Seeded random integer layers for exploring hardware before training and for constrained-random
 * verification. Requantizer parameters are drawn so outputs spread over the whole output range
 * (some saturate, some are negative), which exercises every path of the contract.
 */
public final class RandomLayers {
    private RandomLayers() {
    }

    /** Weight codes uniform over the whole format. */
    public static ConvWeights weights(Random rnd, int cout, int cin, int kernel, QFormat wf) {
        long[] w = new long[cout * cin * kernel * kernel];
        for (int i = 0; i < w.length; i++) {
            w[i] = wf.minCode() + (long) (rnd.nextDouble() * (wf.maxCode() - wf.minCode() + 1));
        }
        return new ConvWeights(cout, cin, kernel, w);
    }

    /** Input codes uniform over the whole format. */
    public static IntTensor tensor(Random rnd, int c, int h, int w, QFormat f) {
        IntTensor t = new IntTensor(c, h, w);
        for (int i = 0; i < c; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    t.set(i, y, x, f.minCode() + (long) (rnd.nextDouble() * (f.maxCode() - f.minCode() + 1)));
                }
            }
        }
        return t;
    }

    /** A tensor with every code equal to {@code code}. */
    public static IntTensor filled(int c, int h, int w, long code) {
        IntTensor t = new IntTensor(c, h, w);
        for (int i = 0; i < c; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    t.set(i, y, x, code);
                }
            }
        }
        return t;
    }

    /**
     * A requantizer whose outputs spread over {@code out} for accumulators of typical size
     * {@code accTypical}: a typical accumulator lands near the top of the output range (so the tails
     * saturate), and channel c cycles through negative, zero and positive BatchNorm offsets, with a
     * negative multiplier on every fourth channel, so that every sign and both saturation ends occur.
     */
    public static Requantizer requantizer(Random rnd, int channels, double accTypical, boolean relu, QFormat out) {
        long[] bias = new long[channels];
        long[] mult = new long[channels];
        long[] offset = new long[channels];
        int multBits = 8;
        double typicalT = Math.max(1, accTypical) * (1 << multBits);
        int shift = (int) Math.max(0, Math.round(Math.log(typicalT / Math.max(1, 0.8 * out.maxCode())) / Math.log(2)));
        double unit = out.maxCode() * Math.scalb(1.0, shift);
        for (int c = 0; c < channels; c++) {
            bias[c] = Math.round((rnd.nextDouble() - 0.5) * accTypical / 2);
            long m = (1L << (multBits - 1)) + rnd.nextInt(1 << (multBits - 1));
            mult[c] = c % 4 == 3 ? -m : m;
            offset[c] = Math.round(((c % 3) - 1) * 0.6 * unit + (rnd.nextDouble() - 0.5) * 0.2 * unit);
        }
        return new Requantizer(bias, mult, offset, shift, relu, out);
    }

    /** A random 3x3 (or 1x1) layer: weights over the whole format, requantizer as above. */
    public static ConvLayer conv(Random rnd, String name, int cin, int cout, int kernel, QFormat wf, QFormat in,
                                 QFormat out, boolean relu) {
        ConvWeights w = weights(rnd, cout, cin, kernel, wf);
        double aTyp = Math.max(in.maxCode(), -in.minCode()) / Math.sqrt(3);
        double wTyp = wf.maxCode() / Math.sqrt(3);
        double accTypical = Math.sqrt(w.fanIn()) * aTyp * wTyp;
        return new ConvLayer(name, w, wf, in, requantizer(rnd, cout, accTypical, relu, out));
    }
}
