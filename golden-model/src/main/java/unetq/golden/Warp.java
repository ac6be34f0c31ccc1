package unetq.golden;

import java.util.Random;

/** Resampling of 2-D float images: bilinear reads and the random displacement field of an elastic transform. */
final class Warp {
    private Warp() {
    }

    /** The image at (y, x) by bilinear interpolation; outside the image, {@code outside}. */
    static float bilinear(float[][] img, double y, double x, float outside) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        double top = (1 - fx) * at(img, y0, x0, outside) + fx * at(img, y0, x0 + 1, outside);
        double bottom = (1 - fx) * at(img, y0 + 1, x0, outside) + fx * at(img, y0 + 1, x0 + 1, outside);
        return (float) ((1 - fy) * top + fy * bottom);
    }

    private static float at(float[][] img, int y, int x, float outside) {
        return y >= 0 && y < img.length && x >= 0 && x < img[0].length ? img[y][x] : outside;
    }

    /**
     * Simard et al.'s elastic displacement, as medicaltorch's ElasticTransform: uniform noise in
     * [-1, 1] per pixel and axis, smoothed by a Gaussian of {@code sigma} pixels, times {@code alpha}.
     * Returns [dy, dx][size][size] in pixels.
     */
    static float[][][] elasticField(Random rnd, int size, double alpha, double sigma) {
        float[][][] field = new float[2][size][size];
        for (float[][] f : field) {
            for (float[] row : f) {
                for (int x = 0; x < size; x++) {
                    row[x] = (float) (2 * rnd.nextDouble() - 1);
                }
            }
            blur(f, sigma, alpha);
        }
        return field;
    }

    /** Separable Gaussian blur in place (edges reflected), times {@code gain}. */
    private static void blur(float[][] f, double sigma, double gain) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            total += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= total;
        }
        int n = f.length;
        float[][] tmp = new float[n][n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double s = 0;
                for (int i = -radius; i <= radius; i++) {
                    s += k[i + radius] * f[y][reflect(x + i, n)];
                }
                tmp[y][x] = (float) s;
            }
        }
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double s = 0;
                for (int i = -radius; i <= radius; i++) {
                    s += k[i + radius] * tmp[reflect(y + i, n)][x];
                }
                f[y][x] = (float) (s * gain);
            }
        }
    }

    private static int reflect(int i, int n) {
        return i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i;
    }
}
