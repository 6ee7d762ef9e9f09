package dev.latent.runtime.train;

import dev.latent.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The seed's lesson, automated: noise must be calibrated. Trains a model briefly at each of
 * several Gaussian noise levels and recommends one.
 *
 * <p>The rule: the weakest level whose verdict is {@link Verdict#HEALTHY}. Below it the network
 * can copy its input ({@link Verdict#IDENTITY}); above it, it keeps less of the data (the seed's
 * calibrate table: the share of the mean image's loss removed falls as the noise grows, until the
 * model {@link Verdict#COLLAPSED collapses}).
 *
 * @param levels one entry per level, in the order swept
 * @param recommended the recommended level, empty when no level was healthy
 * @param reason why that level, or why none, in one sentence
 */
public record NoiseCalibration(List<Level> levels, Optional<Level> recommended, String reason) {

    /**
     * One level's short training.
     *
     * @param gaussian the Gaussian noise's standard deviation
     * @param result the run
     */
    public record Level(double gaussian, TrainingResult result) {
        /** The run's validation loss against the clean data. */
        public double validationLoss() {
            return result.finalValidationLoss();
        }
    }

    public NoiseCalibration {
        levels = List.copyOf(levels);
    }

    /**
     * Trains one fresh trainer per level, each with its declared noise but this Gaussian level.
     *
     * @param trainers makes a trainer with everything but the noise set (epochs, quiet, ...)
     * @param gaussians the levels, each 0 or more
     */
    public static NoiseCalibration sweep(Supplier<? extends DenoisingTrainer<?>> trainers, double[] gaussians,
            Dataset train, Dataset validation) {
        Objects.requireNonNull(trainers, "trainers");
        if (gaussians.length == 0) {
            throw new IllegalArgumentException("no noise levels to sweep");
        }
        List<Level> levels = new ArrayList<>();
        for (double gaussian : gaussians) {
            if (!(gaussian >= 0) || !Double.isFinite(gaussian)) {
                throw new IllegalArgumentException("a noise level must be 0 or more, found " + gaussian);
            }
            DenoisingTrainer<?> trainer = trainers.get();
            trainer.noise(trainer.noise().withGaussian(gaussian));
            levels.add(new Level(gaussian, validation == null ? trainer.fit(train) : trainer.fit(train, validation)));
        }
        return of(levels);
    }

    /** Applies the rule to levels already trained. */
    public static NoiseCalibration of(List<Level> levels) {
        Optional<Level> healthy = levels.stream().filter(l -> l.result().verdict() == Verdict.HEALTHY)
                .min((a, b) -> Double.compare(a.gaussian(), b.gaussian()));
        if (healthy.isPresent()) {
            return new NoiseCalibration(levels, healthy, String.format(Locale.ROOT, "gaussian %s is the weakest level "
                    + "with a HEALTHY verdict: weaker noise lets the network copy its input, stronger noise leaves "
                    + "it less of the data", healthy.get().gaussian()));
        }
        boolean allIdentity = levels.stream().allMatch(l -> l.result().verdict() == Verdict.IDENTITY);
        boolean anyCollapsed = levels.stream().anyMatch(l -> l.result().verdict() == Verdict.COLLAPSED);
        String reason = allIdentity
                ? "every level is IDENTITY: the network still copies its input; sweep stronger noise"
                : anyCollapsed && levels.stream().allMatch(l -> l.result().verdict() == Verdict.COLLAPSED
                        || l.result().verdict() == Verdict.IDENTITY)
                        ? "no level is HEALTHY: weak levels are IDENTITY and strong ones COLLAPSED; sweep levels in "
                                + "between, train longer (more epochs), or give the network more capacity"
                        : "no level is HEALTHY; see each level's verdict and train longer before judging";
        return new NoiseCalibration(levels, Optional.empty(), reason);
    }
}
