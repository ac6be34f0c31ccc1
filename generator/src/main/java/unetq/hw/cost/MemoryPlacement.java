package unetq.hw.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import unetq.hw.block.HardwareBlock;
import unetq.hw.block.Memory;
import unetq.verilog.MemoryStyle;
import unetq.verilog.Module;
import unetq.verilog.Structure;

/**
 * Where each memory of a design goes, written into the RTL as {@code ram_style}/{@code rom_style}
 * attributes so that synthesis and the estimate agree (FINN sets {@code ram_style} per node). One
 * exchange rate decides for every memory on 7-series: a block-RAM slice is worth
 * {@code lutsPerBlock} LUTs, and a memory goes to LUTs (distributed RAM, or a ROM in logic) when
 * that costs no more than its block RAM at this rate. The device fitter moves the rate: up when
 * block RAM runs out (more memories in LUTs), down when LUTs do. {@link #AUTO} writes no
 * attribute and leaves the choice to the synthesis tool (and the cost model mimics Yosys's).
 *
 * @param lutsPerBlock LUTs one RAMB18 is worth; NaN for {@link #AUTO}
 */
public record MemoryPlacement(double lutsPerBlock) {
    /** No attributes: Yosys decides. */
    public static final MemoryPlacement AUTO = new MemoryPlacement(Double.NaN);

    public MemoryPlacement {
        if (!Double.isNaN(lutsPerBlock) && (lutsPerBlock < 0 || Double.isInfinite(lutsPerBlock))) {
            throw new IllegalArgumentException("LUTs per block RAM must be finite and >= 0, got " + lutsPerBlock);
        }
    }

    /** The device's own ratio: its LUTs per RAMB18 (190 on the xc7z020); AUTO on iCE40 (no distributed RAM). */
    public static MemoryPlacement balanced(Device device) {
        if (device.family() == Device.Family.ICE40) {
            return AUTO;
        }
        return new MemoryPlacement(Math.rint((double) device.capacity().luts() / device.capacity().bram18()));
    }

    public boolean isAuto() {
        return Double.isNaN(lutsPerBlock);
    }

    /** The style of one memory: LUTs when they cost no more than its block RAM at the rate. */
    public MemoryStyle styleOf(Structure.MemoryUse m) {
        if (isAuto()) {
            return MemoryStyle.AUTO;
        }
        Memory mem = new Memory(m.name(), m.depth(), m.width());
        if (m.rom()) {
            long luts = CostModel.romLogicLuts(m.depth(), m.width());
            long blocks = MemoryMapping.blockRam(mem, Device.Family.XC7).bram18();
            return luts <= lutsPerBlock * blocks ? MemoryStyle.ROM_LOGIC : MemoryStyle.ROM_BLOCK;
        }
        Resources lut = m.oneAddress() ? MemoryMapping.oneAddress(mem, Device.Family.XC7) : MemoryMapping.distributed(mem);
        long blocks = MemoryMapping.ramBlock(mem, Device.Family.XC7).bram18();
        return lut.luts() + lut.lutram() <= lutsPerBlock * blocks ? MemoryStyle.RAM_DISTRIBUTED : MemoryStyle.RAM_BLOCK;
    }

    /** The modules with every memory's style set (unchanged for AUTO). */
    public List<Module> apply(List<Module> modules) {
        if (isAuto()) {
            return modules;
        }
        List<Module> out = new ArrayList<>(modules.size());
        for (Module m : modules) {
            Map<String, MemoryStyle> styles = new HashMap<>();
            for (Structure.MemoryUse u : Structure.memoriesOf(m)) {
                styles.put(u.name(), styleOf(u));
            }
            out.add(m.withMemoryStyles(styles));
        }
        return out;
    }

    /** {@code block} with its memories placed: its modules carry the styles, so its estimate counts them. */
    public HardwareBlock place(HardwareBlock block) {
        return isAuto() ? block : new Placed(block, this);
    }

    @Override
    public String toString() {
        return isAuto() ? "auto" : "a RAMB18 is worth " + Math.round(lutsPerBlock) + " LUTs";
    }

    /** A block whose memories carry the placement's styles; everything else is the block's. */
    private record Placed(HardwareBlock inner, MemoryPlacement placement) implements HardwareBlock {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<Module> modules() {
            return placement.apply(inner.modules());
        }

        @Override
        public Map<String, String> memoryFiles() {
            return inner.memoryFiles();
        }

        @Override
        public List<Memory> memories() {
            return inner.memories();
        }

        @Override
        public long multipliers() {
            return inner.multipliers();
        }

        @Override
        public long logicLuts() {
            return inner.logicLuts();
        }

        @Override
        public double ice40LogicLuts() {
            return inner.ice40LogicLuts();
        }

        @Override
        public long dsps(Device.Family family) {
            return inner.dsps(family);
        }

        @Override
        public long dspProductBits(Device.Family family) {
            return inner.dspProductBits(family);
        }

        @Override
        public long redundantRegisterBits() {
            return inner.redundantRegisterBits();
        }

        @Override
        public long cyclesPerOutput() {
            return inner.cyclesPerOutput();
        }
    }
}
