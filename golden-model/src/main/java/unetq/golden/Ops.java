package unetq.golden;

/** The integer layer ops of the U-Net. Each is exact; hardware blocks of the same name mirror them. */
public final class Ops {
    private Ops() {
    }

    /**
     * Raw accumulators of a k x k, stride-1 convolution with zero "same" padding. Exact: when the
     * largest possible sum (fan-in x largest |input| x largest |weight|) fits an int, the sums are
     * taken in int planes (a loop the JIT vectorises); else in longs if it fits one; else with
     * overflow-checked arithmetic ({@link #convAccumulateChecked}). All three give the same integers.
     */
    public static IntTensor convAccumulate(IntTensor in, ConvWeights w) {
        checkChannels(in, w);
        LongRange r = in.range();
        long bound;
        try {
            long maxIn = Math.max(Math.absExact(r.lo()), Math.absExact(r.hi()));
            bound = Math.multiplyExact(Math.multiplyExact(maxIn, w.maxAbs()), (long) w.fanIn());
        } catch (ArithmeticException e) {
            return convAccumulateChecked(in, w);
        }
        if (bound <= Integer.MAX_VALUE) {
            return convAccumulateInt(in, w);
        }
        return bound <= Long.MAX_VALUE / 2 ? convAccumulateLong(in, w) : convAccumulateChecked(in, w);
    }

    private static void checkChannels(IntTensor in, ConvWeights w) {
        if (in.channels() != w.inChannels()) {
            throw new IllegalArgumentException("conv expects " + w.inChannels() + " input channels, got "
                    + in.channels());
        }
    }

    /** The reference: every product and sum overflow-checked, one output at a time. */
    static IntTensor convAccumulateChecked(IntTensor in, ConvWeights w) {
        checkChannels(in, w);
        int k = w.kernel();
        int pad = k / 2;
        IntTensor out = new IntTensor(w.outChannels(), in.height(), in.width());
        for (int o = 0; o < w.outChannels(); o++) {
            for (int y = 0; y < in.height(); y++) {
                for (int x = 0; x < in.width(); x++) {
                    long acc = 0;
                    for (int i = 0; i < w.inChannels(); i++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                acc = Math.addExact(acc, Math.multiplyExact(
                                        in.getOrZero(i, y + ky - pad, x + kx - pad), w.get(o, i, ky, kx)));
                            }
                        }
                    }
                    out.set(o, y, x, acc);
                }
            }
        }
        return out;
    }

    /**
     * Sums in int: each input channel as a zero-bordered plane, and per output channel and tap one
     * multiply-add of a weight into a row of the output plane (the caller proved no sum overflows).
     */
    static IntTensor convAccumulateInt(IntTensor in, ConvWeights w) {
        checkChannels(in, w);
        int k = w.kernel();
        int pad = k / 2;
        int h = in.height();
        int wd = in.width();
        int pw = wd + 2 * pad;
        int[][] planes = paddedInt(in, pad);
        IntTensor out = new IntTensor(w.outChannels(), h, wd);
        int[] acc = new int[h * wd];
        for (int o = 0; o < w.outChannels(); o++) {
            java.util.Arrays.fill(acc, 0);
            for (int i = 0; i < w.inChannels(); i++) {
                int[] plane = planes[i];
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        int wv = (int) w.get(o, i, ky, kx);
                        if (wv == 0) {
                            continue;
                        }
                        for (int y = 0; y < h; y++) {
                            int src = (y + ky) * pw + kx;
                            int dst = y * wd;
                            for (int x = 0; x < wd; x++) {
                                acc[dst + x] += wv * plane[src + x];
                            }
                        }
                    }
                }
            }
            out.setPlane(o, acc);
        }
        return out;
    }

    /**
     * As {@link #convAccumulateInt}, in longs (sums that fit a long but not an int: Q8.8 x Q8.8). The
     * same loop written twice because Java has no generics over primitives, and the int one is the
     * one the JIT vectorises eight lanes wide.
     */
    static IntTensor convAccumulateLong(IntTensor in, ConvWeights w) {
        checkChannels(in, w);
        int k = w.kernel();
        int pad = k / 2;
        int h = in.height();
        int wd = in.width();
        int pw = wd + 2 * pad;
        long[][] planes = new long[in.channels()][];
        for (int i = 0; i < in.channels(); i++) {
            long[] p = new long[(h + 2 * pad) * pw];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < wd; x++) {
                    p[(y + pad) * pw + x + pad] = in.get(i, y, x);
                }
            }
            planes[i] = p;
        }
        IntTensor out = new IntTensor(w.outChannels(), h, wd);
        long[] acc = new long[h * wd];
        for (int o = 0; o < w.outChannels(); o++) {
            java.util.Arrays.fill(acc, 0);
            for (int i = 0; i < w.inChannels(); i++) {
                long[] plane = planes[i];
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        long wv = w.get(o, i, ky, kx);
                        if (wv == 0) {
                            continue;
                        }
                        for (int y = 0; y < h; y++) {
                            int src = (y + ky) * pw + kx;
                            int dst = y * wd;
                            for (int x = 0; x < wd; x++) {
                                acc[dst + x] += wv * plane[src + x];
                            }
                        }
                    }
                }
            }
            out.setPlane(o, acc);
        }
        return out;
    }

    /** Each channel as an int plane with a border of {@code pad} zeros (the caller proved the codes fit an int). */
    private static int[][] paddedInt(IntTensor in, int pad) {
        int h = in.height();
        int wd = in.width();
        int pw = wd + 2 * pad;
        int[][] planes = new int[in.channels()][];
        for (int i = 0; i < in.channels(); i++) {
            int[] p = new int[(h + 2 * pad) * pw];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < wd; x++) {
                    p[(y + pad) * pw + x + pad] = (int) in.get(i, y, x);
                }
            }
            planes[i] = p;
        }
        return planes;
    }

    /** Applies the requantizer to every accumulator. */
    public static IntTensor requantize(IntTensor acc, Requantizer rq) {
        if (acc.channels() != rq.channels()) {
            throw new IllegalArgumentException("requantizer has " + rq.channels() + " channels, tensor has "
                    + acc.channels());
        }
        IntTensor out = new IntTensor(acc.channels(), acc.height(), acc.width());
        for (int c = 0; c < acc.channels(); c++) {
            for (int y = 0; y < acc.height(); y++) {
                for (int x = 0; x < acc.width(); x++) {
                    out.set(c, y, x, rq.apply(acc.get(c, y, x), c));
                }
            }
        }
        return out;
    }

    /** 2x2 max-pool, stride 2, on codes. Odd sizes are rejected (the U-Net needs sizes divisible by 8). */
    public static IntTensor maxPool2x2(IntTensor in) {
        if (in.height() % 2 != 0 || in.width() % 2 != 0) {
            throw new IllegalArgumentException("max-pool needs even height and width, got "
                    + in.height() + "x" + in.width());
        }
        IntTensor out = new IntTensor(in.channels(), in.height() / 2, in.width() / 2);
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    long m = Math.max(Math.max(in.get(c, 2 * y, 2 * x), in.get(c, 2 * y, 2 * x + 1)),
                            Math.max(in.get(c, 2 * y + 1, 2 * x), in.get(c, 2 * y + 1, 2 * x + 1)));
                    out.set(c, y, x, m);
                }
            }
        }
        return out;
    }

    /** Extra fraction bits the bilinear x2 upsampler adds: its weights are n/16. */
    public static final int UPSAMPLE_EXTRA_FRAC_BITS = 4;

    /**
     * Bilinear x2 upsampling as PyTorch {@code F.interpolate(scale_factor=2, mode='bilinear',
     * align_corners=False)}, exact in integers: 1-D weights 3/4 and 1/4 with the source index
     * clamped at the edges, so each output is (9a + 3b + 3c + d) / 16. The result keeps the /16 as
     * {@link #UPSAMPLE_EXTRA_FRAC_BITS} more fraction bits (the paper does not requantize here).
     */
    public static IntTensor upsampleBilinear2x(IntTensor in) {
        int h = in.height();
        int w = in.width();
        IntTensor out = new IntTensor(in.channels(), 2 * h, 2 * w);
        for (int c = 0; c < in.channels(); c++) {
            for (int oy = 0; oy < 2 * h; oy++) {
                int y0 = oy / 2;
                int y1 = oy % 2 == 0 ? Math.max(y0 - 1, 0) : Math.min(y0 + 1, h - 1);
                for (int ox = 0; ox < 2 * w; ox++) {
                    int x0 = ox / 2;
                    int x1 = ox % 2 == 0 ? Math.max(x0 - 1, 0) : Math.min(x0 + 1, w - 1);
                    long v = 9 * in.get(c, y0, x0) + 3 * in.get(c, y0, x1) + 3 * in.get(c, y1, x0)
                            + in.get(c, y1, x1);
                    out.set(c, oy, ox, v);
                }
            }
        }
        return out;
    }

    /** The format of {@link #upsampleBilinear2x}'s output for an input in {@code in}. */
    public static QFormat upsampledFormat(QFormat in) {
        return in.isSigned() ? QFormat.q(in.intBits(), in.fracBits() + UPSAMPLE_EXTRA_FRAC_BITS)
                : QFormat.uq(in.intBits(), in.fracBits() + UPSAMPLE_EXTRA_FRAC_BITS);
    }

    /** The common format of a channel concat: the larger integer and fraction parts. */
    public static QFormat concatFormat(QFormat a, QFormat b) {
        int i = Math.max(a.intBits(), b.intBits());
        int f = Math.max(a.fracBits(), b.fracBits());
        return a.isSigned() || b.isSigned() ? QFormat.q(i, f) : QFormat.uq(i, f);
    }

    /**
     * Channel concat [a, b] (the U-Net puts the upsampled tensor first, then the skip). Codes are
     * aligned exactly by shifting the one with fewer fraction bits left.
     */
    public static IntTensor concat(IntTensor a, QFormat fa, IntTensor b, QFormat fb) {
        if (a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("concat needs equal sizes, got " + a + " and " + b);
        }
        QFormat f = concatFormat(fa, fb);
        IntTensor out = new IntTensor(a.channels() + b.channels(), a.height(), a.width());
        copyShifted(a, 0, f.fracBits() - fa.fracBits(), out);
        copyShifted(b, a.channels(), f.fracBits() - fb.fracBits(), out);
        return out;
    }

    private static void copyShifted(IntTensor src, int channelOffset, int shift, IntTensor dst) {
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < src.height(); y++) {
                for (int x = 0; x < src.width(); x++) {
                    dst.set(channelOffset + c, y, x, src.get(c, y, x) << shift);
                }
            }
        }
    }
}
