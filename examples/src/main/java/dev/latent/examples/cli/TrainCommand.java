package dev.latent.examples.cli;

import dev.latent.examples.report.TrainingReport;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.StreamedDataset;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.RunLock;
import dev.latent.runtime.train.TrainingResult;
import dev.latent.runtime.train.TrainingStoppedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code train MODEL}: trains any compiled model and saves it with its report. */
@Command(name = "train", sortOptions = false,
        description = {"Trains any compiled model and saves it to DIR/model.zip with a report, and a checkpoint "
                + "every epoch in DIR/checkpoints.",
            "Ctrl-C or a TERM signal stops it at the next batch, keeping the last whole epoch's checkpoint; "
                + "--resume DIR continues from there. A second run on the same DIR is refused while one trains."})
final class TrainCommand implements Callable<Integer> {
    /** The exit code of a run stopped by a signal, as a shell reports Ctrl-C. */
    static final int STOPPED = 130;

    // Deliberately the same fields in every command: picocli injects the root and mixes in -h per
    // command class, and each command declares its own options so its source reads as its --help.
    @ParentCommand
    LatentCommand root;

    @Mixin
    HelpOption help;

    @Mixin
    ModelParameter model;

    @Option(names = "--data", paramLabel = "PATH", defaultValue = "mnist",
            description = "mnist (the embedded digits, the default), fashion-mnist, an IDX file (.gz or raw), a .npy "
                    + "file, a .csv file (a row per sample; for a {T, F} model, windows of T rows every --stride "
                    + "rows of the --columns named), or a folder of PNG/JPEG images")
    String data;

    @Mixin
    TrainOptions training;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the run whose checkpoints are in DIR (or DIR/checkpoints); flags given override "
                    + "the checkpoint's settings")
    Path resume;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "latent-run",
            description = "the run's folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--master", paramLabel = "URL",
            description = "train on Apache Spark: local[N] (N executor threads), local[N,F] (F tries a task), "
                    + "spark://HOST:PORT, yarn, k8s://...; the epochs run on Spark's executors, the rest as here "
                    + "(see docs/spark.md)")
    String master;

    @Option(names = "--partitions", paramLabel = "N", converter = Converters.AtLeastOne.class,
            description = "with --master: the replicas, one task each an epoch (default: Spark's parallelism)")
    Integer partitions;

    @Option(names = "--column", paramLabel = "NAME", defaultValue = "features",
            description = "with --master and a .parquet --data: the array column holding the samples "
                    + "(default: ${DEFAULT-VALUE})")
    String column;

    @Option(names = "--stride", paramLabel = "N", converter = Converters.AtLeastOne.class, defaultValue = "1",
            description = "CSV windows: a window every N rows (default: ${DEFAULT-VALUE})")
    int stride;

    @Option(names = "--columns", paramLabel = "COLUMN", split = ",",
            description = "CSV windows: the columns to read (default: all)")
    List<String> columns = new ArrayList<>();

    @Override
    public Integer call() {
        AutoencoderNetwork network = root.locate(model.name);
        root.configureThreads();
        DenoisingTrainer<?> trainer = DenoisingTrainer.of(network);
        Path checkpoints = resume != null ? TrainOptions.checkpointDirectory(resume) : out.resolve("checkpoints");
        // The checkpoint's settings first, so that flags given with --resume override them.
        if (resume != null) {
            trainer.resume(checkpoints);
        } else {
            trainer.checkpoints(checkpoints);
        }
        training.apply(trainer);
        // Refused before any data is read when another run writes the folder; the trainer locks its
        // checkpoint folder itself, so a folder that is both is locked once.
        try (RunLock lock = sameFolder(checkpoints, out) ? null : RunLock.acquire(out);
                StopOnSignal stop = StopOnSignal.install(trainer)) {
            return train(network, trainer);
        }
    }

    private static boolean sameFolder(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private int train(AutoencoderNetwork network, DenoisingTrainer<?> trainer) {
        if (master != null) {
            return trainOnSpark(network, trainer);
        }
        PrintStream print = root.out;
        Optional<StreamedDataset> streamed = DataSources.streamIfLarge(data, network.range(), network.inputShape(),
                Runtime.getRuntime().maxMemory());
        // Split here rather than in the trainer, so that the scaling is fitted on the training part alone.
        DataSources.TrainTest sets = streamed.isPresent() ? null : DataSources.load(data, network.range(),
                network.inputShape(), trainer.training().validationSplit(), new DataSources.Windows(stride, columns));
        print.println(network.summary());
        TrainingResult result;
        Dataset validation;
        try {
            if (streamed.isPresent()) {
                if (!(trainer.training().validationSplit() > 0)) {
                    throw new UsageException(data + " is streamed from disk, being larger than a quarter of the "
                            + "heap, and needs a --validation-split above 0 to validate on");
                }
                StreamedDataset.Split parts = streamed.get().splitLast(trainer.training().validationSplit());
                validation = parts.validation().load();
                print.println("streaming " + parts.train().description());
                result = trainer.fit(parts.train(), validation);
            } else {
                result = sets.test() == null ? trainer.fit(sets.train()) : trainer.fit(sets.train(), sets.test());
                validation = sets.test() != null ? sets.test() : sets.train().tail(Math.max(1,
                        (int) Math.round(sets.train().size() * result.training().validationSplit())));
            }
        } catch (TrainingStoppedException e) {
            root.err.println("latent: " + stopped(e));
            return STOPPED;
        }
        return finish(network, result, validation);
    }

    private int trainOnSpark(AutoencoderNetwork network, DenoisingTrainer<?> trainer) {
        root.out.println(network.summary());
        try {
            SparkRun.Outcome outcome = SparkRun.train(network, trainer, master, partitions, data, column,
                    new DataSources.Windows(stride, columns), root.out);
            return finish(network, outcome.result(), outcome.validation());
        } catch (TrainingStoppedException e) {
            root.err.println("latent: " + stopped(e));
            return STOPPED;
        }
    }

    private int finish(AutoencoderNetwork network, TrainingResult result, Dataset validation) {
        PrintStream print = root.out;
        Path modelFile = out.resolve("model.zip");
        result.model().save(modelFile);
        try {
            TrainingReport.write(out, result, network.summary(), validation);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the report: " + e.getMessage(), e);
        }
        print.println(result);
        print.println("saved " + modelFile + "; report " + out.resolve(TrainingReport.INDEX));
        return 0;
    }

    /** What a stopped run says: where it stopped, what is kept, and how to go on. */
    private static String stopped(TrainingStoppedException e) {
        String where = "training stopped by a signal in epoch " + e.epoch() + " of " + e.epochs();
        return e.checkpoints().map(dir -> {
            // A run's checkpoints are in DIR/checkpoints, and --resume DIR finds them there.
            Path resumeArgument = dir.getFileName() != null && dir.getFileName().toString().equals("checkpoints")
                    && dir.getParent() != null ? dir.getParent() : dir;
            return where + "; kept the checkpoint of epoch " + e.checkpointedEpoch() + " in "
                    + dir.resolve(DenoisingTrainer.LAST_CHECKPOINT) + ": continue with the same command and --resume "
                    + resumeArgument;
        }).orElse(where + ", before any epoch was complete: there is no checkpoint to continue from");
    }
}
