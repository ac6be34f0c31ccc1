package unetq.train;

import ai.djl.ndarray.NDArray;
import unetq.golden.QFormat;

/**
 * The contract's quantizer on float tensors, for quantization-aware training. Values stay real
 * (code * 2^-f); {@link #ste} passes gradients straight through, as the paper's {@code FixedNN}.
 * PyTorch's {@code round} is half-to-even and scaling by 2^f is exact in float32, so these give the
 * same codes as {@link QFormat#quantize} on the same float values.
 */
public final class FakeQuant {
    private FakeQuant() {
    }

    /** sign(x) * min(floor|x|, 2^i - 1) for f = 0; sign(x) * min(rint(|x| 2^f), 2^(i+f)) / 2^f for f &gt; 0. */
    public static NDArray quantize(NDArray x, QFormat f) {
        NDArray mag = x.abs();
        NDArray q;
        if (f.fracBits() == 0) {
            q = mag.floor().minimum(f.maxCode());
        } else {
            float scale = (float) Math.scalb(1.0, f.fracBits());
            q = mag.mul(scale).round().minimum(f.maxCode()).div(scale);
        }
        return q.mul(x.sign());
    }

    /** Straight-through estimator: forward = quantize(x), backward = identity. */
    public static NDArray ste(NDArray x, QFormat f) {
        return x.add(quantize(x, f).sub(x).stopGradient());
    }

    /** Rounds to the grid 2^-fracBits (half to even) with a straight-through gradient: biases at the accumulator scale. */
    public static NDArray steGrid(NDArray x, int fracBits) {
        float scale = (float) Math.scalb(1.0, fracBits);
        return x.add(x.mul(scale).round().div(scale).sub(x).stopGradient());
    }
}
