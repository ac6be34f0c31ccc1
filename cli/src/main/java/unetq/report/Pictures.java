package unetq.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import unetq.golden.IntTensor;

/** The PNGs of a report's slice: the input, a mask, and the error map whose colours the page's legend names. */
public final class Pictures {
    static final int TRUE_POSITIVE = 0xffffff;
    static final int FALSE_POSITIVE = 0xe8402a;
    static final int FALSE_NEGATIVE = 0x2a7de8;

    private Pictures() {
    }

    /** An 8-bit grey image (channel 0 of {@code img}). */
    public static void grey(Path file, IntTensor img) throws IOException {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                b.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, img.get(0, y, x))));
            }
        }
        ImageIO.write(b, "png", file.toFile());
    }

    /** Foreground white, background black. */
    public static void mask(Path file, boolean[][] mask) throws IOException {
        BufferedImage b = new BufferedImage(mask[0].length, mask.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < mask.length; y++) {
            for (int x = 0; x < mask[0].length; x++) {
                b.getRaster().setSample(x, y, 0, mask[y][x] ? 255 : 0);
            }
        }
        ImageIO.write(b, "png", file.toFile());
    }

    /**
     * True positives white, false positives red, false negatives blue; true negatives show the input at a
     * quarter of its brightness, so the errors can be placed on the anatomy.
     */
    public static void errors(Path file, IntTensor img, boolean[][] predicted, boolean[][] truth) throws IOException {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int rgb;
                if (predicted[y][x] && truth[y][x]) {
                    rgb = TRUE_POSITIVE;
                } else if (predicted[y][x]) {
                    rgb = FALSE_POSITIVE;
                } else if (truth[y][x]) {
                    rgb = FALSE_NEGATIVE;
                } else {
                    int g = (int) Math.max(0, Math.min(255, img.get(0, y, x))) / 4;
                    rgb = (g << 16) | (g << 8) | g;
                }
                b.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(b, "png", file.toFile());
    }
}
