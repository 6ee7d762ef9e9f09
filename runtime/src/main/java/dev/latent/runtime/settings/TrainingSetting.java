package dev.latent.runtime.settings;

import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Training;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One training setting, declared once. {@link TrainingSettings} checks its values with the
 * setting's {@link #range()} and starts from its {@link #defaultValue()}; the command line's
 * {@code train} adds one option per setting from its {@link #flag()}, {@link #valueLabel()},
 * range and {@link #description()}; the docs' tables of settings are written from the same
 * fields, and a test compares them.
 *
 * <p>The defaults of the settings {@code @Training} declares are read from the annotation's own
 * defaults, so that the annotation stays the one place they are written. Java cannot derive
 * methods, so {@link TrainingSettings}' components and {@code with} methods and the trainer's
 * setters are still written out; {@code TrainingSettingTest} fails when one of them, or an
 * attribute of {@code @Training}, has no setting here.
 *
 * @param <T> the type of the setting's value
 */
public final class TrainingSetting<T> {

    /** Passes over the training data. */
    public static final TrainingSetting<Integer> EPOCHS = declared("epochs", "--epochs", "N", Integer.class,
            Range.atLeast(1), "passes over the training data",
            TrainingSettings::epochs, TrainingSettings::withEpochs);

    /** Samples per gradient step. */
    public static final TrainingSetting<Integer> BATCH_SIZE = declared("batchSize", "--batch-size", "N",
            Integer.class, Range.atLeast(1), "samples per gradient step",
            TrainingSettings::batchSize, TrainingSettings::withBatchSize);

    /** The update rule. */
    public static final TrainingSetting<Optimizer> OPTIMIZER = declared("optimizer", "--optimizer", "NAME",
            Optimizer.class, Range.any(), "the update rule",
            TrainingSettings::optimizer, TrainingSettings::withOptimizer);

    /** The optimizer's step size. */
    public static final TrainingSetting<Double> LEARNING_RATE = declared("learningRate", "--learning-rate", "X",
            Double.class, Range.greaterThanZero(), "the optimizer's step size",
            TrainingSettings::learningRate, TrainingSettings::withLearningRate);

    /** Seed of the weight initialisation, the shuffling and the noise. */
    public static final TrainingSetting<Long> SEED = declared("seed", "--seed", "N", Long.class, Range.any(),
            "the seed of the weights, the noise and the shuffling",
            TrainingSettings::seed, TrainingSettings::withSeed);

    /** The share of the training data held out for validation when no validation set is given. */
    public static final TrainingSetting<Double> VALIDATION_SPLIT = declared("validationSplit", "--validation-split",
            "X", Double.class, Range.fraction(),
            "the share of the training data held out, from its end, to validate on when no validation set is given",
            TrainingSettings::validationSplit, TrainingSettings::withValidationSplit);

    /** Early stopping's patience. */
    public static final TrainingSetting<Integer> EARLY_STOPPING_PATIENCE = declared("earlyStoppingPatience",
            "--patience", "N", Integer.class, Range.offOrMore(),
            "early stopping: epochs without a better validation loss before the run stops and takes back the best "
                    + "epoch's weights",
            TrainingSettings::earlyStoppingPatience, TrainingSettings::withEarlyStoppingPatience);

    /** How the learning rate changes from epoch to epoch. */
    public static final TrainingSetting<LearningRateSchedule> SCHEDULE = new TrainingSetting<>("schedule",
            "--schedule", "S", LearningRateSchedule.class, LearningRateSchedule.constant(), Range.any(),
            "how the learning rate changes from epoch to epoch",
            TrainingSettings::schedule, TrainingSettings::withSchedule);

    /** The largest L2 norm of each parameter's gradient. */
    public static final TrainingSetting<Double> GRADIENT_CLIPPING = new TrainingSetting<>("gradientClipping",
            "--clip", "X", Double.class, 0.0, Range.offOrMore(),
            "the largest L2 norm of each parameter's gradient (Keras' clipnorm)",
            TrainingSettings::gradientClipping, TrainingSettings::withGradientClipping);

    /** L2 penalty on the weights. */
    public static final TrainingSetting<Double> L2 = new TrainingSetting<>("l2", "--l2", "X", Double.class, 0.0,
            Range.offOrMore(), "L2 penalty on the weights, not the biases",
            TrainingSettings::l2, TrainingSettings::withL2);

    /** How the weights start. */
    public static final TrainingSetting<WeightInit> WEIGHT_INIT = new TrainingSetting<>("weightInit",
            "--weight-init", "NAME", WeightInit.class, WeightInit.DECLARED, Range.any(),
            "how the weights start; declared keeps the network's own (Keras' glorot_uniform)",
            TrainingSettings::weightInit, TrainingSettings::withWeightInit);

    // In the order of TrainingSettings' components.
    private static final List<TrainingSetting<?>> ALL = List.of(EPOCHS, BATCH_SIZE, OPTIMIZER, LEARNING_RATE, SEED,
            VALIDATION_SPLIT, EARLY_STOPPING_PATIENCE, SCHEDULE, GRADIENT_CLIPPING, L2, WEIGHT_INIT);

    private final String name;
    private final boolean declared;
    private final String flag;
    private final String valueLabel;
    private final Class<T> type;
    private final T defaultValue;
    private final Range<? super T> range;
    private final String description;
    private final Function<TrainingSettings, T> read;
    private final BiFunction<TrainingSettings, T, TrainingSettings> write;

    /** A setting only the trainer and the command line set, with its own default. */
    private TrainingSetting(String name, String flag, String valueLabel, Class<T> type, T defaultValue,
            Range<? super T> range, String description, Function<TrainingSettings, T> read,
            BiFunction<TrainingSettings, T, TrainingSettings> write) {
        this(name, false, flag, valueLabel, type, defaultValue, range, description, read, write);
    }

    private TrainingSetting(String name, boolean declared, String flag, String valueLabel, Class<T> type,
            T defaultValue, Range<? super T> range, String description, Function<TrainingSettings, T> read,
            BiFunction<TrainingSettings, T, TrainingSettings> write) {
        this.name = name;
        this.declared = declared;
        this.flag = flag;
        this.valueLabel = valueLabel;
        this.type = type;
        this.defaultValue = Objects.requireNonNull(defaultValue, name);
        this.range = range;
        this.description = description;
        this.read = read;
        this.write = write;
    }

    /** A setting {@code @Training} declares: its default is the annotation's. */
    private static <T> TrainingSetting<T> declared(String name, String flag, String valueLabel, Class<T> type,
            Range<? super T> range, String description, Function<TrainingSettings, T> read,
            BiFunction<TrainingSettings, T, TrainingSettings> write) {
        Object annotationDefault;
        try {
            annotationDefault = Training.class.getMethod(name).getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("@Training has no attribute " + name, e);
        }
        return new TrainingSetting<>(name, true, flag, valueLabel, type, type.cast(annotationDefault), range,
                description, read, write);
    }

    /** Every setting, in the order of {@link TrainingSettings}' components. */
    public static List<TrainingSetting<?>> all() {
        return ALL;
    }

    /** The name of the trainer's setter, of the {@link TrainingSettings} component and of the {@code @Training} attribute. */
    public String name() {
        return name;
    }

    /** The {@code train} command's option, e.g. {@code --batch-size}. */
    public String flag() {
        return flag;
    }

    /** What the option's value is called in a usage line: {@code N}, {@code X}, {@code NAME} or {@code S}. */
    public String valueLabel() {
        return valueLabel;
    }

    /** The value's type (the boxed one for numbers). */
    public Class<T> type() {
        return type;
    }

    /** The value without {@code @Training} or an override: the annotation's default where it declares one. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The values allowed. */
    public Range<? super T> range() {
        return range;
    }

    /** What it does, in one line. */
    public String description() {
        return description;
    }

    /** Whether {@code @Training} declares it (the others are set at run time only). */
    public boolean declared() {
        return declared;
    }

    /** Its value in {@code settings}. */
    public T valueIn(TrainingSettings settings) {
        return read.apply(settings);
    }

    /** {@code settings} with this setting changed to {@code value}; checked as {@link #require} does. */
    public TrainingSettings with(TrainingSettings settings, T value) {
        return write.apply(settings, value);
    }

    /**
     * Returns {@code value} if it is allowed.
     *
     * @throws IllegalArgumentException naming the setting, the range and the value, if it is not
     */
    public T require(T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (!range.test().test(value)) {
            throw new IllegalArgumentException(name + " must be " + range.phrase() + ", found " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return name;
    }
}
