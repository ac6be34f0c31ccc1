package unetq.hw.design;

/** The generator version written into every design it makes. */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {
    }
}
