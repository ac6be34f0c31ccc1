package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmDatasetTest {
    @Test
    void sharedEmSplitAndCrops() throws IOException {
        EmDataset em = EmDataset.load(SharedData.dataset("isbi2012-em"));
        assertEquals(24, em.slices().size());
        assertEquals(20, em.trainingSlices().size());
        assertEquals("train slices 0..19, validation slices 20..23", em.splitDescription());
        Sample v = em.validation().get(0);
        assertEquals(200, v.image().height());
        double interior = 0;
        for (boolean[] row : v.label()) {
            for (boolean b : row) {
                interior += b ? 1 : 0;
            }
        }
        interior /= 200.0 * 200;
        assertTrue(interior > 0.6 && interior < 0.9, "cell interior share " + interior); // README: 73-83 %
    }

    @Test
    void wrongLayoutIsRejected(@TempDir Path tmp) throws IOException {
        IOException e = assertThrows(IOException.class, () -> EmDataset.load(tmp));
        assertTrue(e.getMessage().contains("needs images/ and labels/"), e.getMessage());
        Files.createDirectories(tmp.resolve("images"));
        Files.createDirectories(tmp.resolve("labels"));
        assertThrows(IOException.class, () -> EmDataset.load(tmp));
    }

    @Test
    void diceFollowsThePaper() {
        boolean[][] a = {{true, true}, {false, false}};
        boolean[][] b = {{true, false}, {false, false}};
        assertEquals(200.0 * 1 / 3, Dice.percent(a, b), 1e-9);
        assertEquals(0, Dice.percent(new boolean[2][2], new boolean[2][2])); // NaN counted as 0
        assertEquals(75.0, Dice.agreement(a, b));
    }
}
