package unetq.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A dataset of slices that each crop around their own centre (the cord, the pancreas): training
 * samples jitter that centre and flip at random, validation samples are the centred crops. Loss:
 * soft Dice alone, as the paper's GM and NIH code.
 */
abstract class SliceDataset implements SegmentationDataset {
    /** A slice that knows its centred crop, shifted by (dy, dx). */
    interface Slice {
        Sample crop(int dy, int dx);
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
    public Sample randomTrainingSample(Random rnd) {
        Slice s = train.get(rnd.nextInt(train.size()));
        return Crops.randomFlip(s.crop(rnd.nextInt(2 * jitter + 1) - jitter, rnd.nextInt(2 * jitter + 1) - jitter), rnd);
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
