package unetq.hw.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.hw.block.MacForm;
import unetq.hw.cost.Device;
import unetq.hw.cost.Resources;
import unetq.hw.graph.UNetAccelerator;

/** The device search: what it returns fits, meets its frame time, and trades the scarce resource for the plentiful one. */
class FoldingSearchTest {
    private static final QuantizedUNet NET = QuantizedUNet.random(UNetTopology.preset("tiny"), QFormat.weights(4), QFormat.activations(6), 3);

    /** The estimate of the design the choice describes, built afresh. */
    private static Resources rebuilt(FoldingSearch.Choice c, Device d) {
        return d.estimate(new UNetAccelerator("check", NET, 32, 32, c.foldings(), c.placement()));
    }

    @ParameterizedTest(name = "device {0}")
    @ValueSource(strings = {"xc7z020", "xc7a35t", "xczu3eg", "ice40up5k"})
    void fastestFitsAndNoFitsFasterAmongTheFrameTimesTried(String id) {
        Device d = Device.byId(id);
        FoldingSearch.Budget b = FoldingSearch.Budget.of(d);
        FoldingSearch.Choice c;
        try {
            c = FoldingSearch.fastest(NET, 32, 32, b);
        } catch (FoldingSearch.NothingFits e) {
            assertTrue(!b.fits(e.closest().estimate()), "reported as not fitting but fits: " + e.getMessage());
            System.out.printf("%s: nothing fits (%s)%n", id, e.getMessage());
            return;
        }
        Resources r = rebuilt(c, d);
        assertEquals(c.estimate(), r, "the choice's estimate is the design's");
        assertTrue(b.fits(r), id + ": " + r + " over " + b);
        System.out.printf("%s: %d cycles/frame, %s, %s%n", id, c.boundCyclesPerFrame(), r, c.placement());
        // the next faster frame time does not fit (the bisection's claim, checked on its neighbour)
        long[] times = FoldingSearch.frameTimes(NET, 32, 32);
        int i = java.util.Arrays.binarySearch(times, c.boundCyclesPerFrame());
        if (i > 0) {
            FoldingSearch.Choice faster = FoldingSearch.at(NET, 32, 32, times[i - 1], b);
            assertTrue(!b.fits(faster.estimate()) || faster.boundCyclesPerFrame() >= c.boundCyclesPerFrame(),
                    "a faster design fits: " + faster.boundCyclesPerFrame() + " " + faster.estimate());
        }
    }

    @Test
    void aFrameTimeIsMetAndTheCheapestDesignTakesFewestResources() {
        long target = 40_000;
        FoldingSearch.Choice c = FoldingSearch.at(NET, 32, 32, target, FoldingSearch.Budget.unlimited());
        assertTrue(c.boundCyclesPerFrame() <= target, c.boundCyclesPerFrame() + " > " + target);
        // the fewest multipliers per layer meet it too, and cost no less
        Resources fewest = new UNetAccelerator("f", NET, 32, 32, UNetAccelerator.foldingsFor(NET, 32, 32, target)).resources(Device.Family.XC7);
        Resources unit = Device.XC7Z020.capacity();
        double cc = cost(c.estimate(), unit);
        double cf = cost(fewest, unit);
        assertTrue(cc <= cf * 1.02, "search " + c.estimate() + " (" + cc + ") vs fewest multipliers " + fewest + " (" + cf + ")");
    }

    private static double cost(Resources r, Resources unit) {
        return (double) (r.luts() + r.lutram()) / unit.luts() + (double) r.ffs() / unit.ffs() + (double) r.bram18() / unit.bram18()
                + (double) r.dsps() / unit.dsps();
    }

    @Test
    void withoutDspsEveryProductIsLogic() {
        FoldingSearch.Budget b = FoldingSearch.Budget.of(Device.XC7Z020);
        b = new FoldingSearch.Budget(b.device(), b.luts(), b.ffs(), b.bram18(), 0);
        FoldingSearch.Choice c = FoldingSearch.at(NET, 32, 32, 40_000, b);
        assertEquals(0, c.estimate().dsps(), c.toString());
        c.foldings().values().forEach(f -> assertTrue(f.mac() == MacForm.Kind.LUT && f.requantInLuts(), f.toString()));
    }

    @Test
    void scarceBlockRamMovesMemoriesIntoLuts() {
        FoldingSearch.Budget full = FoldingSearch.Budget.of(Device.XC7Z020);
        FoldingSearch.Choice free = FoldingSearch.at(NET, 64, 64, 200_000, full);
        long bram = free.estimate().bram18();
        assertTrue(bram > 2, "the test needs a design with block RAM: " + free.estimate());
        FoldingSearch.Budget tight = new FoldingSearch.Budget(full.device(), full.luts(), full.ffs(), bram / 2, full.dsps());
        FoldingSearch.Choice c = FoldingSearch.at(NET, 64, 64, 200_000, tight);
        assertTrue(c.estimate().bram18() <= bram / 2, c.estimate() + " vs " + bram / 2);
        assertTrue(c.estimate().luts() + c.estimate().lutram() > free.estimate().luts() + free.estimate().lutram(),
                "the block RAM saved is paid in LUTs");
    }

    @ParameterizedTest(name = "LUT budget {0}")
    @ValueSource(longs = {100, 1000})
    void nothingFitsSaysWhatTheClosestNeeds(long budget) {
        FoldingSearch.NothingFits e = assertThrows(FoldingSearch.NothingFits.class,
                () -> FoldingSearch.fastest(NET, 32, 32, FoldingSearch.Budget.of(Device.XC7Z020).withLuts(budget)));
        assertTrue(e.getMessage().startsWith("even the closest design needs ")
                && e.smallest().luts() + e.smallest().lutram() > budget, e.getMessage());
    }
}
