package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfidenceTest {
    /** A 5 x 5 foreground square inside a 9 x 9 image: rings at distance 1, 2 and a centre at 3. */
    private static boolean[][] square() {
        boolean[][] label = new boolean[9][9];
        for (int y = 2; y < 7; y++) {
            for (int x = 2; x < 7; x++) {
                label[y][x] = true;
            }
        }
        return label;
    }

    @Test
    void distanceIsTheChessboardDistanceToBackground() {
        int[][] d = Confidence.distanceToBackground(square());
        assertArrayEquals(new int[] {0, 0, 1, 1, 1, 1, 1, 0, 0}, d[2]);
        assertArrayEquals(new int[] {0, 0, 1, 2, 2, 2, 1, 0, 0}, d[3]);
        assertArrayEquals(new int[] {0, 0, 1, 2, 3, 2, 1, 0, 0}, d[4]);
        assertEquals(0, d[0][0]);
    }

    @Test
    void binsMeansAndShareBelowTheThreshold() {
        boolean[][] label = square();
        int[][] d = Confidence.distanceToBackground(label);
        double[][] logits = new double[9][9];
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                logits[y][x] = label[y][x] ? 2.0 * d[y][x] + (x % 2) * 0.5 : -9; // background logits are not counted
            }
        }
        Confidence c = new Confidence(4.2);
        c.add((y, x) -> logits[y][x], label);
        assertEquals(16, c.count(0));
        assertEquals(8, c.count(1));
        assertEquals(1, c.count(2));
        assertEquals(0, c.count(3));
        assertEquals(2.0 + 0.5 * 4 / 16, c.meanLogit(0), 1e-12); // 4 of the 16 ring pixels have odd x
        assertEquals(100.0, c.percentBelow(0));
        assertEquals(25.0, c.percentBelow(1), 1e-12);           // 2 of 8 at 4.0 (even x), 6 at 4.5
        assertEquals(0.0, c.percentBelow(2));
        assertTrue(Double.isNaN(c.meanLogit(3)));
        assertEquals("4-6", Confidence.binName(3));
        assertEquals(">=7", Confidence.binName(Confidence.bins() - 1));
    }

    @Test
    void anImageWithoutBackgroundCountsInTheLastBin() {
        boolean[][] all = new boolean[3][4];
        for (boolean[] row : all) {
            java.util.Arrays.fill(row, true);
        }
        Confidence c = new Confidence(0);
        c.add((y, x) -> 0, all);
        assertEquals(12, c.count(Confidence.bins() - 1));
    }
}
