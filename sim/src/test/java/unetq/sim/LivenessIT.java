package unetq.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import unetq.golden.QFormat;
import unetq.golden.RandomLayers;
import unetq.hw.block.ConvLayer;
import unetq.hw.schedule.Folding;

/** A starved design fails with a liveness error naming the cycle, instead of hanging. */
class LivenessIT {
    @Test
    void starvedDesignTripsTheWatchdog() {
        QFormat a = QFormat.activations(6);
        ConvLayer block = new ConvLayer("conv_starved", RandomLayers.conv(new Random(3), "starved", 2, 2, 3,
                QFormat.weights(4), a, a, true), 6, 6, new Folding(1, 2));
        Path dir = Path.of("target", "designs", block.name());
        Path exe = ConvLayerCosim.prepare(block, dir, VerilatorBuild.defaultCache(System.out::println));
        List<List<BigInteger>> half = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            half.add(List.of(block.packInput(new long[] {i % 7, -i % 5})));
        }
        long started = System.nanoTime();
        LivenessException e = assertThrows(LivenessException.class, () -> StreamRun.run(exe, dir, half, 36,
                new StreamRun.Options(1, 0, 0, 2000)));
        assertTrue(e.getMessage().contains("no output for 2000 cycles"), e.getMessage());
        System.out.println("watchdog: " + e.getMessage() + " after " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }
}
