package unetq.sim;

/** The design produced no output for the watchdog's number of cycles: a deadlock or a starved pipeline. */
public final class LivenessException extends SimulationException {
    private static final long serialVersionUID = 1L;

    public LivenessException(String message) {
        super(message);
    }
}
