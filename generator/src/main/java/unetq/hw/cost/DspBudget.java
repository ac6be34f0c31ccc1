package unetq.hw.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import unetq.golden.QuantizedUNet;
import unetq.hw.block.ConvLayer;
import unetq.hw.graph.UNetAccelerator;
import unetq.hw.schedule.Folding;

/**
 * Which requantizers build their BatchNorm product from LUTs so that a design's DSPs fit a device.
 * None when they fit. Otherwise layers move one at a time, the narrowest product first (the fewest
 * LUTs per DSP freed), until the DSPs fit or every requantizer is in LUTs; the MAC arrays keep
 * theirs. A requantizer takes one product per PE lane, so on a small device (the iCE40 UP5K's 8
 * SB_MAC16) they are what overflows first: every conv layer has one.
 */
public final class DspBudget {
    private DspBudget() {
    }

    /** {@code foldings} with requantizer products moved to LUTs as far as needed for {@code device}. */
    public static Map<String, Folding> fit(QuantizedUNet net, int height, int width, Map<String, Folding> foldings,
                                           Device device) {
        if (!device.hasDsps()) {
            return foldings; // no DSPs at all: every product is logic already (Device.estimate)
        }
        UNetAccelerator acc = new UNetAccelerator("budget", net, height, width, foldings);
        long need = acc.dsps(device.family());
        long have = device.capacity().dsps();
        if (need <= have) {
            return foldings;
        }
        List<Map.Entry<String, ConvLayer>> movable = new ArrayList<>();
        acc.convBlocks().forEach((name, c) -> {
            if (!c.folding().requantInLuts() && c.requantProductDsps(device.family()) > 0) {
                movable.add(Map.entry(name, c));
            }
        });
        movable.sort(Comparator.comparingLong((Map.Entry<String, ConvLayer> e) -> e.getValue().requantProductBits())
                .thenComparing(Map.Entry::getKey));
        Map<String, Folding> f = new TreeMap<>(foldings);
        for (Map.Entry<String, ConvLayer> e : movable) {
            if (need <= have) {
                break;
            }
            f.put(e.getKey(), f.get(e.getKey()).withRequantInLuts());
            need -= e.getValue().requantProductDsps(device.family());
        }
        return f;
    }
}
