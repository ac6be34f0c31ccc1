package unetq.golden;

/** An input image (1 x H x W, UQ0.8 codes) and its ground-truth mask. */
public record Sample(String id, IntTensor image, boolean[][] label) {
}
