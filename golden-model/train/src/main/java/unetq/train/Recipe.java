package unetq.train;

import unetq.golden.Augmentation;

/**
 * The paper's per-dataset training recipe, or the one unetq used before following it. Loss and
 * crop are the dataset's own (docs/datasets.md); a recipe sets the learning-rate schedule and how
 * training samples are varied. docs/training.md compares both with the paper's code.
 */
public enum Recipe {
    /**
     * The paper's code: EM MultiStepLR (×0.1 at 40, 80, 120 and 160 of its 200 epochs, here at 20, 40,
     * 60 and 80 % of {@code --epochs}); GM and NIH CosineAnnealingLR over the epochs. Its
     * {@code scheduler.step()} ran at the start of each epoch (PyTorch 0.4), so epoch e (0-based) trains
     * at the rate for e + 1: the milestones come one epoch early and the last epoch has rate 0.
     * Augmentation: {@link Augmentation#PAPER}.
     */
    PAPER,
    /** unetq's first recipe (the EM and pancreas models shipped before it): cosine decay from epoch 0 on every dataset, jitter and flips. */
    V1;

    /** The learning rate of epoch {@code e} (0-based) of {@code epochs}, from {@code base}. */
    public float learningRate(String dataset, float base, int e, int epochs) {
        if (this == V1) {
            return (float) (base * 0.5 * (1 + Math.cos(Math.PI * e / epochs)));
        }
        int step = e + 1;
        if (dataset.equals("em")) {
            int passed = 0;
            for (int k = 1; k <= 4; k++) {
                passed += step >= Math.round(epochs * k / 5.0) ? 1 : 0;
            }
            return (float) (base * Math.pow(0.1, passed));
        }
        return (float) (base * 0.5 * (1 + Math.cos(Math.PI * Math.min(step, epochs) / epochs)));
    }

    public Augmentation augmentation() {
        return this == PAPER ? Augmentation.PAPER : Augmentation.JITTER_FLIP;
    }

    /** The name the --recipe option takes. */
    public String optionName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
