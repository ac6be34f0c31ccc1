package unetq.hw.block;

import java.util.List;
import java.util.Map;
import unetq.verilog.Module;
import unetq.hw.cost.CostModel;
import unetq.hw.cost.Device;
import unetq.hw.cost.Resources;

/**
 * One hardware block, FINN custom-op style: it emits its RTL, names the memory files its ROMs load,
 * and states its cycle cost. Every block streams with valid/ready at both ends.
 */
public interface HardwareBlock {
    /** Name of the top module of this block. */
    String name();

    /** The block's modules, submodules first, top module last. */
    List<Module> modules();

    /** Contents of the .memh files the block's ROMs read, by file name (sorted); none by default. */
    default Map<String, String> memoryFiles() {
        return Map.of();
    }

    /** The memories the block infers (line buffers, ROMs, FIFOs); none by default. */
    default List<Memory> memories() {
        return List.of();
    }

    /** Multipliers the block instantiates (operand products per cycle); none by default. */
    default long multipliers() {
        return 0;
    }

    /** LUTs of the block's logic (memories and ROMs not included), by the block's fitted formula; 7-series LUT6. */
    default long logicLuts() {
        return 0;
    }

    /**
     * LUT4s of the block's logic on iCE40: the 7-series formula times {@link CostModel#ICE40_LUT_FACTOR},
     * unless the block knows better (products and adders built from LUTs take one LUT per bit on both).
     */
    default double ice40LogicLuts() {
        return CostModel.ICE40_LUT_FACTOR * logicLuts();
    }

    /** DSP slices the block's products take on the family. */
    default long dsps(Device.Family family) {
        return 0;
    }

    /**
     * Sum of a·b over the a x b products that take DSP slices on the family: what a device without
     * DSPs ({@link Device#estimate}) builds from LUTs instead.
     */
    default long dspProductBits(Device.Family family) {
        return 0;
    }

    /** Register bits synthesis merges or drops (constant or copied bits), not flip-flops in the end. */
    default long redundantRegisterBits() {
        return 0;
    }

    /** The block's estimated resources on the family ({@link CostModel}). */
    default Resources resources(Device.Family family) {
        return CostModel.estimate(this, family);
    }

    /** Clock cycles between consecutive outputs once the pipeline is full; one by default. */
    default long cyclesPerOutput() {
        return 1;
    }
}
