package unetq.golden;

/**
 * How confident a model is on the foreground: the logits of foreground pixels, binned by their
 * chessboard distance to the nearest background pixel (1, 2, 3, 4-6, 7 or more). A threshold high
 * on the sigmoid (the paper's 0.999, logit 6.91) keeps only the pixels whose logit clears it, so
 * two models that segment alike at 0.5 can differ by tens of Dice points at 0.999 when one
 * model's interior logits sit a unit lower; this report shows where.
 */
public final class Confidence {
    /** Upper distance of each bin; the last bin is open. */
    private static final int[] BIN_TOP = {1, 2, 3, 6, Integer.MAX_VALUE};
    private static final String[] BIN_NAMES = {"1", "2", "3", "4-6", ">=7"};

    private final double threshold;
    private final long[] count = new long[BIN_TOP.length];
    private final long[] below = new long[BIN_TOP.length];
    private final double[] sum = new double[BIN_TOP.length];

    /** @param thresholdLogit the logit a pixel must reach to count as foreground */
    public Confidence(double thresholdLogit) {
        this.threshold = thresholdLogit;
    }

    /** A logit by pixel, as a value (integer models divide their codes by the format's scale). */
    @FunctionalInterface
    public interface Logits {
        double at(int y, int x);
    }

    /** Adds one image: its logits and its label (true = foreground), which gives the size. */
    public void add(Logits logits, boolean[][] label) {
        int[][] d = distanceToBackground(label);
        for (int y = 0; y < label.length; y++) {
            for (int x = 0; x < label[0].length; x++) {
                if (label[y][x]) {
                    double v = logits.at(y, x);
                    int b = bin(d[y][x]);
                    count[b]++;
                    sum[b] += v;
                    below[b] += v < threshold ? 1 : 0;
                }
            }
        }
    }

    private static int bin(int distance) {
        int b = 0;
        while (distance > BIN_TOP[b]) {
            b++;
        }
        return b;
    }

    /**
     * Chessboard distance of each pixel to the nearest background pixel (0 on background), by the
     * two-pass distance transform; an image without background gives every pixel a distance larger
     * than the image.
     */
    static int[][] distanceToBackground(boolean[][] label) {
        int h = label.length;
        int w = label[0].length;
        int far = h + w;
        int[][] d = new int[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = label[y][x] ? far : 0;
                if (v > 0) {
                    v = Math.min(v, at(d, y, x - 1, far) + 1);
                    v = Math.min(v, at(d, y - 1, x - 1, far) + 1);
                    v = Math.min(v, at(d, y - 1, x, far) + 1);
                    v = Math.min(v, at(d, y - 1, x + 1, far) + 1);
                }
                d[y][x] = v;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            for (int x = w - 1; x >= 0; x--) {
                int v = d[y][x];
                if (v > 0) {
                    v = Math.min(v, at(d, y, x + 1, far) + 1);
                    v = Math.min(v, at(d, y + 1, x + 1, far) + 1);
                    v = Math.min(v, at(d, y + 1, x, far) + 1);
                    v = Math.min(v, at(d, y + 1, x - 1, far) + 1);
                }
                d[y][x] = v;
            }
        }
        return d;
    }

    private static int at(int[][] d, int y, int x, int far) {
        return y < 0 || y >= d.length || x < 0 || x >= d[0].length ? far : d[y][x];
    }

    /** Foreground pixels in each bin. */
    public long count(int bin) {
        return count[bin];
    }

    /** Mean logit of a bin's pixels (NaN when empty). */
    public double meanLogit(int bin) {
        return count[bin] == 0 ? Double.NaN : sum[bin] / count[bin];
    }

    /** Percent of a bin's pixels below the threshold (NaN when empty). */
    public double percentBelow(int bin) {
        return count[bin] == 0 ? Double.NaN : 100.0 * below[bin] / count[bin];
    }

    public static int bins() {
        return BIN_TOP.length;
    }

    public static String binName(int bin) {
        return BIN_NAMES[bin];
    }
}
