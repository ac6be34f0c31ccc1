package unetq.hw.design;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import unetq.golden.QFormat;
import unetq.golden.RandomLayers;
import unetq.hw.block.ConvLayer;
import unetq.hw.block.MacArray;
import unetq.hw.block.MacForm;
import unetq.hw.block.MaxPool2x2;
import unetq.hw.block.Memory;
import unetq.hw.graph.UNetAccelerator;
import unetq.hw.schedule.Folding;

class GeneratorTest {

    private static ConvLayer conv(long seed) {
        QFormat a = QFormat.activations(6);
        return new ConvLayer("conv", RandomLayers.conv(new Random(seed), "c", 3, 4, 3, QFormat.weights(4), a, a, true),
                7, 9, new Folding(2, 3));
    }

    @Test
    void ice40BuildScriptUsesDspsAndBoardPinsOnlyOnTheUp5k(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        String script = BuildFiles.ice40Script("unet", 40);
        assertTrue(script.contains("up5k) pkg=sg48; dsp=-dsp; pcf=\"--pcf constraints/icebreaker.pcf\" ;;"), script);
        assertTrue(script.contains("hx8k) pkg=ct256; dsp=; pcf= ;;"), script);
        assertTrue(script.contains("synth_ice40 $dsp -top unet") && script.contains("--freq 40 "), script);
        java.nio.file.Path f = tmp.resolve("build-ice40.sh");
        java.nio.file.Files.writeString(f, script);
        Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "bash -n: " + out);
    }

    @Test
    void requantizerProductInLutsHasNoMultiplier() {
        unetq.golden.ConvLayer layer = RandomLayers.conv(new Random(4), "g", 2, 2, 3, QFormat.weights(4), QFormat.activations(6),
                QFormat.activations(6), true);
        String dsp = DesignWriter.files(new ConvLayer("g_dsp", layer, 4, 4, new Folding(1, 2))).get("g_dsp_requant.v");
        String lut = DesignWriter.files(new ConvLayer("g_lut", layer, 4, 4, new Folding(1, 2).withRequantInLuts())).get("g_lut_requant.v");
        assertTrue(assignT(dsp).contains(" * "), dsp);
        assertTrue(!assignT(lut).contains("*") && assignT(lut).contains("pp0") && lut.contains("r_ext"), lut);
    }

    private static String assignT(String verilog) {
        return verilog.lines().filter(l -> l.strip().startsWith("assign t =")).findFirst().orElseThrow();
    }

    @Test
    void sameInputSameBytes() {
        Map<String, String> first = DesignWriter.filesWithHarness(conv(5));
        Map<String, String> second = DesignWriter.filesWithHarness(conv(5));
        assertEquals(first, second);
        assertTrue(first.keySet().containsAll(java.util.List.of("conv.v", "conv_swg.v", "conv_mac.v", "conv_requant.v",
                "conv_weights.memh", "conv_params.memh", "files.f", "harness/stream_harness.cpp",
                "harness/harness_config.h")), first.keySet().toString());
        assertEquals("conv_swg.v\nconv_mac.v\nconv_requant.v\nconv.v\n", first.get("files.f"));
    }

    @Test
    void paperFormatsTakeTheirHardwareWidths() {
        MacArray mac = MacArray.forFormats("m", 4, 4, QFormat.activations(6), QFormat.weights(4), 9, MacForm.Kind.PACKED);
        assertEquals(7, mac.actBits());
        assertEquals(6, mac.wgtBits());
        // 9 beats x 4 columns x 63 x 16 = 36288 -> 17-bit signed
        assertEquals(17, mac.accBits());
        String v = DesignWriter.files(mac).get("m.v");
        assertTrue(v.contains("input wire [27:0]  in_act"), v);
        assertTrue(v.contains("input wire [95:0]  in_wgt"), v);
    }

    @Test
    void weightRomHoldsOneWordPerBeat() {
        ConvLayer c = conv(8);
        String memh = c.memoryFiles().get("conv_weights.memh");
        long words = memh.lines().filter(l -> !l.startsWith("//")).count();
        assertEquals(2 * 9, words); // (Cout/PE) x (9 x Cin/SIMD)
        String first = memh.lines().filter(l -> !l.startsWith("//")).findFirst().orElseThrow();
        assertEquals((2 * 3 * 6 + 3) / 4, first.length());
    }

    @Test
    void memhPacksTwosComplementFieldsLsbFirst() {
        BigInteger w = MemH.pack(new long[] {-1, 2, -16}, new int[] {4, 4, 6});
        assertEquals(0x302f, w.intValue()); // -16 in 6 bits is 110000
        assertEquals("302f", MemH.hex(w, 14));
    }

    @Test
    void foldingMustDivide() {
        assertThrows(IllegalArgumentException.class, () -> new Folding(3, 1).requireFits(4, 3));
        assertThrows(IllegalArgumentException.class, () -> new Folding(2, 2).requireFits(4, 3));
        assertEquals(18, new Folding(2, 3).cyclesPerPixel(4, 3));
        assertThrows(IllegalArgumentException.class, () -> new Folding(0, 1));
    }

    @Test
    void harnessConfigNamesTheDataPorts() {
        MacArray mac = MacArray.forFormats("m", 2, 3, QFormat.activations(4), QFormat.weights(2), 9, MacForm.Kind.PACKED);
        String cfg = new StreamHarness(mac.modules().get(mac.modules().size() - 1)).config();
        assertTrue(cfg.contains("#define IN_FIELDS(X) X(in_first, 1) X(in_last, 1) X(in_act, 15) X(in_wgt, 24)"), cfg);
        assertTrue(cfg.contains("#define OUT_FIELDS(X) X(out_acc, " + 2 * mac.accBits() + ")"), cfg);
    }

    @Test
    void blocksStateTheirMemoriesAndMultipliers() {
        ConvLayer c = conv(3); // 3 -> 4 channels on 7x9, PE 2, SIMD 3, Q0.4 weights (6 bits), Q6.0 inputs (7 bits)
        java.util.List<Memory> m = c.memories();
        assertEquals(4, m.size());
        assertEquals(new Memory("conv_swg.mem", 2 * 9 + 4, 3 * 7), m.get(0)); // 2W + 4 pixel slots of one group
        assertEquals(2 * 9, m.get(1).depth()); // weight ROM: (Cout/PE) x (9 x Cin/SIMD) words
        assertEquals(2 * 3 * 6, m.get(1).width()); // PE x SIMD codes of 6 bits
        assertEquals(new Memory("conv.ibuf", 9, 3 * 7), m.get(2)); // a window's beats, for the second pass
        assertEquals(6, c.multipliers());
        assertEquals(4 * 2 * 10, new MaxPool2x2("p", 2, 2, 10, 6, 8).memories().get(0).bits()); // half row x pixel bits

        unetq.golden.QuantizedUNet net = unetq.golden.QuantizedUNet.random(unetq.golden.UNetTopology.preset("tiny"),
                QFormat.weights(4), QFormat.activations(6), 2);
        UNetAccelerator acc = new UNetAccelerator("u", net, 16, 16, UNetAccelerator.foldingsFor(net, 16, 16, 5000));
        long sum = acc.foldings().values().stream().mapToLong(f -> (long) f.pe() * f.simd()).sum();
        assertEquals(sum, acc.multipliers());
        // a conv: window buffer, weight ROM, parameter ROM, and an input buffer when it runs more than one
        // pass; a pool: pair and row memories; an upsampler: 3 rows and 3 vertical sums; a skip FIFO
        // (and a weight ROM deeper than 512 by at most 256 past a multiple of 512 keeps its tail apart)
        long convMemories = acc.foldings().entrySet().stream().mapToLong(e -> {
            int cout = net.layer(e.getKey()).weights().outChannels();
            int cin = net.layer(e.getKey()).weights().inChannels();
            long words = e.getValue().cyclesPerPixel(cout, cin);
            boolean tail = words > 512 && words % 512 > 0 && words % 512 <= 256;
            return (e.getValue().pe() < cout ? 4 : 3) + (tail ? 1 : 0);
        }).sum();
        assertEquals(convMemories + 3 * 2 + 3 * 6 + 3, acc.memories().size());
    }

    @Test
    void modulesThatDifferOnlyInNameBecomeOne() {
        unetq.golden.QuantizedUNet net = unetq.golden.QuantizedUNet.random(unetq.golden.UNetTopology.preset("tiny"),
                QFormat.weights(4), QFormat.activations(6), 2);
        UNetAccelerator acc = new UNetAccelerator("u", net, 32, 32, UNetAccelerator.foldingsFor(net, 32, 32, 20_000));
        java.util.List<unetq.verilog.Module> modules = acc.modules();
        java.util.Set<Object> bodies = new java.util.HashSet<>();
        for (unetq.verilog.Module m : modules) {
            assertTrue(bodies.add(java.util.List.of(m.ports(), m.items())), m.name() + " repeats another module");
        }
        // enc0b and dec0b read the same stream shape: one window generator serves both
        String enc = acc.moduleOf("u_enc0b_swg");
        assertEquals(enc, acc.moduleOf("u_dec0b_swg"));
        assertTrue(modules.stream().anyMatch(m -> m.name().equals(enc)));
        assertTrue(modules.stream().noneMatch(m -> m.name().equals("u_dec0b_swg")));
        // what is instantiated exists (Netlist.check) and every block still has a module
        acc.blocks().forEach(b -> assertTrue(modules.stream().anyMatch(m -> m.name().equals(acc.moduleOf(b.name()))), b.name()));
    }
}
