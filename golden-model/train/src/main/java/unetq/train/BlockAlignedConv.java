package unetq.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * A 3x3 "same" convolution whose channel counts PyTorch's CPU backend sees as multiples of 16.
 *
 * <p>Why: PyTorch 2.7.1 runs float32 convolutions in oneDNN 3.7.1, which stores activations in
 * blocks of 16 channels (8 with AVX2). When a count is not a multiple of the block, it reorders the
 * tensor into a padded layout, and on AVX-512 machines the padding was read without ever being
 * written: the input gradient of a 8-channel conv (and the output of a 24-channel one) came out
 * different from run to run, sometimes NaN, with the same inputs on one thread (measured: 49 of 300
 * identical backward passes gave NaN, 284 differed; docs/training.md). Zero channels written here
 * round every count up to a multiple of 16, so no padded layout is ever made; they add nothing to
 * the result, and their gradients are dropped by the slice.
 */
final class BlockAlignedConv {
    static final int BLOCK = 16;

    private BlockAlignedConv() {
    }

    /** {@code conv2d(x, w, b)}, stride 1, padding 1, with every channel count padded to the block. */
    static NDArray conv3x3(NDArray x, NDArray weight, NDArray bias) {
        long out = weight.getShape().get(0);
        NDArray xp = padChannels(x, 1);
        NDArray wp = padChannels(padChannels(weight, 1), 0);
        NDArray bp = bias == null ? null : padChannels(bias, 0);
        NDArray y = Conv2d.conv2d(xp, wp, bp, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
        return y.getShape().get(1) == out ? y : y.get(new NDIndex(":, 0:" + out));
    }

    /** {@code a} with zeros appended along {@code axis} up to a multiple of the block. */
    static NDArray padChannels(NDArray a, int axis) {
        long c = a.getShape().get(axis);
        long missing = (BLOCK - c % BLOCK) % BLOCK;
        if (missing == 0) {
            return a;
        }
        long[] shape = a.getShape().getShape().clone();
        shape[axis] = missing;
        return NDArrays.concat(new NDList(a, a.getManager().zeros(new Shape(shape), a.getDataType())), axis);
    }
}
