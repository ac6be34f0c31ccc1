package unetq.golden;

import java.util.Arrays;

/** A C x H x W tensor of integer codes (row-major, channel outermost). Mutable only by its ops. */
public final class IntTensor {
    private final int channels;
    private final int height;
    private final int width;
    private final long[] data;

    public IntTensor(int channels, int height, int width) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("tensor dimensions must be positive: "
                    + channels + "x" + height + "x" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = new long[Math.multiplyExact(Math.multiplyExact(channels, height), width)];
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public long get(int c, int y, int x) {
        return data[index(c, y, x)];
    }

    /** Zero outside the image: the "same" padding of every 3x3 conv. */
    public long getOrZero(int c, int y, int x) {
        return y < 0 || y >= height || x < 0 || x >= width ? 0 : data[index(c, y, x)];
    }

    public void set(int c, int y, int x, long v) {
        data[index(c, y, x)] = v;
    }

    /** Sets channel {@code c} from a plane of H x W values, row-major. */
    void setPlane(int c, int[] plane) {
        int base = c * height * width;
        for (int j = 0; j < height * width; j++) {
            data[base + j] = plane[j];
        }
    }

    /** Sets channel {@code c} from a plane of H x W values, row-major. */
    void setPlane(int c, long[] plane) {
        System.arraycopy(plane, 0, data, c * height * width, height * width);
    }

    private int index(int c, int y, int x) {
        return (c * height + y) * width + x;
    }

    /** The range of values actually present. */
    public LongRange range() {
        return new LongRange(Arrays.stream(data).min().orElseThrow(), Arrays.stream(data).max().orElseThrow());
    }

    /** Throws if any code lies outside the format. */
    public IntTensor requireIn(QFormat format, String what) {
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    long v = get(c, y, x);
                    if (!format.contains(v)) {
                        throw new IllegalArgumentException(what + " code " + v + " at (c" + c + ", y" + y
                                + ", x" + x + ") is outside " + format.describe());
                    }
                }
            }
        }
        return this;
    }

    public boolean sameShape(IntTensor o) {
        return channels == o.channels && height == o.height && width == o.width;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntTensor t && sameShape(t) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + channels * 7 + height * 3 + width;
    }

    @Override
    public String toString() {
        return "IntTensor[" + channels + "x" + height + "x" + width + "]";
    }
}
