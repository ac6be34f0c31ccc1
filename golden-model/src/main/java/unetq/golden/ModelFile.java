package unetq.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .unetq} integer model file (docs/model-format.md):
 * <pre>
 *   magic "UNETQ\r\n\032" (8 bytes) | u32 format version | u32 header length | header (UTF-8 JSON)
 *   | weight codes of every layer in order (1, 2 or 4 bytes each, big-endian, two's complement)
 *   | SHA-256 of everything before it (32 bytes)
 * </pre>
 * Loading rejects a file that is not a model, made by a newer unetq, truncated or corrupt, with a
 * message saying which.
 */
public final class ModelFile {
    public static final int VERSION = 1;
    static final byte[] MAGIC = {'U', 'N', 'E', 'T', 'Q', '\r', '\n', 0x1a};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A model and where it came from. */
    public record Model(QuantizedUNet net, Map<String, String> provenance) {
        public Model {
            provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        }
    }

    private ModelFile() {
    }

    public static byte[] encode(Model model) {
        QuantizedUNet net = model.net();
        ObjectNode h = JSON.createObjectNode();
        h.put("format", "unetq-model");
        h.put("version", VERSION);
        ObjectNode topo = h.putObject("topology");
        topo.put("preset", net.topology().preset());
        ArrayNode ch = topo.putArray("channels");
        net.topology().channels().forEach(ch::add);
        h.put("activations", net.activationFormat().paperName());
        h.put("weights", net.weightFormat().paperName());
        h.put("threshold", net.threshold());
        ArrayNode layers = h.putArray("layers");
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        for (ConvLayer l : net.layers()) {
            ObjectNode n = layers.addObject();
            ConvWeights w = l.weights();
            Requantizer rq = l.requantizer();
            n.put("name", l.name());
            n.put("kernel", w.kernel());
            n.put("in", w.inChannels());
            n.put("out", w.outChannels());
            n.put("weightFormat", l.weightFormat().paperName());
            n.put("inputFormat", l.inputFormat().paperName());
            n.put("outputFormat", l.outputFormat().paperName());
            n.put("relu", rq.relu());
            n.put("shift", rq.shift());
            ArrayNode bias = n.putArray("bias");
            ArrayNode mult = n.putArray("mult");
            ArrayNode offset = n.putArray("offset");
            for (int c = 0; c < rq.channels(); c++) {
                bias.add(rq.bias(c));
                mult.add(rq.mult(c));
                offset.add(rq.offset(c));
            }
            int bytes = codeBytes(l.weightFormat());
            n.put("codeBytes", bytes);
            for (int o = 0; o < w.outChannels(); o++) {
                for (int i = 0; i < w.inChannels(); i++) {
                    for (int ky = 0; ky < w.kernel(); ky++) {
                        for (int kx = 0; kx < w.kernel(); kx++) {
                            writeCode(blob, w.get(o, i, ky, kx), bytes);
                        }
                    }
                }
            }
        }
        ObjectNode prov = h.putObject("provenance");
        model.provenance().forEach(prov::put);
        try {
            byte[] header = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(h);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(out);
            d.write(MAGIC);
            d.writeInt(VERSION);
            d.writeInt(header.length);
            d.write(header);
            d.write(blob.toByteArray());
            d.write(sha256(out.toByteArray(), out.size()));
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes atomically: a temporary file moved into place, so a failed write leaves no model behind. */
    public static void write(Model model, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.write(tmp, encode(model));
            readableByAll(tmp);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Temporary files are created private (rw-------); a model is a normal file (rw-r--r--). */
    public static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file systems keep their default permissions
        }
    }

    public static Model read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file not found: " + file);
        }
        try {
            return decode(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    public static Model decode(byte[] bytes) {
        if (bytes.length < MAGIC.length + 8 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not a unetq model file (bad magic)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.position(MAGIC.length);
        int version = buf.getInt();
        if (version > VERSION) {
            throw new IllegalArgumentException("model file format version " + version
                    + " is newer than this unetq reads (" + VERSION + "): update unetq");
        }
        if (version < 1) {
            throw new IllegalArgumentException("model file format version " + version + " is not valid");
        }
        int headerLength = buf.getInt();
        if (headerLength < 2 || (long) buf.position() + headerLength + 32 > bytes.length) {
            throw new IllegalArgumentException("truncated: the header needs " + headerLength + " bytes, the file has "
                    + bytes.length + " in all");
        }
        JsonNode h;
        try {
            h = JSON.readTree(new String(bytes, buf.position(), headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt header (not valid JSON)");
        }
        buf.position(buf.position() + headerLength);
        long blobBytes = 0;
        for (JsonNode n : required(h, "layers")) {
            blobBytes += (long) required(n, "out").asInt() * required(n, "in").asInt() * sq(required(n, "kernel").asInt())
                    * required(n, "codeBytes").asInt();
        }
        long expected = buf.position() + blobBytes + 32;
        if (bytes.length < expected) {
            throw new IllegalArgumentException("truncated: expected " + expected + " bytes, the file has " + bytes.length);
        }
        if (bytes.length > expected) {
            throw new IllegalArgumentException("corrupt: " + (bytes.length - expected) + " unexpected bytes at the end");
        }
        byte[] sum = Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length);
        if (!MessageDigest.isEqual(sum, sha256(bytes, bytes.length - 32))) {
            throw new IllegalArgumentException("corrupt: checksum mismatch");
        }
        try {
            return build(h, buf);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid model: " + e.getMessage(), e);
        }
    }

    private static Model build(JsonNode h, ByteBuffer buf) {
        List<Integer> channels = new ArrayList<>();
        required(required(h, "topology"), "channels").forEach(c -> channels.add(c.asInt()));
        UNetTopology topo = new UNetTopology(required(required(h, "topology"), "preset").asText(), channels);
        QFormat act = QFormat.parse(required(h, "activations").asText());
        List<ConvLayer> convs = new ArrayList<>();
        for (JsonNode n : required(h, "layers")) {
            int in = n.get("in").asInt();
            int out = n.get("out").asInt();
            int k = n.get("kernel").asInt();
            int bytes = n.get("codeBytes").asInt();
            long[] codes = new long[out * in * k * k];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = readCode(buf, bytes);
            }
            long[] bias = longs(required(n, "bias"), out);
            long[] mult = longs(required(n, "mult"), out);
            long[] offset = longs(required(n, "offset"), out);
            Requantizer rq = new Requantizer(bias, mult, offset, required(n, "shift").asInt(), required(n, "relu").asBoolean(),
                    QFormat.parse(required(n, "outputFormat").asText()));
            convs.add(new ConvLayer(required(n, "name").asText(), new ConvWeights(out, in, k, codes),
                    QFormat.parse(required(n, "weightFormat").asText()), QFormat.parse(required(n, "inputFormat").asText()), rq));
        }
        Map<String, String> prov = new LinkedHashMap<>();
        JsonNode p = h.get("provenance");
        if (p != null) {
            p.fields().forEachRemaining(e -> prov.put(e.getKey(), e.getValue().asText()));
        }
        return new Model(new QuantizedUNet(topo, act, convs, required(h, "threshold").asDouble()), prov);
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("header field '" + field + "' is missing");
        }
        return v;
    }

    private static long[] longs(JsonNode array, int n) {
        if (!array.isArray() || array.size() != n) {
            throw new IllegalArgumentException("expected " + n + " per-channel values, got " + array.size());
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = array.get(i).asLong();
        }
        return v;
    }

    private static int sq(int k) {
        return k * k;
    }

    static int codeBytes(QFormat f) {
        int bits = f.hardwareBits();
        return bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
    }

    private static void writeCode(ByteArrayOutputStream out, long code, int bytes) {
        for (int b = bytes - 1; b >= 0; b--) {
            out.write((int) (code >> (8 * b)) & 0xff);
        }
    }

    private static long readCode(ByteBuffer buf, int bytes) {
        return switch (bytes) {
            case 1 -> buf.get();
            case 2 -> buf.getShort();
            case 4 -> buf.getInt();
            default -> throw new IllegalArgumentException("codeBytes must be 1, 2 or 4, got " + bytes);
        };
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
