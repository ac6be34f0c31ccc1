package unetq.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/** Facts recorded with a trained model: the code's commit and the data's hash. */
final class Provenance {
    private Provenance() {
    }

    /** {@code git rev-parse --short HEAD} of the repository, with "+dirty" when it has changes; "unknown" without git. */
    static String commit() {
        String root = System.getProperty("unetq.root", ".");
        try {
            String head = run(root, "git", "rev-parse", "--short", "HEAD");
            String status = run(root, "git", "status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (status.isEmpty() ? "" : "+dirty");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String run(String dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(Path.of(dir).toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? out : "";
    }

    /** The first 16 hex digits of a file's SHA-256, or "unknown". */
    static String fileHash(Path file) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))
                    .substring(0, 16);
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** SHA-256 of the dataset's SHA256SUMS file (which lists every data file's hash), or "none". */
    static String dataHash(Path dataDir) {
        Path sums = dataDir.resolve("SHA256SUMS");
        if (!Files.isRegularFile(sums)) {
            return "none (no SHA256SUMS in " + dataDir + ")";
        }
        return fileHash(sums) + " of SHA256SUMS";
    }
}
