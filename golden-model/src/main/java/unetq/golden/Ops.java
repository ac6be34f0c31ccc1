package unetq.golden;

/** The integer layer ops of the U-Net. Each is exact; hardware blocks of the same name mirror them. */
public final class Ops {
    private Ops() {
    }

    /** Raw accumulators of a k x k, stride-1 convolution with zero "same" padding. */
    public static IntTensor convAccumulate(IntTensor in, ConvWeights w) {
        if (in.channels() != w.inChannels()) {
            throw new IllegalArgumentException("conv expects " + w.inChannels() + " input channels, got "
                    + in.channels());
        }
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
