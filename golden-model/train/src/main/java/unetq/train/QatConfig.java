package unetq.train;

import unetq.golden.QFormat;
import unetq.golden.UNetTopology;

/**
 * What to train: a topology and formats. {@code weights == null} trains the full-precision
 * baseline (no quantizer anywhere). The first conv and the head use Q0.8 weights (the paper keeps
 * them float; see docs/quantization.md, Deviations).
 */
public record QatConfig(UNetTopology topology, QFormat weights, QFormat activations) {
    public QatConfig {
        if ((weights == null) != (activations == null)) {
            throw new IllegalArgumentException("give both weight and activation formats, or neither (full precision)");
        }
    }

    public boolean quantized() {
        return weights != null;
    }

    public String describe() {
        return topology + (quantized() ? " W " + weights.paperName() + " A " + activations.paperName() : " full precision");
    }
}
