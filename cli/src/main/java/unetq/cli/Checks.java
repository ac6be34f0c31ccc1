package unetq.cli;

/**
 * Checks of options before any work: numbers in range, and output paths claimed (one line naming the
 * option and what it accepts).
 */
final class Checks {
    private Checks() {
    }

    /** Claims an output file (new, or replaced with --force); a path that cannot be written is a usage error. */
    static unetq.files.OutputFile outputFile(java.nio.file.Path file, boolean force, String flag) {
        try {
            return unetq.files.OutputFile.claim(file, force, flag);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** Claims an output folder (new or empty, or one unetq wrote with --force); else a usage error. */
    static unetq.files.OutputFolder outputFolder(java.nio.file.Path dir, boolean force, String flag) {
        try {
            return unetq.files.OutputFolder.claim(dir, force, flag);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** A finite number in [lo, hi] (bounds inclusive unless named open). */
    static double range(String flag, double v, double lo, boolean loOpen, double hi, boolean hiOpen) {
        boolean ok = Double.isFinite(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
        if (!ok) {
            throw new UsageError(flag + " must be a number in " + (loOpen ? "(" : "[") + fmt(lo) + ", " + fmt(hi)
                    + (hiOpen ? ")" : "]") + ", got " + fmt(v));
        }
        return v;
    }

    /** A finite number above 0 and at most {@code max}. */
    static double positive(String flag, double v, double max) {
        if (!(Double.isFinite(v) && v > 0 && v <= max)) {
            throw new UsageError(flag + " must be a number above 0 and at most " + fmt(max) + ", got " + fmt(v));
        }
        return v;
    }

    /** A finite number above 0. */
    static double positive(String flag, double v) {
        if (!(Double.isFinite(v) && v > 0)) {
            throw new UsageError(flag + " must be a finite number above 0, got " + fmt(v));
        }
        return v;
    }

    /** An integer in [lo, hi]. */
    static long range(String flag, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new UsageError(flag + " must be between " + lo + " and " + hi + ", got " + v);
        }
        return v;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A path as a command line in a document shows it: relative to the repository when inside it. */
    static java.nio.file.Path shown(java.nio.file.Path p) {
        java.nio.file.Path root = java.nio.file.Path.of(System.getProperty("unetq.root", ".")).toAbsolutePath().normalize();
        java.nio.file.Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs) : p;
    }
}
