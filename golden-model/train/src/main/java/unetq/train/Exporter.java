package unetq.train;

import java.util.ArrayList;
import java.util.List;
import unetq.golden.ConvLayer;
import unetq.golden.ConvWeights;
import unetq.golden.QFormat;
import unetq.golden.QuantizedUNet;
import unetq.golden.Requantizer;
import unetq.golden.UNetTopology;

/**
 * Turns a trained QAT network into the integer model of the contract: weight codes by the same
 * quantizer, biases at the accumulator scale, and each BatchNorm (eval mode) as
 * {@code t = r * mult + offset} with a per-layer shift chosen so the largest |mult| has 16 bits.
 */
public final class Exporter {
    static final int MULT_BITS = 24;
    /** The requantizer's largest shift ({@code Requantizer}). */
    static final int MAX_SHIFT = 40;

    private Exporter() {
    }

    public static QuantizedUNet export(QatNetwork net, double threshold) {
        QatConfig cfg = net.config();
        if (!cfg.quantized()) {
            throw new IllegalArgumentException("a full-precision network has no integer form: train with --wbits/--abits");
        }
        List<ConvLayer> layers = new ArrayList<>();
        for (QatNetwork.Conv c : net.convs()) {
            UNetTopology.ConvSpec s = c.spec;
            QFormat wf = net.weightFormat(s);
            QFormat in = net.inputFormat(s);
            float[] w = c.weight.toFloatArray();
            long[] codes = new long[w.length];
            for (int i = 0; i < w.length; i++) {
                codes[i] = wf.quantize(w[i]);
            }
            int accFrac = in.fracBits() + wf.fracBits();
            double inStep = net.inputStep(s); // 1 on the paper's fixed grid
            float[] b = c.bias.toFloatArray();
            long[] bias = new long[b.length];
            for (int i = 0; i < b.length; i++) {
                bias[i] = (long) Math.rint((double) b[i] / inStep * Math.scalb(1.0, accFrac));
            }
            ConvWeights weights = new ConvWeights(s.out(), s.in(), 3, codes);
            Requantizer rq = c.isHead() ? head(bias, accFrac, inStep)
                    : batchNorm(c, bias, accFrac, cfg.activations(), weights, wf, in, inStep, net.outputStep(s));
            layers.add(new ConvLayer(s.name(), weights, wf, in, rq));
        }
        return new QuantizedUNet(cfg.topology(), cfg.activations(), layers, threshold);
    }

    /**
     * The head's accumulator has in.f + 8 fraction bits; logits keep 8 (Q7.8), rounded half to even. On
     * the fixed grid that is a shift alone (mult 1); a learned input step becomes a 24-bit multiplier.
     */
    private static Requantizer head(long[] bias, int accFrac, double inStep) {
        int drop = accFrac - QuantizedUNet.LOGIT_FORMAT.fracBits();
        if (inStep == 1) {
            return new Requantizer(bias, new long[] {1}, new long[] {0}, drop, false, QuantizedUNet.LOGIT_FORMAT);
        }
        // a small step (a fine Q8.8 grid) would ask for more shift than the requantizer has: keep fewer multiplier bits
        int extra = Math.min(MULT_BITS - 1 - (int) Math.floor(Math.log(inStep) / Math.log(2)) - 1, MAX_SHIFT - drop);
        long mult = Math.round(inStep * Math.scalb(1.0, extra));
        return new Requantizer(bias, new long[] {mult}, new long[] {0}, drop + extra, false, QuantizedUNet.LOGIT_FORMAT);
    }

    /**
     * BatchNorm as the requantizer's affine map. A learned input step s_in scales the accumulator's
     * real value and an output step s_out divides the result, so both fold into mult and offset:
     * mult ~ gamma / sigma' * s_in / s_out, offset ~ (beta - gamma * mu / sigma') / s_out.
     */
    private static Requantizer batchNorm(QatNetwork.Conv c, long[] bias, int accFrac, QFormat out, ConvWeights w,
                                         QFormat wf, QFormat in, double inStep, double outStep) {
        float[] gamma = c.gamma.toFloatArray();
        float[] beta = c.beta.toFloatArray();
        float[] mean = c.runningMean.toFloatArray();
        float[] var = c.runningVar.toFloatArray();
        int n = gamma.length;
        double[] a = new double[n];
        double maxA = 0;
        for (int i = 0; i < n; i++) {
            a[i] = gamma[i] / Math.sqrt((double) var[i] + QatNetwork.BN_EPS) * inStep / outStep;
            maxA = Math.max(maxA, Math.abs(a[i]) * Math.scalb(1.0, out.fracBits() - accFrac));
        }
        int shift = maxA == 0 ? 0 : (int) Math.max(0, Math.min(MAX_SHIFT, MULT_BITS - 1 - Math.floor(Math.log(maxA) / Math.log(2)) - 1));
        while (true) {
            long[] mult = new long[n];
            long[] offset = new long[n];
            for (int i = 0; i < n; i++) {
                mult[i] = Math.round(a[i] * Math.scalb(1.0, out.fracBits() + shift - accFrac));
                // a[i] already holds s_in / s_out; the running mean is in the accumulator's real units
                offset[i] = Math.round((beta[i] / outStep - a[i] / inStep * mean[i]) * Math.scalb(1.0, out.fracBits() + shift));
            }
            Requantizer rq = new Requantizer(bias, mult, offset, shift, true, out);
            try {
                new ConvLayer(c.spec.name(), w, wf, in, rq);
                return rq;
            } catch (IllegalArgumentException | ArithmeticException tooWide) {
                if (shift == 0) {
                    throw new IllegalStateException(c.spec.name() + ": BatchNorm terms do not fit 62 bits", tooWide);
                }
                shift--;
            }
        }
    }
}
