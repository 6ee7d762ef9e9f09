package dev.latent.runtime.settings;

import java.util.List;
import java.util.Locale;

/**
 * How the learning rate changes from epoch to epoch, as Keras' {@code LearningRateScheduler} and
 * {@code ReduceLROnPlateau} callbacks do. The trainer sets the rate at the start of every epoch
 * on either engine; each schedule is a pure function of the epoch and the epochs already run, so
 * a resumed run computes the same rates as an uninterrupted one.
 *
 * <p>DL4J's own {@code ISchedule}s are not used: they count epochs with a counter that only
 * {@code fit(DataSetIterator)} advances, and ND4J has no cosine schedule.
 *
 * <p>The text form, for the command line's {@code --schedule}: {@code constant},
 * {@code step:EVERY:FACTOR}, {@code exponential:GAMMA}, {@code cosine} or {@code cosine:MIN},
 * {@code plateau:PATIENCE:FACTOR} or {@code plateau:PATIENCE:FACTOR:MIN}.
 */
public sealed interface LearningRateSchedule {

    /**
     * The rate of epoch {@code epoch}.
     *
     * @param base the settings' learning rate, the rate of epoch 1
     * @param epoch the epoch about to run, from 1
     * @param epochs the run's number of epochs
     * @param history the epochs already run, in order ({@code epoch - 1} of them)
     */
    double rate(double base, int epoch, int epochs, List<EpochStats> history);

    /** The same rate every epoch. */
    static LearningRateSchedule constant() {
        return Constant.INSTANCE;
    }

    /** Multiplies the rate by {@code factor} every {@code every} epochs (Keras' step decay). */
    static LearningRateSchedule step(int every, double factor) {
        return new Step(every, factor);
    }

    /** Multiplies the rate by {@code gamma} every epoch. */
    static LearningRateSchedule exponential(double gamma) {
        return new Exponential(gamma);
    }

    /** Half a cosine from the base rate in epoch 1 down towards {@code minimum}, reached as the last epoch ends. */
    static LearningRateSchedule cosine(double minimum) {
        return new Cosine(minimum);
    }

    /**
     * Multiplies the rate by {@code factor} whenever the validation loss has not improved for
     * {@code patience} epochs, never below {@code minimum} (Keras' {@code ReduceLROnPlateau}).
     */
    static LearningRateSchedule reduceOnPlateau(int patience, double factor, double minimum) {
        return new ReduceOnPlateau(patience, factor, minimum);
    }

    /**
     * Reads the text form (see the type's documentation).
     *
     * @throws IllegalArgumentException naming the text and the forms it accepts
     */
    static LearningRateSchedule parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            switch (parts[0]) {
                case "constant":
                    if (parts.length == 1) {
                        return constant();
                    }
                    break;
                case "step":
                    if (parts.length == 3) {
                        return step(Integer.parseInt(parts[1]), Double.parseDouble(parts[2]));
                    }
                    break;
                case "exponential":
                    if (parts.length == 2) {
                        return exponential(Double.parseDouble(parts[1]));
                    }
                    break;
                case "cosine":
                    if (parts.length <= 2) {
                        return cosine(parts.length == 2 ? Double.parseDouble(parts[1]) : 0);
                    }
                    break;
                case "plateau":
                    if (parts.length == 3 || parts.length == 4) {
                        return reduceOnPlateau(Integer.parseInt(parts[1]), Double.parseDouble(parts[2]),
                                parts.length == 4 ? Double.parseDouble(parts[3]) : 0);
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("learning-rate schedule '" + text + "': " + e.getMessage()
                    + " is not a number; " + FORMS, e);
        }
        throw new IllegalArgumentException("learning-rate schedule '" + text + "' is not one of " + FORMS);
    }

    /** The accepted text forms, for messages. */
    String FORMS = "constant, step:EVERY:FACTOR (e.g. step:5:0.5), exponential:GAMMA (e.g. exponential:0.9), "
            + "cosine or cosine:MIN, plateau:PATIENCE:FACTOR or plateau:PATIENCE:FACTOR:MIN (e.g. plateau:2:0.5)";

    /** See {@link #constant()}. */
    enum Constant implements LearningRateSchedule {
        INSTANCE;

        @Override
        public double rate(double base, int epoch, int epochs, List<EpochStats> history) {
            return base;
        }

        @Override
        public String toString() {
            return "constant";
        }
    }

    /** See {@link #step(int, double)}. */
    record Step(int every, double factor) implements LearningRateSchedule {
        public Step {
            Checks.require(every >= 1, "step schedule: every must be at least 1, found " + every);
            Checks.requireFactor("step schedule", factor);
        }

        @Override
        public double rate(double base, int epoch, int epochs, List<EpochStats> history) {
            return base * Math.pow(factor, (epoch - 1) / every);
        }

        @Override
        public String toString() {
            return "step:" + every + ":" + factor;
        }
    }

    /** See {@link #exponential(double)}. */
    record Exponential(double gamma) implements LearningRateSchedule {
        public Exponential {
            Checks.requireFactor("exponential schedule", gamma);
        }

        @Override
        public double rate(double base, int epoch, int epochs, List<EpochStats> history) {
            return base * Math.pow(gamma, epoch - 1);
        }

        @Override
        public String toString() {
            return "exponential:" + gamma;
        }
    }

    /** See {@link #cosine(double)}. */
    record Cosine(double minimum) implements LearningRateSchedule {
        public Cosine {
            Checks.require(minimum >= 0 && Double.isFinite(minimum), "cosine schedule: minimum must be 0 or more, found "
                    + minimum);
        }

        @Override
        public double rate(double base, int epoch, int epochs, List<EpochStats> history) {
            // The minimum is where the run would be one epoch after its last, as Keras' CosineDecay
            // reaches it after the last step: a last epoch at the minimum (0 by default) learns nothing.
            double progress = (epoch - 1) / (double) epochs;
            double floor = Math.min(minimum, base);
            return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }

        @Override
        public String toString() {
            return minimum == 0 ? "cosine" : "cosine:" + minimum;
        }
    }

    /** See {@link #reduceOnPlateau(int, double, double)}. */
    record ReduceOnPlateau(int patience, double factor, double minimum) implements LearningRateSchedule {
        public ReduceOnPlateau {
            Checks.require(patience >= 1, "plateau schedule: patience must be at least 1, found " + patience);
            Checks.requireFactor("plateau schedule", factor);
            Checks.require(minimum >= 0 && Double.isFinite(minimum), "plateau schedule: minimum must be 0 or more, found "
                    + minimum);
        }

        @Override
        public double rate(double base, int epoch, int epochs, List<EpochStats> history) {
            // Replays the run so far, so the rate depends on the history alone and survives a resume.
            double rate = base;
            double best = Double.POSITIVE_INFINITY;
            int wait = 0;
            for (EpochStats e : history) {
                if (e.validationLoss() < best * (1 - TrainingSettings.MIN_RELATIVE_IMPROVEMENT)) {
                    best = e.validationLoss();
                    wait = 0;
                } else if (++wait >= patience) {
                    rate = Math.max(minimum, rate * factor);
                    wait = 0;
                }
            }
            return rate;
        }

        @Override
        public String toString() {
            return "plateau:" + patience + ":" + factor + (minimum == 0 ? "" : ":" + minimum);
        }
    }

    /** Argument checks shared by the schedules. */
    final class Checks {
        private Checks() {}

        static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }

        static void requireFactor(String what, double factor) {
            require(factor > 0 && factor <= 1, what + ": the factor must be in (0, 1], found " + factor);
        }
    }
}
