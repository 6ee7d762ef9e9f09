package dev.latent.runtime.train;

import dev.latent.dsl.DataRange;
import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Resample;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.StreamedDataset;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.LearningRateSchedule;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import dev.latent.runtime.settings.WeightInit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Trains a denoising autoencoder: each batch's input is a corrupted copy of the clean samples,
 * and the loss scores the reconstruction against the clean ones. Starts from the network's
 * declared settings; every one can be overridden fluently before {@link #fit}.
 *
 * <pre>{@code
 * TrainingResult result = new ConvDenoiserTrainer().epochs(3).batchSize(128).fit(mnist);
 * Denoiser model = result.model();
 * }</pre>
 *
 * <p>A run is reproducible from its seed: the seed fixes the initial weights, the order of the
 * samples in every epoch, the training noise, and (as {@code seed + 1}) the fixed noise of the
 * validation copy. Each run uses its own random generators, never ND4J's global one.
 *
 * <p>Every epoch records its mean training loss (each batch scored before its update, as Keras
 * reports it) and the loss on a fixed noisy copy of the validation data. The run stops at once on
 * a NaN or infinite loss, keeping the parameters of the last finite epoch. With early stopping it
 * stops after {@code earlyStoppingPatience} epochs without an improvement of the validation loss
 * by at least 1e-4 of its value, and returns the best epoch's parameters. It ends with a
 * {@link Diagnosis} against the identity and mean-image {@link Baselines}.
 *
 * @param <T> the concrete trainer, so that a generated {@code XTrainer extends
 *     DenoisingTrainer<XTrainer>} keeps its own type through the fluent calls
 */
public class DenoisingTrainer<T extends DenoisingTrainer<T>> {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    /** File name of the checkpoint written after every epoch. */
    public static final String LAST_CHECKPOINT = "last.zip";
    /** File name of the checkpoint of the best validation loss so far. */
    public static final String BEST_CHECKPOINT = "best.zip";

    private final AutoencoderNetwork network;
    private TrainingSettings training;
    private NoiseSettings noise;
    private LossSettings loss;
    private ProgressListener progress;
    private Path checkpoints;
    private Checkpoint resumeFrom;
    private int limitBatches;
    private Path resumeFile;
    // Set from another thread (a signal's shutdown hook, a UI); read between batches.
    private volatile boolean stopRequested;

    /** A trainer for {@code network}, starting from its declared training, noise and loss settings. */
    protected DenoisingTrainer(AutoencoderNetwork network) {
        this.network = Objects.requireNonNull(network, "network");
        this.training = Objects.requireNonNull(network.training(), "network.training()");
        this.noise = Objects.requireNonNull(network.noise(), "network.noise()");
        this.loss = Objects.requireNonNull(network.loss(), "network.loss()");
        this.progress = new ConsoleProgress(System.out);
    }

    /** A trainer for any network, for callers that hold no generated trainer class (the CLI). */
    public static DenoisingTrainer<?> of(AutoencoderNetwork network) {
        return new Plain(network);
    }

    /** The network being trained. */
    public AutoencoderNetwork network() {
        return network;
    }

    /** The training settings a {@link #fit} would use now. */
    public TrainingSettings training() {
        return training;
    }

    /** The noise a {@link #fit} would use now. */
    public NoiseSettings noise() {
        return noise;
    }

    /** The loss a {@link #fit} would use now. */
    public LossSettings loss() {
        return loss;
    }

    /** The listener that follows a run. */
    public ProgressListener progress() {
        return progress;
    }

    /** The checkpoint directory, or null for none. */
    public Path checkpoints() {
        return checkpoints;
    }

    /** Passes over the training data; at least 1. */
    public T epochs(int epochs) {
        return training(training.withEpochs(epochs));
    }

    /** Samples per gradient step; at least 1. */
    public T batchSize(int batchSize) {
        return training(training.withBatchSize(batchSize));
    }

    /** The update rule. */
    public T optimizer(Optimizer optimizer) {
        return training(training.withOptimizer(optimizer));
    }

    /** The optimizer's step size; greater than 0. */
    public T learningRate(double learningRate) {
        return training(training.withLearningRate(learningRate));
    }

    /** Seed of weight initialisation, shuffling and noise. */
    public T seed(long seed) {
        return training(training.withSeed(seed));
    }

    /**
     * Fraction of the training data held out, from its end, when {@link #fit(Dataset)} gets no
     * validation set; 0 for none (then losses and the diagnosis are measured on the training data).
     */
    public T validationSplit(double validationSplit) {
        return training(training.withValidationSplit(validationSplit));
    }

    /** Epochs without validation improvement before stopping; 0 turns early stopping off. */
    public T earlyStoppingPatience(int patience) {
        return training(training.withEarlyStoppingPatience(patience));
    }

    /** How the learning rate changes from epoch to epoch; {@link LearningRateSchedule#constant()} by default. */
    public T schedule(LearningRateSchedule schedule) {
        return training(training.withSchedule(schedule));
    }

    /** Clips each parameter's gradient to this L2 norm (Keras' {@code clipnorm}); 0 turns clipping off. */
    public T gradientClipping(double maxNorm) {
        return training(training.withGradientClipping(maxNorm));
    }

    /** L2 penalty on the weights; 0 turns it off. */
    public T l2(double l2) {
        return training(training.withL2(l2));
    }

    /** How the weights start; {@link WeightInit#DECLARED} keeps the network's own. */
    public T weightInit(WeightInit weightInit) {
        return training(training.withWeightInit(weightInit));
    }

    /**
     * Continues the run whose checkpoints are in {@code directory}, from its {@value #LAST_CHECKPOINT}:
     * parameters, optimizer state, epochs run and their history, early stopping's state, and the
     * shuffling and noise generators, so that it ends as the uninterrupted run would have. Takes
     * the checkpoint's training settings now; a setting changed after this call (say
     * {@code epochs}, to train longer) applies to the rest of the run. Checkpoints go on being
     * written to {@code directory}. {@link #fit} must get the same data, noise and loss.
     *
     * @throws IllegalArgumentException if {@code directory} holds no readable checkpoint of this model
     */
    public T resume(Path directory) {
        // A run's output folder holds its checkpoints in checkpoints/: either folder may be given.
        Path nested = directory.resolve("checkpoints");
        if (!Files.exists(directory.resolve(LAST_CHECKPOINT)) && Files.exists(nested.resolve(LAST_CHECKPOINT))) {
            directory = nested;
        }
        Path last = directory.resolve(LAST_CHECKPOINT);
        if (!Files.isRegularFile(last)) {
            throw new IllegalArgumentException("no checkpoint to resume from in " + directory + ": neither " + last
                    + " nor " + nested.resolve(LAST_CHECKPOINT) + " exists; a run writes " + LAST_CHECKPOINT
                    + " into its checkpoint folder after its first epoch");
        }
        Checkpoint checkpoint = Checkpoint.read(last);
        if (!checkpoint.modelName().equals(network.modelName())) {
            throw new IllegalArgumentException(last + ": a checkpoint of " + checkpoint.modelName() + ", not of "
                    + network.modelName() + "; resume with the model that wrote it");
        }
        Resumption.removeScratchFiles(directory);
        this.resumeFrom = checkpoint;
        this.resumeFile = last;
        this.checkpoints = directory;
        return training(checkpoint.settings());
    }

    /**
     * Trains at most {@code batches} batches per epoch, as Lightning's {@code limit_train_batches}:
     * a quick check that a model runs end to end ({@code epochs(1).limitBatches(1)} is its
     * {@code fast_dev_run}). 0, the default, trains every batch. Not part of a checkpoint.
     */
    public T limitBatches(int batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("limitBatches must be 0 (all) or more, found " + batches);
        }
        this.limitBatches = batches;
        return self();
    }

    /** Replaces every training setting. */
    public T training(TrainingSettings training) {
        this.training = Objects.requireNonNull(training, "training");
        return self();
    }

    /** Replaces the noise. */
    public T noise(NoiseSettings noise) {
        this.noise = Objects.requireNonNull(noise, "noise");
        return self();
    }

    /** Replaces the loss. */
    public T loss(LossSettings loss) {
        this.loss = Objects.requireNonNull(loss, "loss");
        return self();
    }

    /** Replaces the progress display (by default a {@link ConsoleProgress} on {@code System.out}). */
    public T progress(ProgressListener progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return self();
    }

    /**
     * Writes {@value #LAST_CHECKPOINT} after every epoch and {@value #BEST_CHECKPOINT} whenever the
     * validation loss improves, into {@code directory} (created if missing); null for none. A run
     * holds a {@link RunLock} on the directory while it trains, and a second run on it is refused.
     */
    public T checkpoints(Path directory) {
        this.checkpoints = directory;
        return self();
    }

    /**
     * Asks the run under way, or the next one, to stop at the next batch boundary: {@link #fit}
     * then throws {@link TrainingStoppedException}, with the last complete epoch's checkpoint on
     * disk. Safe to call from any thread; a stopped trainer stays stopped.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** No progress output. */
    public T quiet() {
        return progress(ProgressListener.silent());
    }

    /**
     * Trains on {@code train}, holding out its last {@code validationSplit} for validation as
     * Keras does; with a split of 0 there is no validation set and the training data stands in.
     *
     * @throws IllegalArgumentException if the data's sample shape or range is not the network's
     */
    public TrainingResult fit(Dataset train) {
        requireFits(train, "training");
        if (training.validationSplit() > 0) {
            Dataset.Split split = train.splitLast(training.validationSplit());
            return run(TrainingSource.of(split.train()), split.validation());
        }
        return run(TrainingSource.of(train), null);
    }

    /**
     * Trains on {@code train} and validates on {@code validation}; {@code validationSplit} is
     * ignored, as Keras ignores it given {@code validation_data}.
     *
     * @throws IllegalArgumentException if either data set's sample shape or range is not the network's
     */
    public TrainingResult fit(Dataset train, Dataset validation) {
        requireFits(train, "training");
        requireFits(Objects.requireNonNull(validation, "validation"), "validation");
        return run(TrainingSource.of(train), validation);
    }

    /**
     * Trains on data streamed from disk a block at a time, holding out its last
     * {@code validationSplit}, which is loaded into memory to validate on (so keep it small enough
     * to fit). Each epoch shuffles the order of the blocks and the samples within each block.
     *
     * @throws IllegalArgumentException if the data's sample shape or range is not the network's,
     *     {@code validationSplit} is 0, or the noise is resampled {@code ONCE}
     */
    public TrainingResult fit(StreamedDataset train) {
        requireFits(Objects.requireNonNull(train, "training data").sampleShape(), train.range(), train.description(),
                "training");
        if (!(training.validationSplit() > 0)) {
            throw new IllegalArgumentException("streamed training data " + train.description() + " needs validation "
                    + "data, on which losses and the diagnosis are measured in memory: set validationSplit above 0, "
                    + "or call fit(train, validation)");
        }
        StreamedDataset.Split split = train.splitLast(training.validationSplit());
        return run(TrainingSource.of(split.train()), split.validation().load());
    }

    /**
     * Trains on data streamed from disk a block at a time and validates on {@code validation}, held
     * in memory; {@code validationSplit} is ignored.
     *
     * @throws IllegalArgumentException if either data set's sample shape or range is not the
     *     network's, or the noise is resampled {@code ONCE}
     */
    public TrainingResult fit(StreamedDataset train, Dataset validation) {
        requireFits(Objects.requireNonNull(train, "training data").sampleShape(), train.range(), train.description(),
                "training");
        requireFits(Objects.requireNonNull(validation, "validation"), "validation");
        return run(TrainingSource.of(train), validation);
    }

    /**
     * Trains on data whose epochs {@code train} runs elsewhere (on a cluster: see the
     * {@code latent-spark} module) and validates here on {@code validation}, held in memory; the
     * schedule, validation, history, early stopping, checkpoints and diagnosis are this trainer's,
     * as for data in memory. {@code validationSplit} is ignored.
     *
     * @throws IllegalArgumentException if either data set's sample shape or range is not the
     *     network's, or the noise is resampled {@code ONCE}
     */
    public TrainingResult fit(EpochBatches train, Dataset validation) {
        requireFits(Objects.requireNonNull(train, "training data").sampleShape(), train.range(), train.description(),
                "training");
        requireFits(Objects.requireNonNull(validation, "validation"), "validation");
        if (noise.resample() == Resample.ONCE) {
            throw new IllegalArgumentException("noise resampled ONCE keeps one noisy copy of the whole training set, "
                    + "which data trained elsewhere (" + train.description() + ") does not have here; resample it "
                    + "EVERY_EPOCH or EVERY_BATCH (the default)");
        }
        return run(TrainingSource.of(train), validation);
    }

    @SuppressWarnings("unchecked") // T is this class's own type by the declaration's contract.
    private T self() {
        return (T) this;
    }

    private void requireFits(Dataset data, String role) {
        Objects.requireNonNull(data, role + " data");
        requireFits(data.sampleShape(), data.range(), data.description(), role);
    }

    private void requireFits(Shape sampleShape, DataRange range, String description, String role) {
        Shape expected = network.inputShape();
        if (!sampleShape.equals(expected)) {
            String fix = sampleShape.size() == expected.size()
                    ? "; the sizes agree, so reshape it: dataset.reshape(Shape.of(" + expected.toString().replaceAll("[{}]", "") + "))"
                    : "; they hold different numbers of values (" + sampleShape.size() + " and " + expected.size() + ")";
            throw new IllegalArgumentException(role + " data " + description + " holds samples of shape "
                    + sampleShape + ", but " + network.modelName() + " takes " + expected + fix);
        }
        if (range != network.range()) {
            throw new IllegalArgumentException(role + " data " + description + " is scaled to range "
                    + range + ", but " + network.modelName() + " is declared for " + network.range()
                    + " (@Autoencoder.range); load the data scaled to " + network.range());
        }
    }

    private TrainingResult run(TrainingSource train, Dataset validation) {
        // Settings are read once, so a listener changing the trainer cannot change a run under way.
        EpochLoop run = new EpochLoop(network, training, noise, loss, progress, resumeFrom, resumeFile, limitBatches,
                () -> stopRequested);
        Path checkpointDirectory = checkpoints;
        if (checkpointDirectory == null) {
            return run.run(train, validation, null);
        }
        // Two runs writing one folder would interleave their checkpoints.
        try (RunLock lock = RunLock.acquire(checkpointDirectory)) {
            return run.run(train, validation, checkpointDirectory);
        }
    }

    /** The trainer {@link #of} returns. */
    private static final class Plain extends DenoisingTrainer<Plain> {
        Plain(AutoencoderNetwork network) {
            super(network);
        }
    }
}
