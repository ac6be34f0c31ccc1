package unetq.hw.block;

/** A memory a block infers: {@code depth} words of {@code width} bits (block RAM, LUTRAM or ROM). */
public record Memory(String name, long depth, int width) {
    public long bits() {
        return depth * width;
    }
}
