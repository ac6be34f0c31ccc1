package unetq.hw.design;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import unetq.golden.Bits;
import unetq.golden.IntTensor;
import unetq.hw.graph.UNetAccelerator;

/** Tensors as pixel streams: raster order, one beat per pixel, channel c at bit c*bits, two's complement. */
public final class PixelStream {
    private PixelStream() {
    }

    public static List<BigInteger> pack(IntTensor t, int bits) {
        List<BigInteger> beats = new ArrayList<>();
        long[] px = new long[t.channels()];
        int[] widths = new int[t.channels()];
        java.util.Arrays.fill(widths, bits);
        for (int y = 0; y < t.height(); y++) {
            for (int x = 0; x < t.width(); x++) {
                for (int c = 0; c < t.channels(); c++) {
                    px[c] = t.get(c, y, x);
                }
                beats.add(MemH.pack(px, widths));
            }
        }
        return beats;
    }

    /** The beats from {@code first} on, as a C x H x W tensor of signed codes. */
    public static IntTensor unpack(List<BigInteger> beats, int first, int channels, int height, int width, int bits) {
        IntTensor t = new IntTensor(channels, height, width);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                BigInteger beat = beats.get(first + y * width + x);
                for (int c = 0; c < channels; c++) {
                    t.set(c, y, x, Bits.signExtend(beat.shiftRight(c * bits).and(mask).longValue(), bits));
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
