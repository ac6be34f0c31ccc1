package unetq.verilog;

/**
 * Where synthesis puts an inferred memory, as the attribute Yosys's {@code memory_libmap} and the
 * vendor tools read on the array's declaration. {@link #AUTO} writes no attribute: the tool decides.
 */
public enum MemoryStyle {
    AUTO(null, null),
    /** A RAM in block RAM (RAMB18/36, SB_RAM40_4K). */
    RAM_BLOCK("ram_style", "block"),
    /** A RAM in distributed RAM (7-series LUTRAM: RAM32M, RAM64M). */
    RAM_DISTRIBUTED("ram_style", "distributed"),
    /** A ROM in block RAM. */
    ROM_BLOCK("rom_style", "block"),
    /** A ROM in logic (LUTs and wide muxes). */
    ROM_LOGIC("rom_style", "logic");

    private final String key;
    private final String value;

    MemoryStyle(String key, String value) {
        this.key = key;
        this.value = value;
    }

    /** The Verilog attribute, {@code (* ram_style = "block" *)}; empty for {@link #AUTO}. */
    public String attribute() {
        return key == null ? "" : "(* " + key + " = \"" + value + "\" *)";
    }

    /** Whether the style takes block RAM. */
    public boolean blockRam() {
        return this == RAM_BLOCK || this == ROM_BLOCK;
    }
}
