package unetq.train;

import unetq.golden.QFormat;

/**
 * Quantization steps fitted to data, for quantization-aware training that starts from a trained network
 * ({@code --init} with {@code --calibrate}): each weight channel's scale onto its grid and each learned
 * activation step. A fixed start is fitted to a random network; a trained network's weights and
 * activations have their own scales, and a step far from them clips or zeroes most values before the
 * first gradient step. The step chosen is the one, of {@value #CANDIDATES} candidates, with the least
 * squared quantization error of the values it will quantize: the post-training calibration of
 * FINN/Brevitas and PyTorch's observers, here as a start.
 */
public final class StepCalibration {
    /** Candidate steps: the one that just reaches the largest magnitude, then smaller by 2^(1/8) each. */
    static final int CANDIDATES = 64;
    /** Values looked at per group: an even stride through them beyond this. */
    static final int MAX_VALUES = 1 << 18;

    private StepCalibration() {
    }

    /** The candidate step with the least squared error of {@code step * Q(v / step)} over {@code values}. */
    public static double bestStep(float[] values, QFormat format) {
        return bestStep(values, format, format.toDouble(format.maxCode()));
    }

    /**
     * As {@link #bestStep(float[], QFormat)}, the largest |value| reaching at most {@code reach} on the
     * format's grid (where reaching its top would only make the numbers bigger, not finer).
     */
    public static double bestStep(float[] values, QFormat format, double reach) {
        float[] v = sample(values);
        double max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        double top = Math.min(reach, format.toDouble(format.maxCode()));
        if (max == 0) {
            return 1;
        }
        double best = Double.NaN;
        double bestError = Double.POSITIVE_INFINITY;
        for (int k = 0; k < CANDIDATES; k++) {
            double step = max / top * Math.pow(2, -k / 8.0);
            double e = error(v, format, step);
            if (e < bestError) {
                bestError = e;
                best = step;
            }
        }
        return best;
    }

    /** Sum of squared differences between each value and {@code step * Q(value / step)}. */
    public static double error(float[] values, QFormat format, double step) {
        double sum = 0;
        for (float x : values) {
            double d = x - step * format.toDouble(format.quantize(x / step));
            sum += d * d;
        }
        return sum;
    }

    private static float[] sample(float[] values) {
        if (values.length <= MAX_VALUES) {
            return values;
        }
        float[] s = new float[MAX_VALUES];
        double stride = (double) values.length / MAX_VALUES;
        for (int i = 0; i < MAX_VALUES; i++) {
            s[i] = values[(int) (i * stride)];
        }
        return s;
    }
}
