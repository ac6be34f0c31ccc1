package unetq.golden;

import java.util.Random;

/** Cropping, padding and flipping of 2-D slices into {@link Sample}s. */
final class Crops {
    private Crops() {
    }

    /**
     * The h x w window whose centre is (cy, cx), as a sample; pixels outside the slice take
     * {@code padCode} (image) and false (label).
     */
    static Sample window(String id, int[][] image, boolean[][] label, int cy, int cx, int h, int w, int padCode) {
        IntTensor t = new IntTensor(1, h, w);
        boolean[][] l = new boolean[h][w];
        int top = cy - h / 2;
        int left = cx - w / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sy = top + y;
                int sx = left + x;
                boolean in = sy >= 0 && sy < image.length && sx >= 0 && sx < image[0].length;
                t.set(0, y, x, in ? image[sy][sx] : padCode);
                l[y][x] = in && label[sy][sx];
            }
        }
        return new Sample(id, t, l);
    }

    /** The sample flipped at random in each axis. */
    static Sample randomFlip(Sample s, Random rnd) {
        boolean fy = rnd.nextBoolean();
        boolean fx = rnd.nextBoolean();
        int h = s.image().height();
        int w = s.image().width();
        IntTensor t = new IntTensor(1, h, w);
        boolean[][] l = new boolean[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sy = fy ? h - 1 - y : y;
                int sx = fx ? w - 1 - x : x;
                t.set(0, y, x, s.image().get(0, sy, sx));
                l[y][x] = s.label()[sy][sx];
            }
        }
        return new Sample(s.id(), t, l);
    }

    /** Median row and column of the true pixels (the paper's pancreas ROI centre), or the centre when none. */
    static int[] medianOf(boolean[][] mask) {
        java.util.List<Integer> ys = new java.util.ArrayList<>();
        java.util.List<Integer> xs = new java.util.ArrayList<>();
        for (int y = 0; y < mask.length; y++) {
            for (int x = 0; x < mask[0].length; x++) {
                if (mask[y][x]) {
                    ys.add(y);
                    xs.add(x);
                }
            }
        }
        if (ys.isEmpty()) {
            return new int[] {mask.length / 2, mask[0].length / 2};
        }
        java.util.Collections.sort(ys);
        java.util.Collections.sort(xs);
        return new int[] {ys.get(ys.size() / 2), xs.get(xs.size() / 2)};
    }
}
