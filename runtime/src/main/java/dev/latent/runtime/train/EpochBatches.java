package dev.latent.runtime.train;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training data whose epochs train somewhere else than the trainer's own batch loop: on a
 * cluster, say, with replicas of the engine that each train on their share of the data. The
 * trainer keeps the rest of the run (the learning-rate schedule, validation, history, early
 * stopping, checkpoints, the diagnosis and the result), exactly as for data in memory; see
 * {@link DenoisingTrainer#fit(EpochBatches, dev.latent.runtime.data.Dataset)}.
 */
public interface EpochBatches {

    /** Training samples in all. */
    int size();

    /** The shape of one sample, checked against the network's input. */
    Shape sampleShape();

    /** The range the samples are scaled to, checked against the network's. */
    DataRange range();

    /** The mean training sample, shape {@code sampleShape().batchShape(1)}: the mean-image baseline. */
    INDArray mean();

    /** How the samples were scaled, kept with the trained model. */
    Scaling scaling();

    /** Where the data came from, for reports and messages. */
    String description();

    /**
     * Trains one epoch, starting from {@code engine}'s parameters and optimizer state (its learning
     * rate already set for the epoch), and leaves {@code engine} holding the state the epoch ends
     * with.
     */
    Result train(Engine engine, Epoch epoch);

    /**
     * One epoch's request.
     *
     * @param number the epoch, from 1: seeds of its shuffle and noise derive from it and the run's seed
     * @param learningRate the rate the schedule set for this epoch, already set on the engine
     * @param batchLimit at most this many batches, 0 for all
     */
    record Epoch(int number, TrainingSettings settings, NoiseSettings noise, double learningRate, int batchLimit) {}

    /**
     * What one epoch did.
     *
     * @param lossSum each batch's loss (before its step) times its samples, summed
     * @param samples the samples trained
     * @param batches the global steps taken
     * @param nonFinite whether a loss or a noisy input was NaN or infinite, which stops the run
     */
    record Result(double lossSum, long samples, int batches, boolean nonFinite) {}
}
