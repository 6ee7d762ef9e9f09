package dev.latent.runtime.settings;

import dev.latent.dsl.Optimizer;
import java.util.stream.Collectors;

/**
 * How a model trains: immutable; change one value with a {@code with...} method. Each component is
 * a {@link TrainingSetting}, which holds its default (those of {@code @Training} for the settings
 * it declares), its range and its command-line option.
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

    /** Checks every value against its {@link TrainingSetting}'s range. */
    public TrainingSettings {
        TrainingSetting.EPOCHS.require(epochs);
        TrainingSetting.BATCH_SIZE.require(batchSize);
        TrainingSetting.OPTIMIZER.require(optimizer);
        TrainingSetting.LEARNING_RATE.require(learningRate);
        TrainingSetting.SEED.require(seed);
        TrainingSetting.VALIDATION_SPLIT.require(validationSplit);
        TrainingSetting.EARLY_STOPPING_PATIENCE.require(earlyStoppingPatience);
        TrainingSetting.SCHEDULE.require(schedule);
        TrainingSetting.GRADIENT_CLIPPING.require(gradientClipping);
        TrainingSetting.L2.require(l2);
        TrainingSetting.WEIGHT_INIT.require(weightInit);
    }

    /** The settings {@code @Training} declares; the rest at their defaults (constant rate, no clipping, no L2, declared init). */
    public TrainingSettings(int epochs, int batchSize, Optimizer optimizer, double learningRate, long seed,
            double validationSplit, int earlyStoppingPatience) {
        this(epochs, batchSize, optimizer, learningRate, seed, validationSplit, earlyStoppingPatience,
                TrainingSetting.SCHEDULE.defaultValue(), TrainingSetting.GRADIENT_CLIPPING.defaultValue(),
                TrainingSetting.L2.defaultValue(), TrainingSetting.WEIGHT_INIT.defaultValue());
    }

    /**
     * Every setting at its {@link TrainingSetting#defaultValue()}: {@code @Training}'s defaults for the settings it
     * declares, and a constant rate, no clipping, no L2 and the declared weight initialisation.
     */
    public static TrainingSettings defaults() {
        return new TrainingSettings(TrainingSetting.EPOCHS.defaultValue(), TrainingSetting.BATCH_SIZE.defaultValue(),
                TrainingSetting.OPTIMIZER.defaultValue(), TrainingSetting.LEARNING_RATE.defaultValue(),
                TrainingSetting.SEED.defaultValue(), TrainingSetting.VALIDATION_SPLIT.defaultValue(),
                TrainingSetting.EARLY_STOPPING_PATIENCE.defaultValue());
    }

    /** These settings with {@code setting} changed to {@code value}, for callers that go through every setting. */
    public <V> TrainingSettings with(TrainingSetting<V> setting, V value) {
        return setting.with(this, value);
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

    /** Every setting as {@code name=value}, in the order of the components: what a result and a report print. */
    @Override
    public String toString() {
        return TrainingSetting.all().stream().map(setting -> setting.name() + "=" + setting.valueIn(this))
                .collect(Collectors.joining(", "));
    }
}
