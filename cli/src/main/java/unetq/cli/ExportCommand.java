package unetq.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import unetq.files.OutputFile;
import unetq.golden.ModelFile;
import unetq.golden.QuantizedUNet;
import unetq.golden.SegmentationDataset;
import unetq.train.Checkpoint;
import unetq.train.Exporter;
import unetq.train.QatNetwork;
import unetq.train.Trainer;

/** {@code unetq export}: the integer model of a training checkpoint's best epoch (re-export without retraining). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export the best epoch of a training checkpoint (NAME.train.ckpt) as a .unetq integer model.",
        footer = {"", "Example:",
                "  unetq export --checkpoint models/em-compact-q88.train.ckpt --out models/em-compact-q88.unetq"})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT", description = "A checkpoint written by unetq train.")
    Path checkpoint;

    @Option(names = "--dataset", description = "Dataset the model was trained on (default: the one the checkpoint records).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Its folder, for the integer-vs-float check (default: the "
            + "recorded dataset's folder in ../shared/data).")
    Path data;

    @Option(names = "--threshold", defaultValue = "0.999", description = "Output threshold in (0, 1) (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .unetq model to write.")
    Path out;

    @Option(names = "--force", description = "Replace an existing --out.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Checks.range("--threshold", threshold, 0, true, 1, true);
        Checks.range("--threads", threads, 1, 256);
        if (out.getFileName() == null || !out.getFileName().toString().endsWith(".unetq")) {
            throw new UsageError("--out must name a .unetq model file");
        }
        OutputFile model = Checks.outputFile(out, force, "--out");
        Checkpoint.Info info;
        unetq.train.QatConfig cfg;
        try {
            info = Checkpoint.info(checkpoint);
            cfg = Checkpoint.config(checkpoint);
        } catch (IOException e) {
            throw new UsageError("--checkpoint: " + e.getMessage());
        }
        String recorded = info.dataset();
        if (dataset != null && !recorded.equals("unknown") && !dataset.equals(recorded)) {
            throw new UsageError("--dataset " + dataset + ": " + checkpoint.getFileName() + " was trained on " + recorded);
        }
        Path data = Datasets.folder(this.data, dataset != null ? dataset : recorded);
        String kind = Datasets.detect(data);
        if (!recorded.equals("unknown") && !kind.equals(recorded)) {
            throw new UsageError("--data " + data + " holds " + kind + " data; " + checkpoint.getFileName() + " was trained on " + recorded);
        }
        if (dataset != null && !dataset.equals(kind)) {
            throw new UsageError("--data " + data + " holds " + kind + " data, not " + dataset);
        }
        if (!cfg.quantized()) {
            throw new UsageError(checkpoint.getFileName() + " is a full-precision run: it has no integer form");
        }
        SegmentationDataset ds = Datasets.open(kind, data);
        Trainer.configureThreads(threads);
        PrintWriter o = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager()) {
            QatNetwork net;
            try {
                net = Checkpoint.loadBest(checkpoint, manager);
            } catch (IOException e) {
                throw new UsageError("--checkpoint: " + e.getMessage());
            }
            o.printf("exporting %s of %s (%s) ...%n", info.command().contains("--average-last") ? "the averaged weights"
                    : "the best epoch", checkpoint, cfg.describe());
            o.flush();
            QuantizedUNet q = Exporter.export(net, threshold);
            TrainCommand.Comparison c = TrainCommand.compare(manager, net, q, ds.validation(), o);
            Map<String, String> prov = TrainCommand.dataProvenance(ds, data);
            prov.put("command", info.command());
            prov.put("exportedWith", "unetq export --checkpoint " + checkpoint + " --data " + data + " --out " + out);
            prov.put("commit", Provenance.commit());
            c.recordIn(prov);
            model.write(ModelFile.encode(new ModelFile.Model(q, prov)));
            o.println(c.describe(threshold));
            o.printf("wrote %s (%d bytes)%n", out, Files.size(out));
            return 0;
        }
    }
}
