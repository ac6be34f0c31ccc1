package unetq.cli;

import unetq.hw.cost.Device;

/** The one {@code --device} default of every command, and its parsing into a usage error. */
final class Devices {
    /** The PYNQ-Z2's Zynq-7020: the board most users own. */
    static final String DEFAULT = "xc7z020";
    /** For help texts (a compile-time constant, as annotations need). */
    static final String LIST = "xc7z020, xc7a35t, xc7a100t, xczu3eg, xcu250, ice40up5k, ice40hx8k";

    private Devices() {
    }

    static Device byId(String id) {
        try {
            return Device.byId(id);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--device: " + e.getMessage());
        }
    }
}
