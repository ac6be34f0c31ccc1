package unetq.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightAverageTest {
    @Test
    void runningMeanEqualsTheMeanOfAllSnapshots() {
        Random rnd = new Random(3);
        int n = 20;
        double[][] sums = {new double[7], new double[3]};
        Map<String, float[]> mean = null;
        for (int k = 1; k <= n; k++) {
            Map<String, float[]> snap = new LinkedHashMap<>();
            int a = 0;
            for (String name : List.of("conv.w", "bn.mean")) {
                float[] v = new float[sums[a].length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rnd.nextGaussian() * 100 + (a == 0 ? 1e3 : -5));
                    sums[a][i] += v[i];
                }
                snap.put(name, v);
                a++;
            }
            mean = WeightAverage.add(mean, snap, k);
        }
        for (int a = 0; a < 2; a++) {
            float[] expected = new float[sums[a].length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (float) (sums[a][i] / n);
            }
            assertArrayEquals(expected, mean.get(a == 0 ? "conv.w" : "bn.mean"), 1e-3f);
        }
    }

    @Test
    void snapshotsMustHoldTheSameArrays() {
        Map<String, float[]> one = Map.of("a", new float[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> WeightAverage.add(one, Map.of("b", new float[] {1, 2}), 2));
        assertThrows(IllegalArgumentException.class, () -> WeightAverage.add(one, Map.of("a", new float[] {1}), 2));
        assertThrows(IllegalArgumentException.class, () -> WeightAverage.add(one, one, 0));
    }
}
