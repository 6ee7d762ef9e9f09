package dev.latent.runtime.train;

import dev.latent.runtime.Backend;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Resample;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.NativeSettings;
import dev.latent.runtime.Shape;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Permutations;
import dev.latent.runtime.data.StreamedDataset;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.NonFinite;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.noise.NoiseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    /** Relative improvement of the validation loss that early stopping and best.zip count. */
    static final double MIN_RELATIVE_IMPROVEMENT = 1e-4;
    /** File name of the checkpoint written after every epoch. */
    public static final String LAST_CHECKPOINT = "last.zip";
    /** File name of the checkpoint of the best validation loss so far. */
    public static final String BEST_CHECKPOINT = "best.zip";
    private static final Logger LOG = LoggerFactory.getLogger(DenoisingTrainer.class);

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
        Path checkpointDirectory = checkpoints;
        if (checkpointDirectory == null) {
            return run(train, validation, null);
        }
        // Two runs writing one folder would interleave their checkpoints.
        try (RunLock lock = RunLock.acquire(checkpointDirectory)) {
            return run(train, validation, checkpointDirectory);
        }
    }

    private TrainingResult run(TrainingSource train, Dataset validation, Path checkpointDirectory) {
        // Settings are read once, so a listener changing the trainer cannot change a run under way.
        TrainingSettings settings = training;
        NoiseSettings noiseSettings = noise;
        LossSettings lossSettings = loss;
        ProgressListener listener = progress;
        Checkpoint resumed = resumeFrom;
        Path resumedFile = resumeFile;
        int batchLimit = limitBatches;
        long runStart = System.nanoTime();
        if (train.streamed() && noiseSettings.resample() == Resample.ONCE) {
            throw new IllegalArgumentException("noise resampled ONCE keeps one noisy copy of the whole training set "
                    + "in memory, which streamed data " + train.description() + " cannot hold; resample it "
                    + "EVERY_EPOCH or EVERY_BATCH (the default), or load the data into memory");
        }

        if (checkpointDirectory != null) {
            try {
                Files.createDirectories(checkpointDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException(checkpointDirectory + ": cannot create the checkpoint directory ("
                        + e.getMessage() + "); choose a writable folder", e);
            }
        }
        int validationSize = validation == null ? 0 : validation.size();
        if (resumed != null) {
            Resumption.requireSameRun(network, resumed, resumedFile, train.size(), validationSize, noiseSettings,
                    lossSettings);
            if (resumed.blockSize() != train.blockSize()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the run shuffled its training data "
                        + "in blocks of %,d samples; this data is read in blocks of %,d. Resume with the same "
                        + "blockSize, or the rest of the run shuffles otherwise.", resumedFile, resumed.blockSize(),
                        train.blockSize()));
            }
        }
        Dataset evaluation = validation != null ? validation : train.whole();
        Engine engine = resumed == null
                ? Engines.create(network, settings, lossSettings)
                : Resumption.engine(network, resumedFile, settings, lossSettings);
        Denoiser model = Denoiser.of(network, engine, train.scaling());
        NoiseModel noiseModel = noiseSettings.toModel();
        Random trainRandom = Nd4j.getRandomFactory().getNewRandomInstance(settings.seed());
        Random validationRandom = Nd4j.getRandomFactory().getNewRandomInstance(settings.seed() + 1);
        // A worker only where a core is spare: the engine has just set this thread's native threads.
        NoiseAhead noiseAhead = new NoiseAhead(noiseModel, network.range(), trainRandom,
                NativeSettings.currentThreads() < Runtime.getRuntime().availableProcessors());
        try {
            INDArray evaluationClean = evaluation.features();
            INDArray evaluationNoisy = noiseModel.corrupt(evaluationClean, network.range(), validationRandom);
            Baselines baselines = Baselines.measure(evaluation, evaluationNoisy, train.mean(), lossSettings);

            int n = train.size();
            Shape shape = network.inputShape();
            // Drawn before any resume restores the generator: the static copy is the first draw of the run.
            INDArray staticNoisyRows = noiseSettings.resample() == Resample.ONCE
                    ? noiseModel.corrupt(train.whole().features(), network.range(), trainRandom).reshape('c', n, shape.size())
                    : null;
            ShufflingRandom shuffler = new ShufflingRandom(settings.seed());
            int batchSize = settings.batchSize();
            int blocks = train.blocks();
            int lastBlock = n - (blocks - 1) * train.blockSize();
            int batches = (blocks - 1) * batchesOf(train.blockSize(), batchSize) + batchesOf(lastBlock, batchSize);

            List<EpochStats> history = new ArrayList<>();
            boolean nonFinite = false;
            boolean stoppedEarly = false;
            double best = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            INDArray bestParameters = null;
            int sinceBest = 0;
            int patience = settings.earlyStoppingPatience();
            int firstEpoch = 1;
            if (resumed != null) {
                history.addAll(resumed.history());
                best = resumed.best();
                bestEpoch = resumed.bestEpoch();
                sinceBest = resumed.sinceBest();
                stoppedEarly = resumed.stoppedEarly();
                bestParameters = resumed.bestParameters() != null ? resumed.bestParameters()
                        : patience > 0 && bestEpoch == resumed.epochsDone() ? engine.parameters() : null;
                trainRandom.setStates(resumed.noiseRootState(), resumed.noiseNodeState());
                shuffler = resumed.shuffler();
                firstEpoch = resumed.epochsDone() + 1;
                LOG.info("resuming {} from {} after epoch {} of {}", network.modelName(), resumedFile,
                        resumed.epochsDone(), settings.epochs());
            }

            listener.onStart(network.modelName(), settings, n, validationSize);
            // A streamed block's arrays, and the previous block's, freed once the engine fits a batch of the next.
            List<INDArray> current = new ArrayList<>();
            List<INDArray> retired = new ArrayList<>();
            long streamedBytes = 0;
            for (int epoch = firstEpoch; epoch <= settings.epochs() && !stoppedEarly; epoch++) {
                requireNoStop(epoch, settings, checkpointDirectory);
                long epochStart = System.nanoTime();
                double learningRate = settings.schedule().rate(settings.learningRate(), epoch, settings.epochs(), history);
                engine.setLearningRate(learningRate);
                INDArray lastFinite = engine.parameters();
                double lossSum = 0;
                long seen = 0;
                int epochBatches = batchLimit > 0 ? Math.min(batches, batchLimit) : batches;
                Map<String, INDArray> beforeLastStep = null;
                Map<String, INDArray> beforeFirstStep = null;
                Map<String, INDArray> afterFirstStep = null;
                int b = 0;
                // Blocks in a shuffled order, samples shuffled within each; one block (data in
                // memory) draws nothing for the block order, so its runs are those of whole epochs.
                if (train.elsewhere() != null) {
                    // Batches trained elsewhere (a cluster) report only the epoch's sums: no update ratios.
                    beforeFirstStep = Map.of();
                    afterFirstStep = Map.of();
                    beforeLastStep = Map.of();
                    EpochBatches.Result done = train.elsewhere().train(engine,
                            new EpochBatches.Epoch(epoch, settings, noiseSettings, learningRate, batchLimit));
                    lossSum = done.lossSum();
                    seen = done.samples();
                    b = done.batches();
                    nonFinite = done.nonFinite();
                    listener.onBatch(epoch, b, epochBatches, seen > 0 ? lossSum / seen : Double.NaN);
                }
                for (int block : train.elsewhere() != null ? new int[0] : Permutations.of(blocks, shuffler)) {
                    if (b >= epochBatches || nonFinite) {
                        break;
                    }
                    // Rows of a [m, size] matrix, so one native pullRows shuffles a whole block.
                    INDArray cleanRows = train.rows(block);
                    int m = (int) cleanRows.rows();
                    long[] blockShape = shape.batchShape(m);
                    int[] order = Permutations.of(m, shuffler);
                    INDArray cleanBlock = Nd4j.pullRows(cleanRows, 1, order).reshape('c', blockShape);
                    if (train.streamed()) {
                        release(cleanRows);
                        // ND4J frees an array's native memory when the collector finds its small Java
                        // object, and JavaCPP does not count ND4J's arrays (it would collect when they
                        // filled maxbytes): without collections the native garbage of every step (noise,
                        // activations, gradients) piles up in proportion to the data trained. One each
                        // time blocks of half the heap's size have passed bounds it near the heap's size.
                        streamedBytes += cleanRows.length() * Float.BYTES;
                        if (streamedBytes >= Runtime.getRuntime().maxMemory() / 2) {
                            System.gc();
                            streamedBytes = 0;
                        }
                    }
                    INDArray noisyBlock = switch (noiseSettings.resample()) {
                        case ONCE -> Nd4j.pullRows(staticNoisyRows, 1, order).reshape('c', blockShape);
                        case EVERY_EPOCH -> noiseModel.corrupt(cleanBlock, network.range(), trainRandom);
                        case EVERY_BATCH -> null;
                    };
                    boolean noisyBlockFinite = noisyBlock != null && !NonFinite.in(noisyBlock);
                    int blockBatches = Math.min(batchesOf(m, batchSize), epochBatches - b);
                    if (noisyBlock == null) {
                        List<INDArray> cleanBatches = new ArrayList<>(blockBatches);
                        for (int k = 0; k < blockBatches; k++) {
                            cleanBatches.add(batch(cleanBlock, k, batchSize, m));
                        }
                        noiseAhead.start(cleanBatches);
                    }
                    retired.addAll(current);
                    current.clear();
                    if (train.streamed()) {
                        current.add(cleanBlock);
                        if (noisyBlock != null) {
                            current.add(noisyBlock);
                        }
                    }
                    for (int k = 0; k < blockBatches; k++, b++) {
                        requireNoStop(epoch, settings, checkpointDirectory);
                        INDArray clean = batch(cleanBlock, k, batchSize, m);
                        INDArray noisy = noisyBlock != null
                                ? batch(noisyBlock, k, batchSize, m)
                                : noiseAhead.next();
                        boolean finiteInput = noisyBlock != null
                                ? noisyBlockFinite || !NonFinite.in(noisy)
                                : noiseAhead.lastFinite();
                        if (b == 0) {
                            beforeFirstStep = engine.layerParameters();
                        }
                        if (b == epochBatches - 1) {
                            beforeLastStep = b == 0 ? beforeFirstStep : engine.layerParameters();
                        }
                        if (!finiteInput) {
                            LOG.warn("{}: the noisy input of epoch {} batch {} holds NaN or infinite values;"
                                    + " stopping with the parameters of epoch {}", network.modelName(), epoch, b + 1,
                                    epoch - 1);
                            nonFinite = true;
                            break;
                        }
                        double batchLoss = engine.fitBatch(noisy, clean);
                        // The engine may hold the last batch it fitted until it fits the next one.
                        releaseAll(retired);
                        if (train.streamed() && noisyBlock == null) {
                            retired.add(noisy);
                        }
                        if (b == 0) {
                            afterFirstStep = engine.layerParameters();
                        }
                        if (!Double.isFinite(batchLoss)) {
                            LOG.warn("{}: loss {} in epoch {} batch {}; stopping with the parameters of epoch {}",
                                    network.modelName(), batchLoss, epoch, b + 1, epoch - 1);
                            nonFinite = true;
                            break;
                        }
                        // Weighted by batch size: the last batch may be short, and Keras averages over samples.
                        long size = clean.size(0);
                        lossSum += batchLoss * size;
                        seen += size;
                        listener.onBatch(epoch, b + 1, epochBatches, lossSum / seen);
                    }
                }
                // Before the validation and the checkpoint, so that a stop waits one batch at most.
                requireNoStop(epoch, settings, checkpointDirectory);
                double fitSeconds = (System.nanoTime() - epochStart) / 1e9;
                if (!nonFinite && NonFinite.in(engine.parameters())) {
                    // A ReLU hides NaN weights from the loss: an epoch that made any ends the run here.
                    LOG.warn("{}: parameters became NaN or infinite in epoch {}; stopping with the parameters of epoch {}",
                            network.modelName(), epoch, epoch - 1);
                    nonFinite = true;
                }
                double trainLoss = nonFinite ? Double.NaN : lossSum / seen;
                double validationLoss = nonFinite
                        ? Double.NaN
                        : lossSettings.evaluate(engine.reconstruct(evaluationNoisy), evaluationClean);
                EpochHealth health = Double.isFinite(validationLoss)
                        ? HealthProbe.measure(engine, evaluationNoisy, evaluationClean, batchSize, beforeFirstStep,
                                afterFirstStep, beforeLastStep, engine.layerParameters())
                        : null;
                EpochStats stats = new EpochStats(epoch, trainLoss, validationLoss,
                        (System.nanoTime() - epochStart) / 1e9, fitSeconds > 0 ? seen / fitSeconds : 0, learningRate,
                        b, health);
                history.add(stats);
                listener.onEpoch(stats);
                if (!Double.isFinite(validationLoss)) {
                    // The last good checkpoint stays as it is: nothing is written for this epoch.
                    nonFinite = true;
                    engine.setParameters(lastFinite);
                    break;
                }
                boolean improved = validationLoss < best * (1 - MIN_RELATIVE_IMPROVEMENT);
                if (improved) {
                    best = validationLoss;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    bestParameters = patience > 0 ? engine.parameters() : null;
                } else {
                    sinceBest++;
                }
                if (patience > 0 && sinceBest >= patience && epoch < settings.epochs()) {
                    LOG.info("{}: no improvement for {} epochs; stopping after epoch {}, best epoch {}",
                            network.modelName(), sinceBest, epoch, bestEpoch);
                    stoppedEarly = true;
                }
                if (checkpointDirectory != null) {
                    // last.zip first: it alone is what a resume reads, and it must never lag behind best.zip.
                    Checkpoint state = new Checkpoint(network.modelName(), settings, noiseSettings.toString(),
                            lossSettings.toString(), n, validationSize, train.blockSize(), epoch, history, best,
                            bestEpoch, sinceBest,
                            bestEpoch == epoch ? null : bestParameters, trainRandom.rootState(), trainRandom.nodeState(),
                            shuffler, stoppedEarly);
                    model.save(checkpointDirectory.resolve(LAST_CHECKPOINT), state.entries());
                    if (improved) {
                        model.save(checkpointDirectory.resolve(BEST_CHECKPOINT));
                    }
                    LOG.debug("{}: epoch {} checkpoint written to {}", network.modelName(), epoch, checkpointDirectory);
                }
            }
            if (bestParameters != null && bestEpoch != lastGoodEpoch(history)) {
                engine.setParameters(bestParameters);
            }
            double finalValidationLoss = lossSettings.evaluate(engine.reconstruct(evaluationNoisy), evaluationClean);
            Diagnosis diagnosis = Diagnosis.diagnose(history, baselines, finalValidationLoss, nonFinite,
                    ModelFacts.of(network, settings, noiseSettings));
            String validationData = validation != null
                    ? validation.description()
                    : "none (validationSplit 0): validation losses, baselines and diagnosis measured on the training data";
            TrainingResult result = new TrainingResult(network.modelName(), settings, noiseSettings, lossSettings,
                    train.description(), n, validationData, validationSize, history,
                    baselines, finalValidationLoss, diagnosis, stoppedEarly, bestEpoch, model,
                    (System.nanoTime() - runStart) / 1e9);
            listener.onEnd(result);
            return result;
        } finally {
            // First: the worker may still be drawing from trainRandom.
            noiseAhead.close();
            close(trainRandom);
            close(validationRandom);
        }
    }

    /** Ends the run when a stop was requested: the epoch under way is dropped, the last complete one is on disk. */
    private void requireNoStop(int epoch, TrainingSettings settings, Path checkpointDirectory) {
        if (stopRequested) {
            int checkpointed = checkpointDirectory == null ? 0 : epoch - 1;
            LOG.debug("{}: stop requested; dropping epoch {}", network.modelName(), epoch);
            throw new TrainingStoppedException(network.modelName(), epoch, settings.epochs(), checkpointed,
                    checkpointDirectory);
        }
    }

    /** The training data's description, with how its values were scaled when they were. */

    private static int batchesOf(int samples, int batchSize) {
        return (samples + batchSize - 1) / batchSize;
    }

    /** Batch {@code b} of an epoch's samples: a view, no copy. */
    private static INDArray batch(INDArray epoch, int b, int batchSize, int n) {
        long from = (long) b * batchSize;
        return epoch.get(NDArrayIndex.interval(from, Math.min(n, from + batchSize)));
    }

    // The epoch whose parameters the engine holds now: the last with a finite validation loss.
    private static int lastGoodEpoch(List<EpochStats> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (Double.isFinite(history.get(i).validationLoss())) {
                return history.get(i).epoch();
            }
        }
        return 0;
    }

    private static void releaseAll(List<INDArray> arrays) {
        arrays.forEach(DenoisingTrainer::release);
        arrays.clear();
    }

    // Now rather than when the collector finds the small Java object: blocks come faster than collections.
    private static void release(INDArray array) {
        if (array.data().closeable()) {
            array.data().close();
        }
    }

    private static void close(Random random) {
        try {
            random.close();
        } catch (Exception ignored) {
            // Releasing a generator's native state cannot fail in a way a caller could act on.
        }
    }

    /** The trainer {@link #of} returns. */
    private static final class Plain extends DenoisingTrainer<Plain> {
        Plain(AutoencoderNetwork network) {
            super(network);
        }
    }
}
