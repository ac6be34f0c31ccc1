package unetq.hw.schedule;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.hw.cost.Device;
import unetq.hw.cost.Resources;

/** The budget search never exceeds its budget and is within 10 % of a brute-force search's frame rate. */
class FoldingSearchTest {
    private static final QuantizedUNet NET = QuantizedUNet.random(UNetTopology.preset("tiny"), QFormat.weights(4), QFormat.activations(6), 3);

    /** Budgets as multiples of the smallest candidate's LUTs, so they track the cost model. */
    @ParameterizedTest(name = "LUT budget {0} x the smallest design")
    @ValueSource(doubles = {1.0, 1.1, 1.3, 1.6})
    void fastestWithinBudgetMatchesBruteForce(double factor) {
        long smallest = Long.MAX_VALUE;
        for (long t : FoldingSearch.frameTimes(NET, 16, 16)) {
            Resources r = FoldingSearch.at(NET, 16, 16, t, Device.XC7Z020).estimate();
            smallest = Math.min(smallest, r.luts() + r.lutram());
        }
        long budget = (long) (smallest * factor);
        FoldingSearch.Choice c = FoldingSearch.fastest(NET, 16, 16, Device.XC7Z020, FoldingSearch.within(budget, null));
        assertTrue(c.estimate().luts() + c.estimate().lutram() <= budget, "over budget: " + c.estimate());
        long best = Long.MAX_VALUE;
        for (long t : FoldingSearch.frameTimes(NET, 16, 16)) { // brute force over the same space
            FoldingSearch.Choice b = FoldingSearch.at(NET, 16, 16, t, Device.XC7Z020);
            if (b.estimate().luts() + b.estimate().lutram() <= budget) {
                best = Math.min(best, b.boundCyclesPerFrame());
            }
        }
        System.out.printf("budget %d: search %d cycles/frame (%s), brute force %d%n", budget, c.boundCyclesPerFrame(), c.estimate(), best);
        assertTrue(c.boundCyclesPerFrame() <= best * 1.1, "search " + c.boundCyclesPerFrame() + " vs brute force " + best);
    }

    @ParameterizedTest(name = "device {0}")
    @ValueSource(strings = {"xcu250", "xczu3eg", "xc7a100t"})
    void fastestOnADeviceMatchesBruteForce(String id) {
        Device d = Device.byId(id);
        java.util.function.Predicate<Resources> fits = d::fits;
        long best = Long.MAX_VALUE;
        for (long t : FoldingSearch.frameTimes(NET, 16, 16)) {
            FoldingSearch.Choice b = FoldingSearch.at(NET, 16, 16, t, d);
            if (fits.test(b.estimate())) {
                best = Math.min(best, b.boundCyclesPerFrame());
            }
        }
        if (best == Long.MAX_VALUE) {
            assertThrows(FoldingSearch.NothingFits.class, () -> FoldingSearch.fastest(NET, 16, 16, d, fits));
            System.out.printf("%s: nothing fits, as brute force finds%n", id);
            return;
        }
        FoldingSearch.Choice c = FoldingSearch.fastest(NET, 16, 16, d, fits);
        assertTrue(fits.test(c.estimate()), "does not fit " + id + ": " + c.estimate());
        System.out.printf("%s: search %d cycles/frame (%s), brute force %d%n", id, c.boundCyclesPerFrame(), c.estimate(), best);
        assertTrue(c.boundCyclesPerFrame() <= best * 1.1, "search " + c.boundCyclesPerFrame() + " vs brute force " + best);
    }

    @ParameterizedTest(name = "LUT budget {0}")
    @ValueSource(longs = {100, 40_000})
    void nothingFitsSaysWhatTheSmallestNeeds(long budget) {
        FoldingSearch.NothingFits e = assertThrows(FoldingSearch.NothingFits.class,
                () -> FoldingSearch.fastest(NET, 16, 16, Device.XC7Z020, FoldingSearch.within(budget, null)));
        assertTrue(e.getMessage().startsWith("even the smallest design needs ") && e.smallest().luts() > budget, e.getMessage());
    }
}
