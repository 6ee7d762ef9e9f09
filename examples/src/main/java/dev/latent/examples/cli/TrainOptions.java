package dev.latent.examples.cli;

import dev.latent.dsl.Optimizer;
import dev.latent.runtime.settings.LearningRateSchedule;
import dev.latent.runtime.settings.WeightInit;
import dev.latent.runtime.train.DenoisingTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code train} command's overrides of the model's {@code @Training} values, one flag each. */
final class TrainOptions {
    @Option(names = "--epochs", paramLabel = "N", converter = Converters.AtLeastOne.class,
            description = "passes over the training data (default: the model's @Training)")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", converter = Converters.AtLeastOne.class,
            description = "samples per gradient step")
    Integer batchSize;

    @Option(names = "--learning-rate", paramLabel = "X", converter = Converters.Positive.class,
            description = "the optimizer's step size")
    Double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", converter = Converters.OptimizerName.class,
            completionCandidates = Converters.Optimizers.class, description = "one of ${COMPLETION-CANDIDATES}")
    Optimizer optimizer;

    @Option(names = "--seed", paramLabel = "N", converter = Converters.Seed.class,
            description = "the seed of the weights, the noise and the shuffling")
    Long seed;

    @Option(names = "--validation-split", paramLabel = "X", converter = Converters.Fraction.class,
            description = "the share of the data held out to validate on, at least 0 and below 1")
    Double validationSplit;

    @Option(names = "--patience", paramLabel = "N", converter = Converters.AtLeastZero.class,
            description = "early stopping: epochs without improvement before the run stops; 0 for none")
    Integer patience;

    @Option(names = "--schedule", paramLabel = "S", converter = Converters.Schedule.class,
            description = "the learning rate over the epochs: constant, step:EVERY:FACTOR, exponential:GAMMA, "
                    + "cosine[:MIN], plateau:PATIENCE:FACTOR[:MIN]")
    LearningRateSchedule schedule;

    @Option(names = "--clip", paramLabel = "X", converter = Converters.NonNegative.class,
            description = "largest gradient norm; 0 for no clipping")
    Double clip;

    @Option(names = "--l2", paramLabel = "X", converter = Converters.NonNegative.class,
            description = "L2 weight decay; 0 for none")
    Double l2;

    @Option(names = "--weight-init", paramLabel = "NAME", converter = Converters.WeightInitName.class,
            completionCandidates = Converters.WeightInits.class, description = "one of ${COMPLETION-CANDIDATES}")
    WeightInit weightInit;

    @Option(names = "--limit-batches", paramLabel = "N", converter = Converters.AtLeastOne.class,
            description = "train at most N batches an epoch: a quick check that a model runs end to end")
    Integer limitBatches;

    /** Applies every training flag given to {@code trainer}. */
    void apply(DenoisingTrainer<?> trainer) {
        if (epochs != null) {
            trainer.epochs(epochs);
        }
        if (batchSize != null) {
            trainer.batchSize(batchSize);
        }
        if (learningRate != null) {
            trainer.learningRate(learningRate);
        }
        if (optimizer != null) {
            trainer.optimizer(optimizer);
        }
        if (seed != null) {
            trainer.seed(seed);
        }
        if (validationSplit != null) {
            trainer.validationSplit(validationSplit);
        }
        if (patience != null) {
            trainer.earlyStoppingPatience(patience);
        }
        if (limitBatches != null) {
            trainer.limitBatches(limitBatches);
        }
        if (schedule != null) {
            trainer.schedule(schedule);
        }
        if (clip != null) {
            trainer.gradientClipping(clip);
        }
        if (l2 != null) {
            trainer.l2(l2);
        }
        if (weightInit != null) {
            trainer.weightInit(weightInit);
        }
    }

    /** The checkpoint folder of {@code --resume DIR}: DIR itself, or DIR/checkpoints when DIR is a run's output folder. */
    static Path checkpointDirectory(Path dir) {
        Path nested = dir.resolve("checkpoints");
        if (!Files.exists(dir.resolve(DenoisingTrainer.LAST_CHECKPOINT))
                && Files.exists(nested.resolve(DenoisingTrainer.LAST_CHECKPOINT))) {
            return nested;
        }
        return dir;
    }
}
