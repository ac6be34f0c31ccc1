package unetq.hw.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import unetq.hw.block.ConvLayer;
import unetq.hw.block.Memory;
import unetq.hw.graph.UNetAccelerator;
import unetq.hw.schedule.Folding;

/** The cost model's rules that come from Yosys's own parameters (the sweep checks the rest against synthesis). */
class CostModelTest {
    @Test
    void dspsFollowMul2dspCuts() {
        // 7-series: at least 9 result bits; 25 x 18 pieces
        assertEquals(0, CostModel.dspsPerProduct(4, 4, Device.Family.XC7));
        assertEquals(1, CostModel.dspsPerProduct(5, 4, Device.Family.XC7));
        assertEquals(2, CostModel.dspsPerProduct(26, 9, Device.Family.XC7));
        // iCE40: at least 11 result bits; 16 x 16 pieces, a last piece under 2 bits stays in LUTs
        assertEquals(0, CostModel.dspsPerProduct(5, 5, Device.Family.ICE40));
        assertEquals(1, CostModel.dspsPerProduct(6, 5, Device.Family.ICE40));
        assertEquals(1, CostModel.dspsPerProduct(17, 9, Device.Family.ICE40)); // measured: the 17 x 9 requantizer
        assertEquals(2, CostModel.dspsPerProduct(18, 9, Device.Family.ICE40));
        assertEquals(4, CostModel.dspsPerProduct(20, 20, Device.Family.ICE40));
        assertEquals(0, CostModel.dspsPerProduct(1, 16, Device.Family.ICE40));
    }

    @Test
    void ice40MemoriesTakeBlockRamOnlyWhenCheaperThanFlipFlops() {
        // measured with synth_ice40: 16 x 4 in flip-flops, 16 x 5 in one SB_RAM40_4K, 4 x 32 in flip-flops
        assertEquals(new Resources(64, 64, 0, 0, 0), MemoryMapping.of(new Memory("m", 16, 4), Device.Family.ICE40));
        assertEquals(new Resources(0, 0, 1, 0, 0), MemoryMapping.of(new Memory("m", 16, 5), Device.Family.ICE40));
        assertEquals(new Resources(128, 128, 0, 0, 0), MemoryMapping.of(new Memory("m", 4, 32), Device.Family.ICE40));
        assertEquals(new Resources(0, 0, 1, 0, 0), MemoryMapping.of(new Memory("m", 8, 16), Device.Family.ICE40));
    }

    @Test
    void deepMemoriesPackTheirBanksSideBySide() {
        // memory_libmap on the tiny W2A4 network: a 1245 x 40 skip FIFO in two RAMB36, a 1536 x 24 ROM in one
        assertEquals(new Resources(0, 0, 4, 0, 0), MemoryMapping.of(new Memory("fifo", 1245, 40), Device.Family.XC7));
        assertEquals(new Resources(0, 0, 2, 0, 0), MemoryMapping.blockRam(new Memory("rom", 1536, 24), Device.Family.XC7));
        assertEquals(Long.MAX_VALUE, MemoryMapping.banksSideBySide(new Memory("m", 512, 40), false)); // one bank
    }

    @Test
    void aDeviceWithoutDspsBuildsProductsFromLuts() {
        ConvLayer r = new ConvLayer("cm_conv", unetq.golden.RandomLayers.conv(new java.util.Random(1), "cm", 4, 4, 3,
                unetq.golden.QFormat.weights(4), unetq.golden.QFormat.activations(6), unetq.golden.QFormat.activations(6), true),
                8, 16, new Folding(1, 4));
        Resources withDsp = Device.ICE40UP5K.estimate(r);
        Resources without = Device.ICE40HX8K.estimate(r);
        assertEquals(5, withDsp.dsps()); // 4 products of 7 x 6 bits (13 >= 11) and the requantizer's
        assertEquals(0, without.dsps());
        assertEquals(withDsp.luts() + Math.round(r.dspProductBits(Device.Family.ICE40) * Device.ICE40_LUTS_PER_PRODUCT_BIT),
                without.luts());
    }
}
