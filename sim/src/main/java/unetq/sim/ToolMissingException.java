package unetq.sim;

/** An external tool is not installed; the message names the package to install. */
public final class ToolMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ToolMissingException(Tool tool) {
        super(tool.installHint());
    }
}
