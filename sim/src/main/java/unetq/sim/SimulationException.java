package unetq.sim;

/** A simulation or build failed; the message says which and why in its first line. */
public class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationException(String message) {
        super(message);
    }
}
