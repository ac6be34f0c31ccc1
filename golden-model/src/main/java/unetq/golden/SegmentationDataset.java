package unetq.golden;

import java.util.List;
import java.util.Random;

/** What training and evaluation need from a dataset: random training crops and a fixed validation set. */
public interface SegmentationDataset {
    /** Short name: em, gm, pancreas. */
    String name();

    /** A random training sample of the size the network trains at, varied as {@code augmentation} says. */
    Sample randomTrainingSample(Random rnd, Augmentation augmentation);

    /** How many slices training draws from (0 for a folder that only validates or holds out). */
    int trainingCount();

    /** The fixed validation samples (empty when the folder has none of the validation subjects). */
    List<Sample> validation();

    /** Every sample of the folder (for a holdout folder). */
    List<Sample> all();

    /**
     * Weight of binary cross-entropy in the loss {@code w * BCE + (1 - w) * (1 - soft Dice)}. The
     * paper's EM code used 0.5 (EM labels are mostly positive, where soft Dice alone rewards
     * predicting everything); its GM and NIH code used Dice alone (0).
     */
    double bceWeight();

    /**
     * The subject (person, patient, volume) a sample of this dataset comes from, for Dice per subject:
     * by default the sample itself.
     */
    default String subjectOf(Sample sample) {
        return sample.id();
    }

    /** The split, for provenance. */
    String splitDescription();
}
