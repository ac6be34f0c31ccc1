package unetq.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running mean of network snapshots (stochastic weight averaging over the last epochs): a kept model
 * that does not depend on which single epoch happened to score best on a few validation images.
 */
final class WeightAverage {
    private WeightAverage() {
    }

    /**
     * The mean of {@code k} snapshots from the mean of the first {@code k - 1} ({@code mean}, ignored for
     * k = 1) and the k-th: {@code mean + (next - mean) / k}, computed in double per element.
     */
    static Map<String, float[]> add(Map<String, float[]> mean, Map<String, float[]> next, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("position in the average must be >= 1, got " + k);
        }
        if (k == 1) {
            return next;
        }
        if (mean == null || !mean.keySet().equals(next.keySet())) {
            throw new IllegalArgumentException("the average and the snapshot hold different arrays");
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : next.entrySet()) {
            float[] m = mean.get(e.getKey());
            float[] x = e.getValue();
            if (m.length != x.length) {
                throw new IllegalArgumentException(e.getKey() + ": " + m.length + " values in the average, " + x.length + " in the snapshot");
            }
            float[] r = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                r[i] = (float) (m[i] + ((double) x[i] - m[i]) / k);
            }
            out.put(e.getKey(), r);
        }
        return out;
    }
}
