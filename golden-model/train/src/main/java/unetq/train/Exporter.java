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
            float[] b = c.bias.toFloatArray();
            long[] bias = new long[b.length];
            for (int i = 0; i < b.length; i++) {
                bias[i] = (long) Math.rint((double) b[i] * Math.scalb(1.0, accFrac));
            }
            ConvWeights weights = new ConvWeights(s.out(), s.in(), 3, codes);
            // the head's accumulator has in.f + 8 fraction bits; logits keep 8 (Q7.8), rounded half to even
            Requantizer rq = c.isHead()
                    ? new Requantizer(bias, new long[] {1}, new long[] {0}, accFrac - QuantizedUNet.LOGIT_FORMAT.fracBits(),
                            false, QuantizedUNet.LOGIT_FORMAT)
                    : batchNorm(c, bias, accFrac, cfg.activations(), weights, wf, in);
            layers.add(new ConvLayer(s.name(), weights, wf, in, rq));
        }
        return new QuantizedUNet(cfg.topology(), cfg.activations(), layers, threshold);
    }

    private static Requantizer batchNorm(QatNetwork.Conv c, long[] bias, int accFrac, QFormat out, ConvWeights w,
                                         QFormat wf, QFormat in) {
        float[] gamma = c.gamma.toFloatArray();
        float[] beta = c.beta.toFloatArray();
        float[] mean = c.runningMean.toFloatArray();
        float[] var = c.runningVar.toFloatArray();
        int n = gamma.length;
        double[] a = new double[n];
        double maxA = 0;
        for (int i = 0; i < n; i++) {
            a[i] = gamma[i] / Math.sqrt((double) var[i] + QatNetwork.BN_EPS);
            maxA = Math.max(maxA, Math.abs(a[i]) * Math.scalb(1.0, out.fracBits() - accFrac));
        }
        int shift = maxA == 0 ? 0 : (int) Math.max(0, Math.min(40, MULT_BITS - 1 - Math.floor(Math.log(maxA) / Math.log(2)) - 1));
        while (true) {
            long[] mult = new long[n];
            long[] offset = new long[n];
            for (int i = 0; i < n; i++) {
                mult[i] = Math.round(a[i] * Math.scalb(1.0, out.fracBits() + shift - accFrac));
                offset[i] = Math.round((beta[i] - a[i] * mean[i]) * Math.scalb(1.0, out.fracBits() + shift));
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
