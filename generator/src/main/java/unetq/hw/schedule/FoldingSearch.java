package unetq.hw.schedule;

import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.hw.cost.Device;
import unetq.hw.cost.DspBudget;
import unetq.hw.cost.Resources;
import unetq.hw.graph.UNetAccelerator;

/**
 * Folding to a budget: the fastest design whose estimate fits. The candidates are the cheapest
 * foldings ({@link UNetAccelerator#foldingsFor}) for every frame time some layer can reach exactly,
 * tried from the fastest down; the first that fits wins. Resources are not monotone in the frame
 * time (a half-folded layer pays for a wide activation select that a fully parallel one does not
 * need, but puts its products in DSPs), so no bisection: every candidate up to the answer is
 * estimated.
 */
public final class FoldingSearch {
    /** The chosen design. */
    public record Choice(Map<String, Folding> foldings, long boundCyclesPerFrame, Resources estimate) {
    }

    /** Nothing fits; {@code smallest} is what the candidate with the fewest LUTs needs. */
    public static final class NothingFits extends RuntimeException {
        private final transient Resources smallest;

        NothingFits(Resources smallest) {
            super("even the smallest design needs " + smallest.luts() + " LUT + " + smallest.lutram() + " LUTRAM, "
                    + smallest.ffs() + " FF, " + smallest.bram18() + " BRAM18, " + smallest.dsps() + " DSP");
            this.smallest = smallest;
        }

        public Resources smallest() {
            return smallest;
        }
    }

    private FoldingSearch() {
    }

    /** Every frame time (cycles) a layer reaches exactly at some folding, ascending. */
    public static long[] frameTimes(QuantizedUNet net, int height, int width) {
        TreeSet<Long> t = new TreeSet<>();
        for (UNetTopology.ConvSpec s : net.topology().convs()) {
            int l = net.graph().node(s.name()).level();
            long pixels = (long) (height >> l) * (width >> l);
            for (int pe = 1; pe <= s.out(); pe++) {
                if (s.out() % pe != 0) {
                    continue;
                }
                for (int simd = 1; simd <= s.in(); simd++) {
                    if (s.in() % simd == 0) {
                        t.add(pixels * new Folding(pe, simd).cyclesPerPixel(s.out(), s.in()));
                    }
                }
            }
        }
        return t.stream().mapToLong(Long::longValue).toArray();
    }

    /** The design for a frame-time target and its estimate on {@code device}. */
    public static Choice at(QuantizedUNet net, int height, int width, long target, Device device) {
        Map<String, Folding> f = DspBudget.fit(net, height, width, UNetAccelerator.foldingsFor(net, height, width, target), device);
        UNetAccelerator acc = new UNetAccelerator("search", net, height, width, f);
        return new Choice(f, acc.boundCyclesPerFrame(), device.estimate(acc));
    }

    /**
     * The fastest candidate whose estimate satisfies {@code fits}; when none does, throws
     * {@link NothingFits} with the candidate of fewest LUTs (not always the slowest: a slow folding
     * keeps shallow weight ROMs in logic).
     */
    public static Choice fastest(QuantizedUNet net, int height, int width, Device device, Predicate<Resources> fits) {
        return fastest(net, height, width, device, fits, r -> r.luts() + r.lutram());
    }

    /** As above; when nothing fits, the candidate reported is the one of lowest {@code closeness}. */
    public static Choice fastest(QuantizedUNet net, int height, int width, Device device, Predicate<Resources> fits,
                                 java.util.function.ToDoubleFunction<Resources> closeness) {
        Choice closest = null;
        for (long t : frameTimes(net, height, width)) {
            Choice c = at(net, height, width, t, device);
            if (fits.test(c.estimate())) {
                return c;
            }
            if (closest == null || closeness.applyAsDouble(c.estimate()) < closeness.applyAsDouble(closest.estimate())) {
                closest = c;
            }
        }
        throw new NothingFits(closest.estimate());
    }


    /** Fits a LUT budget (logic + LUTRAM) and, when given, a device's capacity. */
    public static Predicate<Resources> within(long lutBudget, Device device) {
        return r -> r.luts() + r.lutram() <= lutBudget && (device == null || device.fits(r));
    }
}
