package unetq.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium: a page as a reader's browser builds it, scripts run and images loaded. */
public final class Browser {
    private Browser() {
    }

    /**
     * The DOM of {@code page} after its load event (chromium --headless --dump-dom). Chromium's sandbox
     * needs user namespaces, which containers and CI runners as root often lack, so it is off: the
     * pages are unetq's own files.
     */
    public static String dom(Path page) {
        Path exe = Tools.require(Tool.CHROMIUM);
        List<String> cmd = List.of(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                "--virtual-time-budget=10000", "--dump-dom", page.toAbsolutePath().toUri().toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new SimulationException("chromium timed out rendering " + page);
            }
            if (p.exitValue() != 0 || dom.isBlank()) {
                throw new SimulationException("chromium could not render " + page + " (exit " + p.exitValue() + ")");
            }
            return dom;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run chromium: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while rendering " + page);
        }
    }
}
