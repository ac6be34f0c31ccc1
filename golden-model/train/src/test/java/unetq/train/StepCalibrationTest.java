package unetq.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import unetq.golden.QFormat;

class StepCalibrationTest {
    private static final QFormat A6 = QFormat.activations(6);

    /** A value set that a step represents exactly gets that step, with no error. */
    @Test
    void exactlyRepresentableValuesAreKeptExactly() {
        float[] v = {0, 0.5f, -1.5f, 31.5f, -31.5f, 10f};
        double step = StepCalibration.bestStep(v, A6);
        assertEquals(0.5, step, 1e-12);
        assertEquals(0, StepCalibration.error(v, A6, step), 1e-12);
    }

    /**
     * On Gaussian values the chosen step beats the step that just reaches the largest value (which spends
     * the grid on rare outliers) and one far smaller (which clips), for Q6.0 and the weights' Q0.4.
     */
    @Test
    void theChosenStepTradesClippingAgainstResolution() {
        Random rnd = new Random(42);
        float[] v = new float[100_000];
        double max = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * 0.03);
            max = Math.max(max, Math.abs(v[i]));
        }
        for (QFormat f : new QFormat[] {A6, QFormat.weights(4)}) {
            double top = f.toDouble(f.maxCode());
            double best = StepCalibration.bestStep(v, f);
            double e = StepCalibration.error(v, f, best);
            assertTrue(e < StepCalibration.error(v, f, max / top), f + ": " + best);
            assertTrue(e < StepCalibration.error(v, f, max / top / 64), f + ": " + best);
            assertTrue(best < max / top, f + ": the best step clips the tail, got " + best);
        }
    }

    /** A reach below the format's top caps the scale: Q8.8 weights reach 1 at most, as Q0.8's do. */
    @Test
    void aReachCapsTheRange() {
        float[] v = {0.1f, -0.05f, 0.02f};
        QFormat q88 = QFormat.q(8, 8);
        assertTrue(StepCalibration.bestStep(v, q88) < 0.1 / 255, "uncapped, the largest value reaches the top");
        double capped = StepCalibration.bestStep(v, q88, 1);
        assertTrue(capped >= 0.1 * Math.pow(2, -63 / 8.0) && capped <= 0.1, "capped at 1: " + capped);
        assertEquals(StepCalibration.bestStep(v, QFormat.weights(8)), StepCalibration.bestStep(v, QFormat.weights(8), 1), 1e-12);
    }

    /** All-zero values (a dead channel) keep a step of 1 instead of dividing by zero. */
    @Test
    void deadChannelsKeepAUnitStep() {
        assertEquals(1, StepCalibration.bestStep(new float[16], QFormat.weights(4)));
    }
}
