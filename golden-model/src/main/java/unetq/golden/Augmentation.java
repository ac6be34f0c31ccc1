package unetq.golden;

/**
 * How training samples are varied, per dataset (docs/datasets.md, "training samples"). {@code PAPER}
 * is what the paper's code did for that dataset; {@code JITTER_FLIP} is what unetq did before it
 * followed the paper (a shifted crop, flipped at random in each axis), kept so that the models
 * trained that way can be reproduced.
 */
public enum Augmentation {
    /**
     * EM: a random 200x200 crop, flipped at random (the paper trained on zhixuhao's Keras-augmented
     * copies: shifts and flips, a 0.2 degree rotation, 5 % shear and zoom). GM: the paper's
     * medicaltorch transforms: elastic (alpha 28-30, sigma 3.5-4, p 0.3), affine (rotation 4.6 degrees,
     * scale 0.98-1.02, shift 3 %) and a channel shift of up to 0.1 (in z-score units). NIH pancreas:
     * none, the ROI crop of a random slice.
     */
    PAPER,
    /** A crop whose centre is shifted at random (EM: anywhere; GM ±20 px; pancreas ±16 px), flipped at random in each axis. */
    JITTER_FLIP
}
