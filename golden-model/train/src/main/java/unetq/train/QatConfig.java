package unetq.train;

import unetq.golden.QFormat;
import unetq.golden.UNetTopology;

/**
 * What to train: a topology and formats. {@code weights == null} trains the full-precision
 * baseline (no quantizer anywhere). The first conv and the head use Q0.8 weights (the paper keeps
 * them float; see docs/quantization.md, Deviations). {@code learnedSteps} gives each activation a
 * learned step (docs/quantization.md, "Learned activation steps"); without it activations sit on the
 * paper's fixed grid.
 */
public record QatConfig(UNetTopology topology, QFormat weights, QFormat activations, boolean learnedSteps) {
    public QatConfig {
        if ((weights == null) != (activations == null)) {
            throw new IllegalArgumentException("give both weight and activation formats, or neither (full precision)");
        }
        if (learnedSteps && weights == null) {
            throw new IllegalArgumentException("learned activation steps need a quantized network");
        }
    }

    /** The paper's fixed activation grid. */
    public QatConfig(UNetTopology topology, QFormat weights, QFormat activations) {
        this(topology, weights, activations, false);
    }

    public boolean quantized() {
        return weights != null;
    }

    public String describe() {
        return topology + (quantized() ? " W " + weights.paperName() + " A " + activations.paperName()
                + (learnedSteps ? " (learned steps)" : "") : " full precision");
    }
}
