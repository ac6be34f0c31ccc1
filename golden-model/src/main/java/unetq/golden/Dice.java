package unetq.golden;

/**
 * Dice overlap in percent, the paper's protocol: per image {@code (1 - scipy dice) * 100} with
 * NaN (both masks empty) counted as 0, then averaged over images.
 */
public final class Dice {
    private Dice() {
    }

    public static double percent(boolean[][] predicted, boolean[][] truth) {
        if (predicted.length != truth.length || predicted[0].length != truth[0].length) {
            throw new IllegalArgumentException("mask sizes differ: " + predicted.length + "x" + predicted[0].length
                    + " vs " + truth.length + "x" + truth[0].length);
        }
        long both = 0;
        long p = 0;
        long t = 0;
        for (int y = 0; y < truth.length; y++) {
            for (int x = 0; x < truth[0].length; x++) {
                both += predicted[y][x] && truth[y][x] ? 1 : 0;
                p += predicted[y][x] ? 1 : 0;
                t += truth[y][x] ? 1 : 0;
            }
        }
        return p + t == 0 ? 0 : 200.0 * both / (p + t);
    }

    /** Share of pixels on which two masks agree, in percent. */
    public static double agreement(boolean[][] a, boolean[][] b) {
        long same = 0;
        for (int y = 0; y < a.length; y++) {
            for (int x = 0; x < a[0].length; x++) {
                same += a[y][x] == b[y][x] ? 1 : 0;
            }
        }
        return 100.0 * same / ((long) a.length * a[0].length);
    }
}
