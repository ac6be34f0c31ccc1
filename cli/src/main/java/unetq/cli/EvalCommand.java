package unetq.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import unetq.golden.Dice;
import unetq.golden.EmDataset;
import unetq.golden.ModelFile;
import unetq.golden.QuantizedUNet;
import unetq.golden.SegmentationDataset;
import unetq.train.Checkpoint;
import unetq.train.QatNetwork;
import unetq.train.Trainer;

/**
 * {@code unetq eval}: Dice of a model over a dataset folder. A {@code .unetq} model runs in the
 * integer golden model (the truth for every quantized Dice); a float {@code .ckpt} runs through
 * the training engine (the full-precision baseline).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Dice per image and mean (paper protocol) of a model over a dataset folder.",
        footer = {"", "Examples:",
                "  unetq eval --model models/em-compact-w4a6.unetq --data ../shared/data/isbi2012-em",
                "  unetq eval --model em-fp.ckpt --data ../shared/data/isbi2012-em"})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A .unetq integer model or a float .ckpt.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder laid out like ../shared/data/*.")
    Path data;

    @Option(names = "--holdout", description = "Evaluate every image of the folder (a holdout set), not the validation split.")
    boolean holdout;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch threads for float checkpoints (default ${DEFAULT-VALUE}).")
    int threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SegmentationDataset ds = Datasets.open(Datasets.detect(data), data);
        List<EmDataset.Sample> samples = holdout ? ds.all() : ds.validation();
        PrintWriter o = spec.commandLine().getOut();
        String name = model.getFileName().toString();
        double[][] dice = new double[samples.size()][];
        if (name.endsWith(".ckpt")) {
            Trainer.configureThreads(threads);
            try (NDManager manager = NDManager.newBaseManager()) {
                QatNetwork net;
                try {
                    net = Checkpoint.loadBest(model, manager);
                } catch (IOException e) {
                    throw new UsageError(e.getMessage());
                }
                o.printf("float checkpoint %s (%s), %s%n", name, net.config().describe(), holdout ? "all images" : ds.splitDescription());
                float[][][] logits = Trainer.logits(manager, net, samples);
                for (int i = 0; i < samples.size(); i++) {
                    dice[i] = new double[] {Dice.percent(Trainer.mask(logits[i], Math.log(999)), samples.get(i).label()),
                            Dice.percent(Trainer.mask(logits[i], 0), samples.get(i).label())};
                }
            }
        } else {
            ModelFile.Model m;
            try {
                m = ModelFile.read(model);
            } catch (IOException e) {
                throw new UsageError(e.getMessage());
            }
            QuantizedUNet net = m.net();
            o.printf("integer model %s (%s, W %s A %s), %s%n", name, net.topology(), net.weightFormat().paperName(),
                    net.activationFormat().paperName(), holdout ? "all images" : ds.splitDescription());
            for (int i = 0; i < samples.size(); i++) {
                QuantizedUNet.Result r = net.forward(samples.get(i).image());
                boolean[][] half = new boolean[r.mask().length][r.mask()[0].length];
                for (int y = 0; y < half.length; y++) {
                    for (int x = 0; x < half[0].length; x++) {
                        half[y][x] = r.logits().get(0, y, x) >= 0;
                    }
                }
                dice[i] = new double[] {Dice.percent(r.mask(), samples.get(i).label()), Dice.percent(half, samples.get(i).label())};
            }
        }
        double sum999 = 0;
        double sum05 = 0;
        o.printf("%-16s %12s %10s%n", "image", "Dice t=0.999", "t=0.5");
        for (int i = 0; i < samples.size(); i++) {
            o.printf("%-16s %11.2f %% %8.2f %%%n", samples.get(i).id(), dice[i][0], dice[i][1]);
            sum999 += dice[i][0];
            sum05 += dice[i][1];
        }
        o.printf("%-16s %11.2f %% %8.2f %%%n", "mean", sum999 / samples.size(), sum05 / samples.size());
        return 0;
    }
}
