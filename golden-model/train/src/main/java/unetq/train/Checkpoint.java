package unetq.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ai.djl.ndarray.NDArray;
import unetq.golden.QFormat;
import unetq.golden.UNetTopology;

/**
 * A training checkpoint ({@code .ckpt}): the configuration, the dataset, epochs done, history, every
 * parameter and BatchNorm statistic, Adam's moments and the best-validation snapshot, so a run
 * resumes exactly and a float network can be evaluated later. It holds no wall-clock time, so the
 * same command run twice writes the same bytes.
 */
public final class Checkpoint {
    static final String MAGIC = "UNETQCKP1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Progress saved with the arrays. */
    public record State(int epochsDone, List<Trainer.Epoch> history, Map<String, float[]> best, int bestEpoch,
                        double bestDice, String command, String dataset) {
    }

    private Checkpoint() {
    }

    /** Writes the checkpoint atomically (a hidden sibling renamed over {@code file}). */
    static void save(Path file, QatNetwork net, Adam adam, QatConfig cfg, State state) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(out, net, adam, cfg, state);
            }
            unetq.golden.ModelFile.readableByAll(tmp);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void write(OutputStream stream, QatNetwork net, Adam adam, QatConfig cfg, State state) throws IOException {
        ObjectNode h = JSON.createObjectNode();
        h.put("preset", cfg.topology().preset());
        ArrayNode ch = h.putArray("channels");
        cfg.topology().channels().forEach(ch::add);
        h.put("weights", cfg.quantized() ? cfg.weights().paperName() : "float");
        h.put("activations", cfg.quantized() ? cfg.activations().paperName() : "float");
        if (cfg.learnedSteps()) {
            h.put("activationSteps", "learned");
        }
        h.put("epochsDone", state.epochsDone());
        h.put("bestEpoch", state.bestEpoch());
        h.put("bestDice", state.bestDice());
        h.put("adamSteps", adam == null ? 0 : adam.steps);
        h.put("command", state.command() == null ? "unknown" : state.command());
        h.put("dataset", state.dataset() == null ? "unknown" : state.dataset());
        ArrayNode hist = h.putArray("history");
        for (Trainer.Epoch e : state.history()) {
            hist.addArray().add(e.epoch()).add(e.loss()).add(e.diceAt999()).add(e.diceAt05());
        }
        Map<String, float[]> arrays = new LinkedHashMap<>();
        net.state().forEach((k, v) -> arrays.put("net." + k, v.toFloatArray()));
        if (adam != null) {
            adam.m.forEach((k, v) -> arrays.put("adam.m." + k, v.toFloatArray()));
            adam.v.forEach((k, v) -> arrays.put("adam.v." + k, v.toFloatArray()));
        }
        if (state.best() != null) {
            state.best().forEach((k, v) -> arrays.put("best." + k, v));
        }
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeUTF(MAGIC);
        byte[] header = JSON.writeValueAsBytes(h);
        out.writeInt(header.length);
        out.write(header);
        out.writeInt(arrays.size());
        for (Map.Entry<String, float[]> e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (float f : e.getValue()) {
                out.writeFloat(f);
            }
        }
        out.flush();
    }

    /**
     * A slim checkpoint of a finished run: the network as it is now (the best epoch, restored by the
     * trainer), no optimizer state. Evaluates like the full one; cannot resume.
     */
    public static void writeFinal(OutputStream out, QatNetwork net, State state) throws IOException {
        write(out, net, null, net.config(), new State(state.epochsDone(), state.history(), null, state.bestEpoch(),
                state.bestDice(), state.command(), state.dataset()));
    }

    /** How a checkpoint was made, for reports: the train command and the dataset kind (em, gm, pancreas). */
    public record Info(String command, String dataset) {
    }

    public static Info info(Path file) throws IOException {
        JsonNode h = read(file).header;
        String command = h.path("command").asText("unknown");
        // checkpoints before the dataset field name it only in their command
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--dataset (\\S+)").matcher(command);
        return new Info(command, h.path("dataset").asText(m.find() ? m.group(1) : "unknown"));
    }

    /** The configuration a checkpoint was trained with. */
    public static QatConfig config(Path file) throws IOException {
        return parse(read(file).header);
    }

    private static QatConfig parse(JsonNode h) {
        List<Integer> ch = new ArrayList<>();
        h.get("channels").forEach(c -> ch.add(c.asInt()));
        UNetTopology topo = new UNetTopology(h.get("preset").asText(), ch);
        String w = h.get("weights").asText();
        String a = h.get("activations").asText();
        return w.equals("float") ? new QatConfig(topo, null, null)
                : new QatConfig(topo, QFormat.parse(w), QFormat.parse(a), h.path("activationSteps").asText("fixed").equals("learned"));
    }

    private record Raw(JsonNode header, Map<String, float[]> arrays) {
    }

    private static final class NonFinite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFinite(String message) {
            super(message);
        }
    }

    private static Raw read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("checkpoint not found: " + file);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException(file.getFileName() + " is not a unetq training checkpoint");
            }
            byte[] header = new byte[in.readInt()];
            in.readFully(header);
            int n = in.readInt();
            Map<String, float[]> arrays = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                float[] v = new float[in.readInt()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readFloat();
                }
                arrays.put(name, v);
            }
            for (Map.Entry<String, float[]> a : arrays.entrySet()) {
                for (float f : a.getValue()) {
                    if (!Float.isFinite(f)) {
                        throw new NonFinite(file.getFileName() + " holds non-finite values in " + a.getKey()
                                + " (a run that diverged): train it again");
                    }
                }
            }
            return new Raw(JSON.readTree(header), arrays);
        } catch (java.io.EOFException e) {
            throw new IOException(file.getFileName() + ": truncated checkpoint");
        } catch (NonFinite e) {
            throw new IOException(e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file.getFileName() + ": unreadable checkpoint (" + e.getMessage() + ")", e);
        }
    }

    /** Loads the arrays into {@code net} (and {@code adam} if given); the best snapshot when {@code best}. */
    static State load(Path file, QatNetwork net, Adam adam, QatConfig expected) throws IOException {
        Raw raw = read(file);
        QatConfig cfg = parse(raw.header());
        if (!cfg.equals(expected)) {
            throw new IOException(file.getFileName() + " was trained as " + cfg.describe() + ", not " + expected.describe());
        }
        net.state().forEach((k, v) -> Trainer.assign(v, raw.arrays().get("net." + k)));
        if (adam != null) {
            adam.m.forEach((k, v) -> Trainer.assign(v, raw.arrays().get("adam.m." + k)));
            adam.v.forEach((k, v) -> Trainer.assign(v, raw.arrays().get("adam.v." + k)));
            adam.steps = raw.header().get("adamSteps").asInt();
        }
        Map<String, float[]> best = new LinkedHashMap<>();
        raw.arrays().forEach((k, v) -> {
            if (k.startsWith("best.")) {
                best.put(k.substring(5), v);
            }
        });
        List<Trainer.Epoch> history = new ArrayList<>();
        for (JsonNode e : raw.header().get("history")) {
            history.add(new Trainer.Epoch(e.get(0).asInt(), e.get(1).asDouble(), e.get(2).asDouble(), e.get(3).asDouble(), 0));
        }
        return new State(raw.header().get("epochsDone").asInt(), history, best.isEmpty() ? null : best,
                raw.header().get("bestEpoch").asInt(), raw.header().get("bestDice").asDouble(),
                raw.header().path("command").asText(null), raw.header().path("dataset").asText(null));
    }

    /** A network with the checkpoint's best-validation weights (for evaluating float baselines). */
    public static QatNetwork loadBest(Path file, ai.djl.ndarray.NDManager manager) throws IOException {
        QatConfig cfg = config(file);
        QatNetwork net = new QatNetwork(manager, cfg, 0);
        State s = load(file, net, null, cfg);
        if (s.best() != null) {
            Trainer.restore(net, s.best());
        }
        return net;
    }
}
