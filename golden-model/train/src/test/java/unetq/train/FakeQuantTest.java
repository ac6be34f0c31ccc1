package unetq.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import unetq.golden.QFormat;
import unetq.golden.UNetTopology;

/** The training engine's pieces that need no training: the fake quantizer, BatchNorm, initial scales. */
class FakeQuantTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        Trainer.configureThreads(1);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void fakeQuantizerGivesTheGoldenCodes() {
        Random rnd = new Random(4);
        for (QFormat f : List.of(QFormat.weights(2), QFormat.weights(4), QFormat.weights(8), QFormat.activations(4),
                QFormat.activations(6), QFormat.q(8, 8), QFormat.q(2, 3))) {
            float[] x = new float[4000];
            for (int i = 0; i < x.length; i++) {
                double range = Math.scalb(1.0, f.intBits()) * 1.5 + 1;
                x[i] = (float) ((rnd.nextDouble() * 2 - 1) * range);
                if (i % 10 == 0) {
                    x[i] = (float) (Math.round(x[i] * Math.scalb(2.0, f.fracBits())) / Math.scalb(2.0, f.fracBits()));
                }
            }
            float[] q = FakeQuant.quantize(manager.create(x), f).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(f.quantize(x[i]), Math.round(Math.scalb((double) q[i], f.fracBits())), f + " of " + x[i]);
            }
        }
    }


    @Test
    void batchNormUpdatesRunningStatsAsPyTorch() {
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(4, 1, 1, 1));
        NDArray mean = manager.zeros(new Shape(1));
        NDArray var = manager.ones(new Shape(1));
        BatchNorm.batchNorm(x, mean, var, manager.ones(new Shape(1)), manager.zeros(new Shape(1)), 1,
                QatNetwork.BN_MOMENTUM, QatNetwork.BN_EPS, true);
        assertEquals(0.25f, mean.getFloat(), 1e-6f); // PyTorch momentum 0.1: 0.9 * 0 + 0.1 * 2.5
    }


    @Test
    void batchNormStartsAtEightGridStepsPerDeviationWhereTheFormatAllows() {
        assertEquals(7.875f, QatNetwork.initialGamma(QFormat.activations(6))); // Q6.0: range 63 / 8
        assertEquals(8f, QatNetwork.initialGamma(QFormat.activations(8)));     // Q8.0: 8 steps of 1
        assertEquals(1.875f, QatNetwork.initialGamma(QFormat.activations(4))); // Q4.0: 15 / 8
        assertEquals(1f, QatNetwork.initialGamma(QFormat.activations(2)));     // Q2.0: never below 1
        assertEquals(1f, QatNetwork.initialGamma(QFormat.q(8, 8)));           // 1/256 steps: gamma 1 has 256 per deviation
        QatConfig w4a6 = new QatConfig(UNetTopology.preset("tiny"), QFormat.weights(4), QFormat.activations(6));
        assertEquals(7.875f, new QatNetwork(manager, w4a6, 1, 7.875f).trainable().get("enc1a.gamma").getFloat(0));
        assertEquals(1f, new QatNetwork(manager, w4a6, 1).trainable().get("enc1a.gamma").getFloat(0)); // the paper's
    }

}
