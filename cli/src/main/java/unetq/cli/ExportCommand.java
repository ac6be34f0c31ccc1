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
                "  unetq export --checkpoint models/em-compact-q88.train.ckpt --dataset em --data ../shared/data/isbi2012-em \\",
                "               --out models/em-compact-q88.unetq"})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT", description = "A checkpoint written by unetq train.")
    Path checkpoint;

    @Option(names = "--dataset", required = true, description = "Dataset the model was trained on (em, gm, pancreas).")
    String dataset;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Its folder, for the integer-vs-float check.")
    Path data;

    @Option(names = "--threshold", defaultValue = "0.999", description = "Output threshold (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .unetq model to write.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!out.getFileName().toString().endsWith(".unetq")) {
            throw new UsageError("--out must name a .unetq model file");
        }
        SegmentationDataset ds = Datasets.open(dataset, data);
        Trainer.configureThreads(1);
        PrintWriter o = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager()) {
            QatNetwork net;
            Checkpoint.Info info;
            try {
                net = Checkpoint.loadBest(checkpoint, manager);
                info = Checkpoint.info(checkpoint);
            } catch (IOException e) {
                throw new UsageError(e.getMessage());
            }
            if (!net.config().quantized()) {
                throw new UsageError(checkpoint.getFileName() + " is a full-precision run: it has no integer form");
            }
            QuantizedUNet q = Exporter.export(net, threshold);
            TrainCommand.Comparison c = TrainCommand.compare(manager, net, q, ds.validation());
            Map<String, String> prov = TrainCommand.dataProvenance(ds, data);
            prov.put("command", info.command());
            prov.put("trainingSeconds", info.seconds());
            prov.put("exportedWith", "unetq export --checkpoint " + checkpoint + " --dataset " + dataset + " --data " + data
                    + " --out " + out);
            prov.put("commit", Provenance.commit());
            c.recordIn(prov);
            ModelFile.write(new ModelFile.Model(q, prov), out);
            o.println(c.describe(threshold));
            o.printf("wrote %s (%d bytes)%n", out, Files.size(out));
            return 0;
        }
    }
}
