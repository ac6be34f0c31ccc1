package unetq.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizedUNetTest {

    @Test
    void paperTopologyHasThePapersConvWeights() {
        UNetTopology paper = UNetTopology.preset("paper");
        long weights = paper.convs().stream().mapToLong(c -> 9L * c.in() * c.out()).sum();
        assertEquals(4_830_336L, weights); // paper-notes section 2, computed from the paper's code
        assertEquals(15, paper.convs().size()); // 4 levels x 2 + 3 decoder levels x 2 + head
        assertEquals("dec2a", paper.convs().get(8).name());
        assertEquals(512, paper.convs().get(8).in()); // up1: cat(256, 256)
        assertEquals(8, paper.sizeDivisor());
        assertThrows(IllegalArgumentException.class, () -> paper.requireSize(100, 200));
    }

    @Test
    void channelsPerLevelNameATopologyOfThePapersShape() {
        UNetTopology small = UNetTopology.preset("1-2");
        assertEquals(java.util.List.of(1, 2), small.channels());
        assertEquals(java.util.List.of("enc0a", "enc0b", "enc1a", "enc1b", "dec0a", "dec0b", "head"),
                small.convs().stream().map(UNetTopology.ConvSpec::name).toList());
        assertEquals(3, small.convs().get(4).in()); // concat of up (2) and skip (1)
        assertEquals(UNetTopology.preset("tiny"), UNetTopology.preset("8-16-32-32")); // same channels, same topology
        for (String bad : new String[] {"4-", "4", "a-b", "0-4", "1-2-3-4-5-6-7", "4--8"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UNetTopology.preset(bad), bad);
            assertTrue(e.getMessage().contains("preset") || e.getMessage().contains("levels")
                    || e.getMessage().contains("channels"), e.getMessage());
        }
    }

    @Test
    void forwardRunsEveryLayerWithItsFormats() {
        QuantizedUNet net = QuantizedUNet.random(UNetTopology.preset("tiny"), QFormat.weights(4), QFormat.activations(6), 3);
        IntTensor image = RandomLayers.tensor(new Random(1), 1, 16, 24, QuantizedUNet.IMAGE_FORMAT);
        QuantizedUNet.Result r = net.forward(image);
        assertEquals(15, r.taps().size());
        assertEquals(8, r.taps().get("enc0b").channels());
        assertEquals(2, r.taps().get("enc3b").height()); // 16 / 8
        assertEquals(16, r.logits().height());
        r.taps().forEach((name, t) -> t.requireIn(net.layer(name).outputFormat(), name));
        assertEquals(QFormat.q(6, 4), net.layer("dec0a").inputFormat());
        assertEquals(16, r.mask().length);
    }

    private static ModelFile.Model model() {
        return new ModelFile.Model(QuantizedUNet.random(UNetTopology.preset("tiny"), QFormat.weights(4),
                QFormat.activations(6), 7), Map.of("dataset", "random", "seed", "7"));
    }

    @Test
    void roundTripKeepsEveryCodeAndOutput(@TempDir Path tmp) throws IOException {
        ModelFile.Model m = model();
        Path f = tmp.resolve("m.unetq");
        ModelFile.write(m, f);
        ModelFile.Model back = ModelFile.read(f);
        assertArrayEquals(Files.readAllBytes(f), ModelFile.encode(back));
        IntTensor image = RandomLayers.tensor(new Random(2), 1, 8, 8, QuantizedUNet.IMAGE_FORMAT);
        assertEquals(m.net().forward(image).logits(), back.net().forward(image).logits());
        assertEquals("random", back.provenance().get("dataset"));
        // 4-bit weights take one byte per code; tiny has about 76k weights
        assertTrue(Files.size(f) < 120_000, "size " + Files.size(f));
    }

    @Test
    void rejectsBrokenFiles(@TempDir Path tmp) throws IOException {
        byte[] good = ModelFile.encode(model());
        assertMessage(tmp, java.util.Arrays.copyOf(good, good.length - 100), "truncated");
        assertMessage(tmp, java.util.Arrays.copyOf(good, 30), "truncated");
        byte[] flipped = good.clone();
        flipped[good.length - 500] ^= 1;
        assertMessage(tmp, flipped, "checksum mismatch");
        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).putInt(8, 2);
        assertMessage(tmp, newer, "newer than this unetq");
        assertMessage(tmp, "hello, not a model".getBytes(), "not a unetq model file");
        IOException missing = assertThrows(IOException.class, () -> ModelFile.read(tmp.resolve("none.unetq")));
        assertTrue(missing.getMessage().contains("not found"));
    }

    private static void assertMessage(Path tmp, byte[] bytes, String expected) throws IOException {
        Path f = Files.write(tmp.resolve("bad.unetq"), bytes);
        IOException e = assertThrows(IOException.class, () -> ModelFile.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
