package unetq.cli;

import picocli.CommandLine.Option;
import unetq.golden.QFormat;

/**
 * The paper's bit-width options: {@code --wbits W --abits A} (formats Q0.W and QA.0) or the long
 * form {@code --weights Qi.f --activations Qi.f}.
 */
final class BitOptions {
    static final int MIN_BITS = 2;
    static final int MAX_BITS = 8;

    @Option(names = "--wbits", paramLabel = "W", description = "Weight bits, 2..8: the paper's Q0.W format.")
    Integer wbits;

    @Option(names = "--abits", paramLabel = "A", description = "Activation bits, 2..8: the paper's QA.0 format.")
    Integer abits;

    @Option(names = "--weights", paramLabel = "Qi.f", description = "Weight format, long form (e.g. Q0.4).")
    String weights;

    @Option(names = "--activations", paramLabel = "Qi.f", description = "Activation format, long form (e.g. Q6.0).")
    String activations;

    QFormat weightFormat() {
        return format("weights", wbits, weights, true);
    }

    QFormat activationFormat() {
        return format("activations", abits, activations, false);
    }

    private static QFormat format(String what, Integer bits, String longForm, boolean weight) {
        String flag = weight ? "--wbits" : "--abits";
        String longFlag = weight ? "--weights" : "--activations";
        if (bits != null && longForm != null) {
            throw new UsageError("give " + flag + " or " + longFlag + ", not both");
        }
        if (bits == null && longForm == null) {
            throw new UsageError("missing " + flag + " (or " + longFlag + ")");
        }
        if (bits != null) {
            if (bits < MIN_BITS || bits > MAX_BITS) {
                throw new UsageError(flag + " must be between " + MIN_BITS + " and " + MAX_BITS + ", got " + bits);
            }
            return weight ? QFormat.weights(bits) : QFormat.activations(bits);
        }
        QFormat f;
        try {
            f = QFormat.parse(longForm);
        } catch (IllegalArgumentException e) {
            throw new UsageError(longFlag + ": " + e.getMessage());
        }
        if (f.intBits() + f.fracBits() > 16) {
            throw new UsageError(longFlag + " " + longForm + " has more than 16 bits");
        }
        return f;
    }
}
