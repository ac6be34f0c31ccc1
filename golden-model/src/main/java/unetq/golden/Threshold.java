package unetq.golden;

/**
 * The output threshold {@code sigmoid(logit) >= t} as an integer compare on the logit code:
 * sigmoid is monotonic, so it is {@code logit >= ln(t / (1 - t))}, and for a code with f fraction
 * bits that is {@code code >= ceil(ln(t / (1 - t)) * 2^f)}. The paper thresholds at t = 0.999
 * (logit 6.9068); t = 0.5 is logit 0.
 */
public final class Threshold {
    private final double probability;
    private final int logitFracBits;
    private final long minCode;

    public Threshold(double probability, int logitFracBits) {
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException("threshold must lie strictly between 0 and 1, got " + probability);
        }
        if (logitFracBits < 0 || logitFracBits > 40) {
            throw new IllegalArgumentException("logit fraction bits must be 0..40, got " + logitFracBits);
        }
        this.probability = probability;
        this.logitFracBits = logitFracBits;
        double logit = Math.log(probability / (1 - probability));
        this.minCode = (long) Math.ceil(Math.scalb(logit, logitFracBits));
    }

    public double probability() {
        return probability;
    }

    public int logitFracBits() {
        return logitFracBits;
    }

    /** Smallest logit code that counts as foreground. */
    public long minCode() {
        return minCode;
    }

    public boolean isForeground(long logitCode) {
        return logitCode >= minCode;
    }

    /** One bit per pixel of channel 0. */
    public boolean[][] mask(IntTensor logits) {
        boolean[][] m = new boolean[logits.height()][logits.width()];
        for (int y = 0; y < logits.height(); y++) {
            for (int x = 0; x < logits.width(); x++) {
                m[y][x] = isForeground(logits.get(0, y, x));
            }
        }
        return m;
    }
}
