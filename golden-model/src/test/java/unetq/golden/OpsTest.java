package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class OpsTest {

    static IntTensor random(Random rnd, int c, int h, int w, long lo, long hi) {
        IntTensor t = new IntTensor(c, h, w);
        for (int i = 0; i < c; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    t.set(i, y, x, lo + (long) (rnd.nextDouble() * (hi - lo + 1)));
                }
            }
        }
        return t;
    }

    @Test
    void zeroPaddingCountsNeighbours() {
        IntTensor ones = new IntTensor(1, 4, 5);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                ones.set(0, y, x, 1);
            }
        }
        long[] k = new long[9];
        java.util.Arrays.fill(k, 1);
        IntTensor acc = Ops.convAccumulate(ones, new ConvWeights(1, 1, 3, k));
        assertEquals(4, acc.get(0, 0, 0));
        assertEquals(6, acc.get(0, 0, 2));
        assertEquals(9, acc.get(0, 1, 1));
        assertEquals(4, acc.get(0, 3, 4));
    }

    /**
     * The int and long fast paths give the checked reference's integers, for codes of 2 to 17 bits
     * (W2..W8, A2..A8, Q8.8) with a tenth of the tensors at the extremes; the dispatch picks the
     * int path for narrow codes and a wider one for Q8.8 x Q8.8 sums.
     */
    @Property(tries = 80)
    void fastConvPathsEqualTheCheckedOne(@ForAll @IntRange(min = 1, max = 5) int cin,
                                         @ForAll @IntRange(min = 1, max = 4) int cout,
                                         @ForAll @IntRange(min = 1, max = 9) int h,
                                         @ForAll @IntRange(min = 1, max = 9) int w,
                                         @ForAll @IntRange(min = 1, max = 16) int inBits,
                                         @ForAll @IntRange(min = 1, max = 16) int wBits,
                                         @ForAll boolean pointwise,
                                         @ForAll boolean extreme,
                                         @ForAll long seed) {
        Random rnd = new Random(seed);
        int k = pointwise ? 1 : 3;
        long inMax = (1L << inBits) - 1;
        long wMax = (1L << wBits) - 1;
        IntTensor in = new IntTensor(cin, h, w);
        for (int c = 0; c < cin; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    in.set(c, y, x, extreme ? (rnd.nextBoolean() ? inMax : -inMax) : rnd.nextLong(-inMax, inMax + 1));
                }
            }
        }
        long[] codes = new long[cout * cin * k * k];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = extreme ? (rnd.nextBoolean() ? wMax : -wMax) : rnd.nextLong(-wMax, wMax + 1);
        }
        ConvWeights wt = new ConvWeights(cout, cin, k, codes);
        IntTensor want = Ops.convAccumulateChecked(in, wt);
        assertEquals(want, Ops.convAccumulateLong(in, wt));
        assertEquals(want, Ops.convAccumulate(in, wt));
        if (inMax * wMax * wt.fanIn() <= Integer.MAX_VALUE) {
            assertEquals(want, Ops.convAccumulateInt(in, wt));
        }
    }

    /** Conv against a double reference with PyTorch's cross-correlation indexing (exact: small ints). */
    @Property(tries = 60)
    void convMatchesDoubleReference(@ForAll @IntRange(min = 1, max = 3) int cin,
                                    @ForAll @IntRange(min = 1, max = 3) int cout,
                                    @ForAll @IntRange(min = 1, max = 7) int h,
                                    @ForAll @IntRange(min = 1, max = 7) int w,
                                    @ForAll boolean pointwise,
                                    @ForAll long seed) {
        Random rnd = new Random(seed);
        int k = pointwise ? 1 : 3;
        IntTensor in = random(rnd, cin, h, w, -63, 63);
        long[] codes = new long[cout * cin * k * k];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = rnd.nextInt(33) - 16;
        }
        ConvWeights wt = new ConvWeights(cout, cin, k, codes);
        IntTensor got = Ops.convAccumulate(in, wt);
        for (int o = 0; o < cout; o++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double ref = 0;
                    for (int i = 0; i < cin; i++) {
                        for (int dy = 0; dy < k; dy++) {
                            for (int dx = 0; dx < k; dx++) {
                                int sy = y + dy - k / 2;
                                int sx = x + dx - k / 2;
                                if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                                    ref += (double) in.get(i, sy, sx) * codes[((o * cin + i) * k + dy) * k + dx];
                                }
                            }
                        }
                    }
                    assertEquals((long) ref, got.get(o, y, x));
                }
            }
        }
    }

    /** Bilinear x2 against PyTorch's align_corners=False coordinate formula, evaluated in double. */
    @Property(tries = 100)
    void upsampleMatchesPytorchFormula(@ForAll @IntRange(min = 1, max = 6) int h,
                                       @ForAll @IntRange(min = 1, max = 6) int w,
                                       @ForAll long seed) {
        IntTensor in = random(new Random(seed), 2, h, w, -63, 63);
        IntTensor up = Ops.upsampleBilinear2x(in);
        for (int c = 0; c < 2; c++) {
            for (int oy = 0; oy < 2 * h; oy++) {
                for (int ox = 0; ox < 2 * w; ox++) {
                    double sy = Math.max((oy + 0.5) / 2 - 0.5, 0);
                    double sx = Math.max((ox + 0.5) / 2 - 0.5, 0);
                    int y0 = (int) Math.floor(sy);
                    int x0 = (int) Math.floor(sx);
                    int y1 = Math.min(y0 + 1, h - 1);
                    int x1 = Math.min(x0 + 1, w - 1);
                    double ly = sy - y0;
                    double lx = sx - x0;
                    double v = (1 - ly) * ((1 - lx) * in.get(c, y0, x0) + lx * in.get(c, y0, x1))
                            + ly * ((1 - lx) * in.get(c, y1, x0) + lx * in.get(c, y1, x1));
                    assertEquals(v * 16, (double) up.get(c, oy, ox), 0.0, "at " + oy + "," + ox);
                }
            }
        }
    }

    @Test
    void maxPoolPicksLargest() {
        IntTensor in = random(new Random(1), 3, 4, 6, -63, 63);
        IntTensor out = Ops.maxPool2x2(in);
        assertEquals(2, out.height());
        assertEquals(3, out.width());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    long m = Long.MIN_VALUE;
                    for (int d = 0; d < 4; d++) {
                        m = Math.max(m, in.get(c, 2 * y + d / 2, 2 * x + d % 2));
                    }
                    assertEquals(m, out.get(c, y, x));
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Ops.maxPool2x2(new IntTensor(1, 3, 4)));
    }

    @Test
    void concatAlignsFormatsExactly() {
        QFormat skip = QFormat.activations(6);
        QFormat up = Ops.upsampledFormat(skip);
        IntTensor a = random(new Random(2), 2, 3, 3, -1008, 1008);
        IntTensor b = random(new Random(3), 1, 3, 3, -63, 63);
        IntTensor cat = Ops.concat(a, up, b, skip);
        QFormat f = Ops.concatFormat(up, skip);
        assertEquals(QFormat.q(6, 4), f);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(up.toDouble(a.get(1, y, x)), f.toDouble(cat.get(1, y, x)));
                assertEquals(skip.toDouble(b.get(0, y, x)), f.toDouble(cat.get(2, y, x)));
            }
        }
    }

    @Test
    void thresholdOfPaper() {
        Threshold t = new Threshold(0.999, 4); // logit 6.9068 * 16 = 110.5 -> 111
        assertEquals(111, t.minCode());
        assertEquals(0, new Threshold(0.5, 8).minCode());
    }

    @Property(tries = 3000)
    void thresholdEqualsSigmoidCompare(@ForAll @IntRange(min = -5000, max = 5000) int code,
                                       @ForAll @IntRange(min = 0, max = 10) int frac,
                                       @ForAll @IntRange(min = 1, max = 999) int permille) {
        Threshold t = new Threshold(permille / 1000.0, frac);
        double sigmoid = 1 / (1 + Math.exp(-Math.scalb((double) code, -frac)));
        assertEquals(sigmoid >= permille / 1000.0, t.isForeground(code), () -> "code " + code);
    }
}
