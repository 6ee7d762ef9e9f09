package dev.latent.runtime.settings;

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
 * @param schedule how the learning rate changes from epoch to epoch; {@code constant} by default
 * @param gradientClipping the largest L2 norm of each parameter's gradient (Keras' {@code clipnorm}, DL4J's
 *     {@code ClipL2PerParamType}); 0 for none, the default
 * @param l2 L2 penalty on the weights (not the biases), added to the loss as {@code l2 * sum(w^2) / 2}; 0 for
 *     none, the default
 * @param weightInit how the weights start; {@link WeightInit#DECLARED} (Keras' {@code glorot_uniform}) by default
 */
public record TrainingSettings(
        int epochs,
        int batchSize,
        Optimizer optimizer,
        double learningRate,
        long seed,
        double validationSplit,
        int earlyStoppingPatience,
        LearningRateSchedule schedule,
        double gradientClipping,
        double l2,
        WeightInit weightInit) {

    /** Relative improvement of the validation loss that early stopping, best.zip and the plateau schedule count. */
    public static final double MIN_RELATIVE_IMPROVEMENT = 1e-4;


    public TrainingSettings {
        require(epochs >= 1, "epochs must be at least 1, found " + epochs);
        require(batchSize >= 1, "batchSize must be at least 1, found " + batchSize);
        require(optimizer != null, "optimizer must not be null");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be greater than 0, found " + learningRate);
        require(validationSplit >= 0 && validationSplit < 1, "validationSplit must be in [0, 1), found " + validationSplit);
        require(earlyStoppingPatience >= 0, "earlyStoppingPatience must be 0 or more, found " + earlyStoppingPatience);
        require(schedule != null, "schedule must not be null");
        require(gradientClipping >= 0 && Double.isFinite(gradientClipping),
                "gradientClipping must be 0 (off) or more, found " + gradientClipping);
        require(l2 >= 0 && Double.isFinite(l2), "l2 must be 0 (off) or more, found " + l2);
        require(weightInit != null, "weightInit must not be null");
    }

    /** The settings {@code @Training} declares; the rest at their defaults (constant rate, no clipping, no L2, declared init). */
    public TrainingSettings(int epochs, int batchSize, Optimizer optimizer, double learningRate, long seed,
            double validationSplit, int earlyStoppingPatience) {
        this(epochs, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience,
                LearningRateSchedule.constant(), 0, 0, WeightInit.DECLARED);
    }

    /** The defaults of {@code @Training}: 10 epochs, batch 64, Adam 1e-3, seed 42, 10% validation, no early stopping. */
    public static TrainingSettings defaults() {
        return new TrainingSettings(10, 64, Optimizer.ADAM, 1e-3, 42L, 0.1, 0);
    }

    public TrainingSettings withEpochs(int value) {
        return new TrainingSettings(value, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience, schedule, gradientClipping, l2, weightInit);
    }

    public TrainingSettings withBatchSize(int value) {
        return new TrainingSettings(epochs, value, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience, schedule, gradientClipping, l2, weightInit);
    }

    public TrainingSettings withOptimizer(Optimizer value) {
        return new TrainingSettings(epochs, batchSize, value, learningRate, seed, validationSplit, earlyStoppingPatience, schedule, gradientClipping, l2, weightInit);
    }

    public TrainingSettings withLearningRate(double value) {
        return new TrainingSettings(epochs, batchSize, optimizer, value, seed, validationSplit, earlyStoppingPatience, schedule, gradientClipping, l2, weightInit);
    }

    public TrainingSettings withSeed(long value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, value, validationSplit, earlyStoppingPatience, schedule, gradientClipping, l2, weightInit);
    }

    public TrainingSettings withValidationSplit(double value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, seed, value, earlyStoppingPatience, schedule, gradientClipping, l2, weightInit);
    }

    public TrainingSettings withEarlyStoppingPatience(int value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, seed, validationSplit, value, schedule, gradientClipping, l2, weightInit);
    }

    public TrainingSettings withSchedule(LearningRateSchedule value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience, value, gradientClipping, l2, weightInit);
    }

    public TrainingSettings withGradientClipping(double value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience, schedule, value, l2, weightInit);
    }

    public TrainingSettings withL2(double value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience, schedule, gradientClipping, value, weightInit);
    }

    public TrainingSettings withWeightInit(WeightInit value) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience, schedule, gradientClipping, l2, value);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "epochs=%d, batchSize=%d, optimizer=%s, learningRate=%s, seed=%d, validationSplit=%s, earlyStoppingPatience=%d, "
                + "schedule=%s, gradientClipping=%s, l2=%s, weightInit=%s",
                epochs, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience, schedule,
                gradientClipping, l2, weightInit);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
