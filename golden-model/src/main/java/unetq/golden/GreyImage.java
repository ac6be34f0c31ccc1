package unetq.golden;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** An 8-bit greyscale image (codes 0..255), read from PNG or JPEG; colour images are rejected. */
public final class GreyImage {
    private final int[][] pixels;

    private GreyImage(int[][] pixels) {
        this.pixels = pixels;
    }

    public static GreyImage read(Path file) throws IOException {
        return read(file, false);
    }

    /**
     * Reads a grey image; with {@code greyAsRgb} an RGB file whose three channels agree within a
     * JPEG's error (at most 16 levels) is accepted as grey (the mean of the channels).
     */
    public static GreyImage read(Path file, boolean greyAsRgb) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image not found: " + file);
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("not a PNG or JPEG image: " + file);
        }
        Raster r = img.getRaster();
        if (greyAsRgb && r.getNumBands() == 3) {
            int[][] p = new int[img.getHeight()][img.getWidth()];
            for (int y = 0; y < p.length; y++) {
                for (int x = 0; x < p[0].length; x++) {
                    int a = r.getSample(x, y, 0);
                    int b = r.getSample(x, y, 1);
                    int c = r.getSample(x, y, 2);
                    if (Math.max(a, Math.max(b, c)) - Math.min(a, Math.min(b, c)) > 16) {
                        throw new IOException(file.getFileName() + " is a colour image (channels differ at x=" + x + ", y=" + y + ")");
                    }
                    p[y][x] = (a + b + c + 1) / 3;
                }
            }
            return new GreyImage(p);
        }
        if (r.getNumBands() != 1 || img.getColorModel().getPixelSize() > 16) {
            throw new IOException(file.getFileName() + " is not a greyscale image (" + r.getNumBands() + " channels)");
        }
        int bits = img.getColorModel().getComponentSize(0);
        int[][] p = new int[img.getHeight()][img.getWidth()];
        for (int y = 0; y < p.length; y++) {
            for (int x = 0; x < p[0].length; x++) {
                int v = r.getSample(x, y, 0);
                p[y][x] = bits > 8 ? v >> (bits - 8) : bits < 8 ? v * 255 / ((1 << bits) - 1) : v;
            }
        }
        return new GreyImage(p);
    }

    public int height() {
        return pixels.length;
    }

    public int width() {
        return pixels[0].length;
    }

    public int get(int y, int x) {
        return pixels[y][x];
    }

    /** A 1 x h x w tensor of UQ0.8 codes from the crop at (top, left). */
    public IntTensor crop(int top, int left, int h, int w) {
        if (top < 0 || left < 0 || top + h > height() || left + w > width()) {
            throw new IllegalArgumentException("crop " + h + "x" + w + " at (" + top + "," + left + ") exceeds the "
                    + height() + "x" + width() + " image");
        }
        IntTensor t = new IntTensor(1, h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                t.set(0, y, x, pixels[top + y][left + x]);
            }
        }
        return t;
    }
}
