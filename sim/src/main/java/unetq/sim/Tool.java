package unetq.sim;

/** The external EDA tools unetq runs, with the Debian package each comes from. */
public enum Tool {
    VERILATOR("verilator", "verilator", "--version"),
    YOSYS("yosys", "yosys", "-V"),
    IVERILOG("iverilog", "iverilog", "-V"),
    NEXTPNR_ICE40("nextpnr-ice40", "nextpnr-ice40", "--version"),
    ICEPACK("icepack", "fpga-icestorm", null),
    CCACHE("ccache", "ccache", "--version"),
    /** Runs the generated Vivado script with Vivado's commands stubbed, in the integration tests. */
    TCLSH("tclsh", "tcl", null),
    /** Headless Chromium renders the HTML reports in the integration tests. */
    CHROMIUM("chromium", "chromium", "--version");

    private final String command;
    private final String debianPackage;
    private final String versionFlag;

    Tool(String command, String debianPackage, String versionFlag) {
        this.command = command;
        this.debianPackage = debianPackage;
        this.versionFlag = versionFlag;
    }

    public String command() {
        return command;
    }

    public String debianPackage() {
        return debianPackage;
    }

    String versionFlag() {
        return versionFlag;
    }

    /** The one line a user sees when the tool is missing. */
    public String installHint() {
        return command + " not found on PATH: install it with `apt-get install -y " + debianPackage + "`";
    }
}
