package dev.latent.runtime.train;

import dev.latent.dsl.Resample;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochHealth;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.NativeSettings;
import dev.latent.runtime.settings.TrainingSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@link DenoisingTrainer#fit}: the epoch loop. Each epoch sets the schedule's learning
 * rate, fits the batches ({@link BatchLoop}), measures the validation loss and the model's inside
 * ({@link HealthProbe}), records the history, asks {@link EarlyStopping} and writes the checkpoints
 * ({@link CheckpointWriter}); NaN or infinite values end it ({@link NonFiniteGuard}). It ends with the
 * best epoch's parameters and a {@link Diagnosis} against the {@link Baselines}.
 */
final class EpochLoop {
    private static final Logger LOG = LoggerFactory.getLogger(DenoisingTrainer.class);
    private final AutoencoderNetwork network;
    private final TrainingSettings settings;
    private final NoiseSettings noiseSettings;
    private final LossSettings lossSettings;
    private final ProgressListener listener;
    private final Checkpoint resumed;
    private final Path resumedFile;
    private final int batchLimit;
    private final BooleanSupplier stopRequested;

    /**
     * @param resumed the checkpoint to resume from, read from {@code resumedFile}; null for a new run
     * @param batchLimit at most this many batches an epoch, 0 for all
     * @param stopRequested whether to end the run before its next batch
     */
    EpochLoop(AutoencoderNetwork network, TrainingSettings settings, NoiseSettings noiseSettings,
            LossSettings lossSettings, ProgressListener listener, Checkpoint resumed, Path resumedFile, int batchLimit,
            BooleanSupplier stopRequested) {
        this.network = network;
        this.settings = settings;
        this.noiseSettings = noiseSettings;
        this.lossSettings = lossSettings;
        this.listener = listener;
        this.resumed = resumed;
        this.resumedFile = resumedFile;
        this.batchLimit = batchLimit;
        this.stopRequested = stopRequested;
    }

    /**
     * Trains on {@code train}, validating on {@code validation} (null: on the training data), and
     * writes checkpoints into {@code checkpointDirectory} (null: none).
     */
    TrainingResult run(TrainingSource train, Dataset validation, Path checkpointDirectory) {
        long runStart = System.nanoTime();
        if (train.streamed() && noiseSettings.resample() == Resample.ONCE) {
            throw new IllegalArgumentException("noise resampled ONCE keeps one noisy copy of the whole training set "
                    + "in memory, which streamed data " + train.description() + " cannot hold; resample it "
                    + "EVERY_EPOCH or EVERY_BATCH (the default), or load the data into memory");
        }
        int n = train.size();
        int validationSize = validation == null ? 0 : validation.size();
        CheckpointWriter checkpointWriter = checkpointDirectory == null ? null : new CheckpointWriter(
                checkpointDirectory, network, settings, noiseSettings, lossSettings, n, validationSize,
                train.blockSize());
        if (resumed != null) {
            Resumption.requireSameRun(network, resumed, resumedFile, n, validationSize, noiseSettings, lossSettings);
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
            NonFiniteGuard guard = new NonFiniteGuard(network.modelName());
            BatchLoop batchLoop = new BatchLoop(network, train, settings.batchSize(), noiseSettings, noiseModel,
                    trainRandom, noiseAhead, guard, listener, epoch -> requireNoStop(epoch, settings, checkpointDirectory));
            batchLoop.drawStaticNoise();
            ShufflingRandom shuffler = new ShufflingRandom(settings.seed());
            EarlyStopping stopping = new EarlyStopping(network.modelName(), settings);
            List<EpochStats> history = new ArrayList<>();
            boolean nonFinite = false;
            int firstEpoch = 1;
            if (resumed != null) {
                history.addAll(resumed.history());
                stopping.resume(resumed, engine);
                trainRandom.setStates(resumed.noiseRootState(), resumed.noiseNodeState());
                shuffler = resumed.shuffler();
                firstEpoch = resumed.epochsDone() + 1;
                LOG.info("resuming {} from {} after epoch {} of {}", network.modelName(), resumedFile,
                        resumed.epochsDone(), settings.epochs());
            }

            listener.onStart(network.modelName(), settings, n, validationSize);
            for (int epoch = firstEpoch; epoch <= settings.epochs() && !stopping.stopped(); epoch++) {
                requireNoStop(epoch, settings, checkpointDirectory);
                long epochStart = System.nanoTime();
                double learningRate = settings.schedule().rate(settings.learningRate(), epoch, settings.epochs(), history);
                engine.setLearningRate(learningRate);
                INDArray lastFinite = engine.parameters();
                int epochBatches = batchLimit > 0
                        ? Math.min(batchLoop.batchesPerEpoch(), batchLimit)
                        : batchLoop.batchesPerEpoch();
                BatchLoop.Result fitted = train.elsewhere() != null
                        ? trainElsewhere(train.elsewhere(), engine, epoch, learningRate, epochBatches)
                        : batchLoop.run(engine, epoch, epochBatches, shuffler);
                nonFinite = fitted.nonFinite();
                // Before the validation and the checkpoint, so that a stop waits one batch at most.
                requireNoStop(epoch, settings, checkpointDirectory);
                double fitSeconds = (System.nanoTime() - epochStart) / 1e9;
                nonFinite = nonFinite || guard.parametersStop(engine, epoch);
                double trainLoss = nonFinite ? Double.NaN : fitted.lossSum() / fitted.samples();
                double validationLoss = nonFinite
                        ? Double.NaN
                        : lossSettings.evaluate(engine.reconstruct(evaluationNoisy), evaluationClean);
                EpochHealth health = Double.isFinite(validationLoss)
                        ? HealthProbe.measure(engine, evaluationNoisy, evaluationClean, settings.batchSize(),
                                fitted.beforeFirstStep(), fitted.afterFirstStep(), fitted.beforeLastStep(),
                                engine.layerParameters())
                        : null;
                EpochStats stats = new EpochStats(epoch, trainLoss, validationLoss,
                        (System.nanoTime() - epochStart) / 1e9, fitSeconds > 0 ? fitted.samples() / fitSeconds : 0,
                        learningRate, fitted.batches(), health);
                history.add(stats);
                listener.onEpoch(stats);
                if (!Double.isFinite(validationLoss)) {
                    // The last good checkpoint stays as it is: nothing is written for this epoch.
                    nonFinite = true;
                    engine.setParameters(lastFinite);
                    break;
                }
                boolean improved = stopping.record(epoch, validationLoss, engine);
                if (checkpointWriter != null) {
                    checkpointWriter.write(model, epoch, history, stopping, improved, trainRandom, shuffler);
                }
            }
            stopping.restoreBest(engine, history);
            double finalValidationLoss = lossSettings.evaluate(engine.reconstruct(evaluationNoisy), evaluationClean);
            Diagnosis diagnosis = Diagnosis.diagnose(history, baselines, finalValidationLoss, nonFinite,
                    ModelFacts.of(network, settings, noiseSettings));
            String validationData = validation != null
                    ? validation.description()
                    : "none (validationSplit 0): validation losses, baselines and diagnosis measured on the training data";
            TrainingResult result = new TrainingResult(network.modelName(), settings, noiseSettings, lossSettings,
                    train.description(), n, validationData, validationSize, history,
                    baselines, finalValidationLoss, diagnosis, stopping.stopped(), stopping.bestEpoch(), model,
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

    /** One epoch trained elsewhere (a cluster), which reports only its sums: no update ratios. */
    private BatchLoop.Result trainElsewhere(EpochBatches elsewhere, Engine engine, int epoch, double learningRate,
            int epochBatches) {
        EpochBatches.Result done = elsewhere.train(engine,
                new EpochBatches.Epoch(epoch, settings, noiseSettings, learningRate, batchLimit));
        listener.onBatch(epoch, done.batches(), epochBatches,
                done.samples() > 0 ? done.lossSum() / done.samples() : Double.NaN);
        return new BatchLoop.Result(done.lossSum(), done.samples(), done.batches(), done.nonFinite(), Map.of(), Map.of(),
                Map.of());
    }

    /** Ends the run when a stop was requested: the epoch under way is dropped, the last complete one is on disk. */
    private void requireNoStop(int epoch, TrainingSettings settings, Path checkpointDirectory) {
        if (stopRequested.getAsBoolean()) {
            int checkpointed = checkpointDirectory == null ? 0 : epoch - 1;
            LOG.debug("{}: stop requested; dropping epoch {}", network.modelName(), epoch);
            throw new TrainingStoppedException(network.modelName(), epoch, settings.epochs(), checkpointed,
                    checkpointDirectory);
        }
    }

    private static void close(Random random) {
        try {
            random.close();
        } catch (Exception ignored) {
            // Releasing a generator's native state cannot fail in a way a caller could act on.
        }
    }
}
