package unetq.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A dataset of slices that each crop around their own centre (the cord, the pancreas): training
 * samples are varied by an {@link Augmentation}, validation samples are the centred crops. Loss:
 * soft Dice alone, as the paper's GM and NIH code.
 */
abstract class SliceDataset implements SegmentationDataset {
    /** A slice that knows its centred crop, shifted by (dy, dx), and how the paper varied it for training. */
    interface Slice {
        Sample crop(int dy, int dx);

        /** The paper's training augmentation of this slice (by default none: the centred crop). */
        default Sample paperAugmented(Random rnd) {
            return crop(0, 0);
        }
    }

    protected final List<Slice> train = new ArrayList<>();
    protected final List<Slice> validation = new ArrayList<>();
    private final int jitter;

    protected SliceDataset(int jitter) {
        this.jitter = jitter;
    }

    @Override
    public double bceWeight() {
        return 0;
    }

    @Override
    public int trainingCount() {
        return train.size();
    }

    @Override
    public Sample randomTrainingSample(Random rnd, Augmentation augmentation) {
        Slice s = train.get(rnd.nextInt(train.size()));
        return switch (augmentation) {
            case PAPER -> s.paperAugmented(rnd);
            case JITTER_FLIP -> Crops.randomFlip(s.crop(rnd.nextInt(2 * jitter + 1) - jitter, rnd.nextInt(2 * jitter + 1) - jitter), rnd);
        };
    }

    @Override
    public List<Sample> validation() {
        return validation.stream().map(s -> s.crop(0, 0)).toList();
    }

    @Override
    public List<Sample> all() {
        List<Sample> all = new ArrayList<>();
        train.forEach(s -> all.add(s.crop(0, 0)));
        validation.forEach(s -> all.add(s.crop(0, 0)));
        return all;
    }
}
