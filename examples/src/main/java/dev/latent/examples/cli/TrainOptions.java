package dev.latent.examples.cli;

import dev.latent.dsl.Optimizer;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.LearningRateSchedule;
import dev.latent.runtime.train.WeightInit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The {@code train} command's overrides of the model's {@code @Training} values, one flag each. */
public final class TrainOptions {
    private TrainOptions() {}

    /** Applies every training flag present in {@code a} to {@code trainer}. */
    public static void apply(Arguments a, DenoisingTrainer<?> trainer) {
        a.intOption("epochs", 1).ifPresent(trainer::epochs);
        a.intOption("batch-size", 1).ifPresent(trainer::batchSize);
        a.positiveOption("learning-rate").ifPresent(trainer::learningRate);
        a.option("optimizer").map(v -> constant(Optimizer.class, "optimizer", v)).ifPresent(trainer::optimizer);
        a.option("seed").ifPresent(s -> {
            try {
                trainer.seed(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new UsageException("--seed needs a whole number, found '" + s + "'");
            }
        });
        a.option("validation-split").map(v -> number("validation-split", v)).ifPresent(x -> {
            if (x < 0 || x >= 1) {
                throw new UsageException("--validation-split must be at least 0 and below 1, found " + x);
            }
            trainer.validationSplit(x);
        });
        a.intOption("patience", 0).ifPresent(trainer::earlyStoppingPatience);
        a.intOption("limit-batches", 1).ifPresent(trainer::limitBatches);
        a.option("schedule").ifPresent(v -> {
            try {
                trainer.schedule(LearningRateSchedule.parse(v));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--schedule: " + e.getMessage());
            }
        });
        a.option("clip").map(v -> nonNegative("clip", v)).ifPresent(trainer::gradientClipping);
        a.option("l2").map(v -> nonNegative("l2", v)).ifPresent(trainer::l2);
        a.option("weight-init").map(v -> constant(WeightInit.class, "weight-init", v)).ifPresent(trainer::weightInit);
    }

    /** The checkpoint folder of {@code --resume DIR}: DIR itself, or DIR/checkpoints when DIR is a run's output folder. */
    public static Path checkpointDirectory(String value) {
        Path dir = Path.of(value);
        Path nested = dir.resolve("checkpoints");
        if (!Files.exists(dir.resolve(DenoisingTrainer.LAST_CHECKPOINT))
                && Files.exists(nested.resolve(DenoisingTrainer.LAST_CHECKPOINT))) {
            return nested;
        }
        return dir;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + option + " must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", "))
                    + "; found '" + value + "'");
        }
    }

    private static double number(String option, String value) {
        try {
            double x = Double.parseDouble(value);
            if (!Double.isFinite(x)) {
                throw new NumberFormatException();
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + option + " needs a number, found '" + value + "'");
        }
    }

    private static double nonNegative(String option, String value) {
        double x = number(option, value);
        if (x < 0) {
            throw new UsageException("--" + option + " must be 0 (off) or more, found " + value);
        }
        return x;
    }
}
