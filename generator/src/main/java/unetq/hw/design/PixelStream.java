package unetq.hw.design;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import unetq.golden.Bits;
import unetq.golden.IntTensor;
import unetq.hw.graph.UNetAccelerator;

/**
 * Tensors as streams of channel groups: pixels in raster order, a pixel as C/g beats of g channels
 * (group k holds channels k*g ..), channel c of a group at bit c*bits, two's complement.
 */
public final class PixelStream {
    private PixelStream() {
    }

    /** Whole pixels: one beat a pixel. */
    public static List<BigInteger> pack(IntTensor t, int bits) {
        return packGroups(t, bits, t.channels());
    }

    public static List<BigInteger> packGroups(IntTensor t, int bits, int group) {
        List<BigInteger> beats = new ArrayList<>();
        long[] px = new long[group];
        int[] widths = new int[group];
        java.util.Arrays.fill(widths, bits);
        for (int y = 0; y < t.height(); y++) {
            for (int x = 0; x < t.width(); x++) {
                for (int k = 0; k < t.channels() / group; k++) {
                    for (int c = 0; c < group; c++) {
                        px[c] = t.get(k * group + c, y, x);
                    }
                    beats.add(MemH.pack(px, widths));
                }
            }
        }
        return beats;
    }

    /** The beats from {@code first} on (one a pixel), as a C x H x W tensor of signed codes. */
    public static IntTensor unpack(List<BigInteger> beats, int first, int channels, int height, int width, int bits) {
        return unpackGroups(beats, first, channels, height, width, bits, channels);
    }

    /** The beats from {@code first} on (C/g a pixel), as a C x H x W tensor of signed codes. */
    public static IntTensor unpackGroups(List<BigInteger> beats, int first, int channels, int height, int width, int bits,
                                         int group) {
        IntTensor t = new IntTensor(channels, height, width);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        int groups = channels / group;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int k = 0; k < groups; k++) {
                    BigInteger beat = beats.get(first + (y * width + x) * groups + k);
                    for (int c = 0; c < group; c++) {
                        t.set(k * group + c, y, x, Bits.signExtend(beat.shiftRight(c * bits).and(mask).longValue(), bits));
                    }
                }
            }
        }
        return t;
    }

    /**
     * Input beats of a {@link UNetAccelerator} for a grey image (1 x H x W, codes 0..255): the
     * fields of its in_* ports in order - pixel, start-of-frame mark, end-of-row mark.
     */
    public static List<List<BigInteger>> framedGrey(IntTensor image) {
        List<List<BigInteger>> beats = new ArrayList<>();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                beats.add(List.of(BigInteger.valueOf(image.get(0, y, x)), flag(y == 0 && x == 0), flag(x == image.width() - 1)));
            }
        }
        return beats;
    }

    private static BigInteger flag(boolean b) {
        return b ? BigInteger.ONE : BigInteger.ZERO;
    }
}
