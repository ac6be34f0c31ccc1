package unetq.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba) over named parameters, with its moments held here so a checkpoint can save
 * and restore them (a resumed run continues exactly). Gradients come from PyTorch's autograd.
 */
final class Adam {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPS = 1e-8f;

    final Map<String, NDArray> m = new LinkedHashMap<>();
    final Map<String, NDArray> v = new LinkedHashMap<>();
    int steps;

    Adam(NDManager manager, Map<String, NDArray> params) {
        params.forEach((name, p) -> {
            m.put(name, manager.zeros(p.getShape()));
            v.put(name, manager.zeros(p.getShape()));
        });
    }

    /** One update with the gradients now held by the parameters; zeroes those gradients after. */
    void step(Map<String, NDArray> params, float lr) {
        steps++;
        float c1 = 1 - (float) Math.pow(BETA1, steps);
        float c2 = 1 - (float) Math.pow(BETA2, steps);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            try (NDArray g = p.getGradient()) {
                NDArray mi = m.get(e.getKey());
                NDArray vi = v.get(e.getKey());
                mi.muli(BETA1).addi(g.mul(1 - BETA1));
                vi.muli(BETA2).addi(g.square().mul(1 - BETA2));
                p.subi(mi.div(c1).mul(lr).div(vi.div(c2).sqrt().add(EPS)));
                g.muli(0);
            }
        }
    }
}
