package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GreyImageTest {
    @Test
    void readsSharedEmSlice() throws IOException {
        GreyImage img = GreyImage.read(SharedData.dataset("isbi2012-em").resolve("images").resolve("0.png"));
        assertEquals(512, img.height());
        assertEquals(512, img.width());
        IntTensor crop = img.crop(10, 20, 8, 8);
        assertEquals(img.get(10, 20), crop.get(0, 0, 0));
        LongRange r = crop.range();
        assertTrue(r.lo() >= 0 && r.hi() <= 255);
        assertThrows(IllegalArgumentException.class, () -> img.crop(510, 0, 8, 8));
    }

    @Test
    void rejectsColourAndNonImages(@TempDir Path tmp) throws IOException {
        Path colour = tmp.resolve("c.png");
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", colour.toFile());
        IOException e = assertThrows(IOException.class, () -> GreyImage.read(colour));
        assertTrue(e.getMessage().contains("not a greyscale image"), e.getMessage());
        Path text = Files.writeString(tmp.resolve("t.png"), "hello");
        assertThrows(IOException.class, () -> GreyImage.read(text));
        assertThrows(IOException.class, () -> GreyImage.read(tmp.resolve("missing.png")));
    }
}
