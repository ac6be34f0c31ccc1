package unetq.golden;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The paper's U-Net family (paper-notes section 2): per level two 3x3 convs (ReLU, BatchNorm,
 * quantizer), 2x2 max-pool between encoder levels, bilinear x2 upsampling, concat [up, skip] and
 * two convs per decoder level, then a 3x3 head to one logit. Presets share the paper's shape.
 */
public record UNetTopology(String preset, List<Integer> channels) {
    public static final List<String> PRESETS = List.of("paper", "compact", "tiny");

    public UNetTopology {
        channels = List.copyOf(channels);
        if (channels.size() < 2 || channels.size() > 6) {
            throw new IllegalArgumentException("a U-Net needs 2..6 levels, got " + channels.size());
        }
        for (int c : channels) {
            if (c < 1 || c > 1024) {
                throw new IllegalArgumentException("channels per level must be 1..1024, got " + channels);
            }
        }
    }

    /**
     * paper 64-128-256-256, compact 16-32-64-64, tiny 8-16-32-32, or channels per level written
     * out ("4-8-16": a 3-level U-Net of the same shape, e.g. small enough for an iCE40).
     */
    public static UNetTopology preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "paper" -> new UNetTopology("paper", List.of(64, 128, 256, 256));
            case "compact" -> new UNetTopology("compact", List.of(16, 32, 64, 64));
            case "tiny" -> new UNetTopology("tiny", List.of(8, 16, 32, 32));
            default -> {
                if (!name.matches("\\d{1,4}(-\\d{1,4})+")) {
                    throw new IllegalArgumentException("unknown preset '" + name + "' (choose " + PRESETS
                            + ", or channels per level such as 4-8-16)");
                }
                yield new UNetTopology("custom", Arrays.stream(name.split("-")).map(Integer::valueOf).toList());
            }
        };
    }

    public int levels() {
        return channels.size();
    }

    public int channels(int level) {
        return channels.get(level);
    }

    /** Image sides must be divisible by this (one halving per pooling). */
    public int sizeDivisor() {
        return 1 << (levels() - 1);
    }

    public void requireSize(int height, int width) {
        int d = sizeDivisor();
        if (height < d || width < d || height % d != 0 || width % d != 0) {
            throw new IllegalArgumentException("image size " + height + "x" + width + " must be a positive multiple of "
                    + d + " in both sides for a " + levels() + "-level U-Net");
        }
    }

    /** One conv of the network in execution order: its name and channel counts. */
    public record ConvSpec(String name, int in, int out, Role role) {
    }

    /** Where a conv sits: first conv of the encoder, other encoder conv, first decoder conv (after concat), other, head. */
    public enum Role { FIRST, ENCODER, DECODER_CONCAT, DECODER, HEAD }

    /** All convs in execution order: enc0a, enc0b, enc1a, ..., dec{L-2}a, dec{L-2}b, ..., dec0b, head. */
    public List<ConvSpec> convs() {
        java.util.ArrayList<ConvSpec> list = new java.util.ArrayList<>();
        int in = 1;
        for (int l = 0; l < levels(); l++) {
            list.add(new ConvSpec("enc" + l + "a", in, channels(l), l == 0 ? Role.FIRST : Role.ENCODER));
            list.add(new ConvSpec("enc" + l + "b", channels(l), channels(l), Role.ENCODER));
            in = channels(l);
        }
        for (int l = levels() - 2; l >= 0; l--) {
            list.add(new ConvSpec("dec" + l + "a", in + channels(l), channels(l), Role.DECODER_CONCAT));
            list.add(new ConvSpec("dec" + l + "b", channels(l), channels(l), Role.DECODER));
            in = channels(l);
        }
        list.add(new ConvSpec("head", in, 1, Role.HEAD));
        return list;
    }

    /** The conv layer named {@code name}. */
    public ConvSpec conv(String name) {
        return convs().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no conv layer " + name + " in " + this));
    }

    public long parameterCount() {
        return convs().stream().mapToLong(c -> 9L * c.in() * c.out() + c.out()).sum();
    }

    @Override
    public String toString() {
        return preset + " " + String.join("-", channels.stream().map(String::valueOf).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UNetTopology t && t.channels.equals(channels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(channels.toArray());
    }
}
