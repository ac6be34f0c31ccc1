package unetq.hw.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import unetq.golden.QuantizedUNet;
import unetq.golden.UNetTopology;
import unetq.hw.block.ConvLayer;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.MacForm;
import unetq.hw.cost.CostModel;
import unetq.hw.cost.Device;
import unetq.hw.cost.MemoryPlacement;
import unetq.hw.cost.Resources;
import unetq.hw.graph.Dataflow;
import unetq.hw.graph.UNetAccelerator;
import unetq.verilog.MemoryStyle;
import unetq.verilog.Structure;

/**
 * Folding to a device: for a frame time, the cheapest design that fits a budget, choosing per conv
 * layer its shape (PE x SIMD), where its products go (packed into DSPs or built from LUTs) and
 * where its requantizer's product goes, and for the whole design one memory placement
 * ({@link MemoryPlacement}: how many LUTs a block RAM is worth).
 *
 * <p>Each layer's variants are estimated once (the block's own modules, memories kept apart so that
 * any placement can be priced without rebuilding). The choice is Lagrangian: each layer takes the
 * variant of least weighted cost, the weights of the resources a design overflows grow until it
 * fits (block RAM and DSPs are the usual ones, and a layer then trades them for LUTs where that is
 * cheapest). This runs for a ladder of placements; the cheapest fitting design wins. The rest of
 * the design (adapters, pools, upsamplers, skip buffers) is priced from a design built with the
 * first choice and checked again on the final one.
 *
 * <p>{@link #fastest} bisects the frame times some layer reaches exactly: fitting is monotone in the
 * frame time up to the choice's small non-convexities, which the bisection accepts.
 */
public final class FoldingSearch {
    /** Share of a device's LUTs and flip-flops a design may fill: room for the estimate's error and for routing. */
    public static final double LOGIC_FILL = 0.9;
    /** Shapes per layer tried, the fewest multipliers first. */
    static final int SHAPES_PER_LAYER = 8;
    /** Memory placements tried: the device's balanced rate times 1.15^k (about a quarter to twelve times). */
    private static final int LADDER_LOW = -10;
    private static final int LADDER_HIGH = 18;

    /**
     * What a design may use: LUTs (logic + LUTRAM), flip-flops, RAMB18 and DSPs, and the device
     * whose costs apply (null: no device, 7-series costs, the synthesis tool places memories).
     */
    public record Budget(Device device, long luts, long ffs, long bram18, long dsps) {
        /** A device, its LUTs and flip-flops to {@link #LOGIC_FILL}. */
        public static Budget of(Device d) {
            Resources c = d.capacity();
            return new Budget(d, (long) (c.luts() * LOGIC_FILL), (long) (c.ffs() * LOGIC_FILL), c.bram18(), c.dsps());
        }

        /** No limit; 7-series costs. */
        public static Budget unlimited() {
            return new Budget(null, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
        }

        /** At most {@code n} LUTs (logic + LUTRAM). */
        public Budget withLuts(long n) {
            return new Budget(device, Math.min(luts, n), ffs, bram18, dsps);
        }

        public boolean fits(Resources r) {
            return r.luts() + r.lutram() <= luts && r.ffs() <= ffs && r.bram18() <= bram18 && r.dsps() <= dsps;
        }

        /** The largest fill over the four limits (above 1: over). */
        public double worstFill(Resources r) {
            double[] f = fills(r);
            return Math.max(Math.max(f[0], f[1]), Math.max(f[2], f[3]));
        }

        double[] fills(Resources r) {
            return new double[] {ratio(r.luts() + r.lutram(), luts), ratio(r.ffs(), ffs), ratio(r.bram18(), bram18),
                    ratio(r.dsps(), dsps)};
        }

        private static double ratio(long need, long have) {
            return have == Long.MAX_VALUE ? 0 : have == 0 ? (need == 0 ? 0 : Double.MAX_VALUE) : (double) need / have;
        }

        Device.Family family() {
            return device == null ? Device.Family.XC7 : device.family();
        }

        /** Resource scales for the cost: the device's capacity (the xc7z020's without a device). */
        Resources scale() {
            return (device == null ? Device.XC7Z020 : device).capacity();
        }

        @Override
        public String toString() {
            return (device == null ? "" : device.id() + ": ") + (luts == Long.MAX_VALUE ? "any" : luts) + " LUT, "
                    + (ffs == Long.MAX_VALUE ? "any" : ffs) + " FF, " + (bram18 == Long.MAX_VALUE ? "any" : bram18)
                    + " BRAM18, " + (dsps == Long.MAX_VALUE ? "any" : dsps) + " DSP";
        }
    }

    /** The chosen design: foldings, memory placement, its bound and its estimate. */
    public record Choice(Map<String, Folding> foldings, MemoryPlacement placement, long boundCyclesPerFrame, Resources estimate) {
    }

    /** Nothing fits; {@code closest} is the design nearest to fitting. */
    public static final class NothingFits extends RuntimeException {
        private final transient Choice closest;

        NothingFits(Choice closest, Budget budget) {
            super("even the closest design needs " + closest.estimate().luts() + " LUT + " + closest.estimate().lutram()
                    + " LUTRAM, " + closest.estimate().ffs() + " FF, " + closest.estimate().bram18() + " BRAM18, "
                    + closest.estimate().dsps() + " DSP (budget " + budget + ")");
            this.closest = closest;
        }

        public Choice closest() {
            return closest;
        }

        public Resources smallest() {
            return closest.estimate();
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

    /** The cheapest design within {@code target} cycles per frame that fits {@code budget} (or the closest to fitting). */
    public static Choice at(QuantizedUNet net, int height, int width, long target, Budget budget) {
        return new Search(net, height, width, budget).at(target);
    }

    /** The fastest design that fits {@code budget}; {@link NothingFits} with the closest when none does. */
    public static Choice fastest(QuantizedUNet net, int height, int width, Budget budget) {
        Search s = new Search(net, height, width, budget);
        long[] times = frameTimes(net, height, width);
        Choice slowest = s.at(times[times.length - 1]);
        if (!budget.fits(slowest.estimate())) {
            throw new NothingFits(slowest, budget);
        }
        int lo = 0;
        int hi = times.length - 1; // fits
        Choice best = slowest;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Choice c = s.at(times[mid]);
            if (budget.fits(c.estimate())) {
                hi = mid;
                best = c;
            } else {
                lo = mid + 1;
            }
        }
        return best;
    }

    /** One search: the variants estimated so far, by layer and folding. */
    private static final class Search {
        private final QuantizedUNet net;
        private final int height;
        private final int width;
        private final Budget budget;
        private final Map<String, Part> parts = new ConcurrentHashMap<>();

        Search(QuantizedUNet net, int height, int width, Budget budget) {
            this.net = net;
            this.height = height;
            this.width = width;
            this.budget = budget;
        }

        Choice at(long target) {
            Map<String, List<Folding>> variants = new LinkedHashMap<>();
            for (UNetTopology.ConvSpec s : net.topology().convs()) {
                List<Folding> shapes = UNetAccelerator.shapes(net, height, width, s.name(), target);
                if (shapes.isEmpty()) {
                    shapes = List.of(new Folding(s.out(), s.in()));
                }
                List<Folding> v = new ArrayList<>();
                for (Folding f : shapes.subList(0, Math.min(SHAPES_PER_LAYER, shapes.size()))) {
                    for (MacForm.Kind mac : new MacForm.Kind[] {MacForm.Kind.PACKED, MacForm.Kind.LUT}) {
                        v.add(f.withMac(mac));
                        v.add(f.withMac(mac).withRequantInLuts());
                    }
                }
                variants.put(s.name(), v);
            }
            variants.entrySet().parallelStream().forEach(e -> e.getValue().forEach(f -> part(e.getKey(), f)));

            List<MemoryPlacement> placements = new ArrayList<>();
            if (budget.device() == null || budget.family() == Device.Family.ICE40) {
                placements.add(MemoryPlacement.AUTO);
            } else {
                double base = MemoryPlacement.balanced(budget.device()).lutsPerBlock();
                for (int k = LADDER_LOW; k <= LADDER_HIGH; k++) {
                    placements.add(new MemoryPlacement(Math.rint(base * Math.pow(1.15, k))));
                }
            }
            Map<String, Folding> first = new LinkedHashMap<>();
            variants.forEach((layer, vs) -> first.put(layer, vs.get(0)));
            Solution best = best(variants, rest(first), placements);
            Choice c = build(best.foldings, best.placement);
            for (int retry = 0; retry < 2 && !budget.fits(c.estimate()) && best.fits; retry++) {
                // the rest of the design changed with the foldings: price it again and solve once more
                best = best(variants, rest(best.foldings), placements);
                c = build(best.foldings, best.placement);
            }
            return c;
        }

        private Solution best(Map<String, List<Folding>> variants, List<Part> rest, List<MemoryPlacement> placements) {
            return placements.parallelStream().map(p -> solve(variants, rest, p))
                    .reduce((a, b) -> b.better(a) ? b : a).orElseThrow();
        }

        private Choice build(Map<String, Folding> f, MemoryPlacement p) {
            UNetAccelerator acc = new UNetAccelerator("search", net, height, width, f, p);
            Resources r = budget.device() == null ? acc.resources(Device.Family.XC7) : budget.device().estimate(acc);
            return new Choice(f, p, acc.boundCyclesPerFrame(), r);
        }

        /** The design's blocks other than its convs, priced apart (they depend on the foldings only through their streams). */
        private List<Part> rest(Map<String, Folding> foldings) {
            UNetAccelerator acc = new UNetAccelerator("search", net, height, width, foldings);
            List<Part> r = new ArrayList<>();
            for (HardwareBlock b : acc.blocks()) {
                if (!(b instanceof ConvLayer)) {
                    r.add(Part.of(b, budget));
                }
            }
            return r;
        }

        private Part part(String layer, Folding f) {
            return parts.computeIfAbsent(layer + " " + f, k -> Part.of(Dataflow.convBlock("search", net, height, width, layer, f), budget));
        }

        private record Solution(Map<String, Folding> foldings, MemoryPlacement placement, Resources estimate, boolean fits,
                                double cost) {
            boolean better(Solution o) {
                return fits != o.fits ? fits : cost < o.cost;
            }
        }

        /**
         * Lagrangian first: the weights of overflowing resources grow until the sum of each layer's
         * cheapest variant fits. Then local moves (one layer's variant at a time): while over, the move
         * that most reduces the overflow; once within, the moves that make it cheaper and keep it within.
         */
        private Solution solve(Map<String, List<Folding>> variants, List<Part> rest, MemoryPlacement p) {
            Map<String, Map<Folding, Resources>> priced = new LinkedHashMap<>();
            variants.forEach((layer, vs) -> {
                Map<Folding, Resources> m = new LinkedHashMap<>();
                vs.forEach(v -> m.put(v, part(layer, v).at(p, budget)));
                priced.put(layer, m);
            });
            Resources fixed = Resources.NONE;
            for (Part r : rest) {
                fixed = fixed.plus(r.at(p, budget));
            }
            double[] lambda = {1, 1, 1, 1};
            Map<String, Folding> f = null;
            Map<String, Folding> closest = null;
            double closestOver = Double.MAX_VALUE;
            for (int it = 0; it < 20; it++) {
                f = choose(priced, lambda);
                Resources total = total(priced, f, fixed);
                double over = overflow(total);
                if (over < closestOver) {
                    closest = f;
                    closestOver = over;
                }
                if (over == 0) {
                    break;
                }
                double[] fill = budget.fills(total);
                for (int r = 0; r < 4; r++) {
                    if (fill[r] > 1) {
                        lambda[r] *= Math.min(4, 1.25 * fill[r]);
                    }
                }
            }
            f = new LinkedHashMap<>(closest);
            improve(priced, f, fixed, true);
            Resources total = total(priced, f, fixed);
            boolean fits = budget.fits(total);
            if (fits) {
                improve(priced, f, fixed, false);
                total = total(priced, f, fixed);
            }
            return new Solution(f, p, total, fits, fits ? cost(total, new double[] {1, 1, 1, 1}) : overflow(total));
        }

        /** Local moves: {@code repair} lowers the overflow; otherwise lower the cost without overflowing. */
        private void improve(Map<String, Map<Folding, Resources>> priced, Map<String, Folding> f, Resources fixed, boolean repair) {
            double[] one = {1, 1, 1, 1};
            Resources total = total(priced, f, fixed);
            for (int step = 0; step < 10_000; step++) {
                double over = overflow(total);
                double cost = cost(total, one);
                if (repair && over == 0) {
                    return;
                }
                String bestLayer = null;
                Folding bestVariant = null;
                Resources bestTotal = null;
                double bestOver = over;
                double bestCost = cost;
                for (Map.Entry<String, Map<Folding, Resources>> e : priced.entrySet()) {
                    Resources now = e.getValue().get(f.get(e.getKey()));
                    for (Map.Entry<Folding, Resources> v : e.getValue().entrySet()) {
                        Resources t = total.plus(v.getValue()).plus(now.times(-1));
                        double o = overflow(t);
                        double c = cost(t, one);
                        boolean better = repair ? o < bestOver - 1e-12 || (o < over && o == bestOver && c < bestCost)
                                : o == 0 && c < bestCost - 1e-12;
                        if (better) {
                            bestLayer = e.getKey();
                            bestVariant = v.getKey();
                            bestTotal = t;
                            bestOver = o;
                            bestCost = c;
                        }
                    }
                }
                if (bestLayer == null) {
                    return;
                }
                f.put(bestLayer, bestVariant);
                total = bestTotal;
            }
        }

        private static Resources total(Map<String, Map<Folding, Resources>> priced, Map<String, Folding> f, Resources fixed) {
            Resources t = fixed;
            for (Map.Entry<String, Folding> e : f.entrySet()) {
                t = t.plus(priced.get(e.getKey()).get(e.getValue()));
            }
            return t;
        }

        /** How far over the budget: the sum of the fills above 1. */
        private double overflow(Resources r) {
            double o = 0;
            for (double x : budget.fills(r)) {
                o += Math.max(0, x - 1);
            }
            return o;
        }

        private Map<String, Folding> choose(Map<String, Map<Folding, Resources>> priced, double[] lambda) {
            Map<String, Folding> f = new LinkedHashMap<>();
            priced.forEach((layer, vs) -> {
                Folding best = null;
                double bestCost = Double.MAX_VALUE;
                for (Map.Entry<Folding, Resources> v : vs.entrySet()) {
                    double c = cost(v.getValue(), lambda);
                    if (c < bestCost) {
                        bestCost = c;
                        best = v.getKey();
                    }
                }
                f.put(layer, best);
            });
            return f;
        }

        /** Weighted cost: each resource in units of the device's capacity. */
        private double cost(Resources r, double[] lambda) {
            Resources c = budget.scale();
            return lambda[0] * (r.luts() + r.lutram()) / c.luts() + lambda[1] * r.ffs() / c.ffs()
                    + lambda[2] * r.bram18() / Math.max(1, c.bram18()) + lambda[3] * r.dsps() / Math.max(1, c.dsps());
        }
    }

    /** A block's estimate with its memories kept apart, so that any placement prices them. */
    private record Part(Resources logic, List<Structure.MemoryUse> memories, Device.Family family) {
        static Part of(HardwareBlock b, Budget budget) {
            Device.Family fam = budget.family();
            Structure s = Structure.of(b.modules(), b.name());
            Resources logic = CostModel.nonMemory(b, s, fam);
            if (budget.device() != null && !budget.device().hasDsps() && logic.dsps() > 0) {
                // no DSP slices: the products are logic (Device.estimate)
                long luts = Math.round(b.dspProductBits(fam) * Device.ICE40_LUTS_PER_PRODUCT_BIT);
                logic = new Resources(logic.luts() + luts, logic.ffs(), 0, 0, 0);
            }
            return new Part(logic, s.memories(), fam);
        }

        Resources at(MemoryPlacement p, Budget budget) {
            Resources r = logic;
            for (Structure.MemoryUse m : memories) {
                MemoryStyle style = m.style() != MemoryStyle.AUTO ? m.style() : p.styleOf(m);
                r = r.plus(CostModel.memory(m, family, style));
            }
            return r;
        }
    }
}
