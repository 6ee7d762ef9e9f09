package dev.latent.runtime.train;

import dev.latent.dsl.Optimizer;
import java.util.Locale;

/**
 * How a model trains: immutable; change one value with a {@code with...} method. The defaults
 * are those of {@code @Training}.
 *
 * @param epochs passes over the training data, at least 1
 * @param batchSize samples per gradient step, at least 1
 * @param optimizer the update rule
 * @param learningRate the optimizer's step size, greater than 0
 * @param seed seed of weight initialisation, shuffling and noise
 * @param validationSplit fraction of the training data held out when no validation set is given, in [0, 1)
 * @param earlyStoppingPatience epochs without validation improvement before stopping; 0 for never
 */
public record TrainingSettings(
        int epochs,
        int batchSize,
        Optimizer optimizer,
        double learningRate,
        long seed,
        double validationSplit,
        int earlyStoppingPatience) {

    public TrainingSettings {
        require(epochs >= 1, "epochs must be at least 1, found " + epochs);
        require(batchSize >= 1, "batchSize must be at least 1, found " + batchSize);
        require(optimizer != null, "optimizer must not be null");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be greater than 0, found " + learningRate);
        require(validationSplit >= 0 && validationSplit < 1, "validationSplit must be in [0, 1), found " + validationSplit);
        require(earlyStoppingPatience >= 0, "earlyStoppingPatience must be 0 or more, found " + earlyStoppingPatience);
    }

    /** The defaults of {@code @Training}: 10 epochs, batch 64, Adam 1e-3, seed 42, 10% validation, no early stopping. */
    public static TrainingSettings defaults() {
        return new TrainingSettings(10, 64, Optimizer.ADAM, 1e-3, 42L, 0.1, 0);
    }

    public TrainingSettings withEpochs(int value) {
        return new TrainingSettings(value, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience);
    }

    public TrainingSettings withBatchSize(int value) {
        return new TrainingSettings(epochs, value, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience);
    }

    public TrainingSettings withOptimizer(Optimizer value) {
        return new TrainingSettings(epochs, batchSize, value, learningRate, seed, validationSplit, earlyStoppingPatience);
    }

    public TrainingSettings withLearningRate(double value) {
        return new TrainingSettings(epochs, batchSize, optimizer, value, seed, validationSplit, earlyStoppingPatience);
    }

    public TrainingSettings withSeed(long value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, value, validationSplit, earlyStoppingPatience);
    }

    public TrainingSettings withValidationSplit(double value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, seed, value, earlyStoppingPatience);
    }

    public TrainingSettings withEarlyStoppingPatience(int value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, seed, validationSplit, value);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "epochs=%d, batchSize=%d, optimizer=%s, learningRate=%s, seed=%d, validationSplit=%s, earlyStoppingPatience=%d",
                epochs, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
