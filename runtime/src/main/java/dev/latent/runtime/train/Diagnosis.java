package dev.latent.runtime.train;

import dev.latent.dsl.Resample;
import dev.latent.runtime.noise.NoiseSettings;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/**
 * What a training run's numbers say, and what to do about it.
 *
 * @param verdict the outcome
 * @param summary the measured numbers behind the verdict, in one or two sentences
 * @param advice what to change, in the seed study's terms
 */
public record Diagnosis(Verdict verdict, String summary, String advice) {
    /** Below this share of the mean-image loss removed, a model is {@link Verdict#COLLAPSED}. */
    static final double COLLAPSE_SHARE = 0.25;
    /** At or above this ratio to the identity baseline, a model is {@link Verdict#IDENTITY}. */
    static final double IDENTITY_RATIO = 0.9;
    /** A final training loss above this multiple of the first epoch's is {@link Verdict#DIVERGED}. */
    static final double EXPLOSION_RATIO = 2.0;
    /** A final training loss at or above this fraction of the first epoch's is a {@link Verdict#PLATEAU}. */
    static final double PLATEAU_RATIO = 0.98;

    /**
     * Diagnoses a run whose model is the one of its last epoch with a finite validation loss.
     *
     * @param epochs the epochs run, in order
     * @param baselines the baselines on the validation set
     * @param nonFinite whether a loss became NaN or infinite
     * @param noise the noise the run trained with, for the advice
     */
    public static Diagnosis diagnose(List<EpochStats> epochs, Baselines baselines, boolean nonFinite,
            NoiseSettings noise) {
        double last = Double.NaN;
        for (EpochStats e : epochs) {
            if (Double.isFinite(e.validationLoss())) {
                last = e.validationLoss();
            }
        }
        return diagnose(epochs, baselines, last, nonFinite, noise);
    }

    /**
     * Diagnoses a run. The rules, in order: {@link Verdict#DIVERGED} if a loss was NaN or
     * infinite or the last training loss is more than twice the first; {@link Verdict#COLLAPSED}
     * if the model removes less than a quarter of the mean-image loss; {@link Verdict#IDENTITY}
     * if its loss is at least 0.9 times the identity baseline; {@link Verdict#PLATEAU} if after
     * more than two epochs the training loss is still at least 0.98 times the first; otherwise
     * {@link Verdict#HEALTHY}. Losses are compared above {@link Baselines#perfectLoss()}, which is
     * 0 except for binary cross-entropy.
     *
     * @param validationLoss the validation loss of the model the run returns (after any restore of
     *     the best epoch)
     */
    public static Diagnosis diagnose(List<EpochStats> epochs, Baselines baselines, double validationLoss,
            boolean nonFinite, NoiseSettings noise) {
        double identity = baselines.identityLoss();
        double mean = baselines.meanLoss();
        String against = String.format(Locale.ROOT, "(identity baseline %s, mean-image baseline %s)",
                num(identity), num(mean));

        int badEpoch = firstNonFinite(epochs);
        if (nonFinite || badEpoch > 0 || !Double.isFinite(validationLoss)) {
            String where = badEpoch > 0 ? " in epoch " + badEpoch : "";
            return new Diagnosis(Verdict.DIVERGED,
                    "the loss became NaN or infinite" + where + "; the model keeps the parameters of the last finite epoch, "
                            + "validation loss " + num(validationLoss) + " " + against + ".",
                    "The learning rate is too high for this optimizer and loss: lower it tenfold (the seed trained "
                            + "with Adam at 1e-3), and check that the data lies in the declared range.");
        }
        if (!epochs.isEmpty()) {
            double first = epochs.get(0).trainLoss();
            double lastTrain = epochs.get(epochs.size() - 1).trainLoss();
            if (epochs.size() >= 2 && lastTrain > EXPLOSION_RATIO * first) {
                return new Diagnosis(Verdict.DIVERGED,
                        String.format(Locale.ROOT, "the training loss rose from %s (epoch 1) to %s (epoch %d), %s times; "
                                + "validation loss %s %s.", num(first), num(lastTrain), epochs.size(),
                                num(lastTrain / first), num(validationLoss), against),
                        "A rising loss means the learning rate is too high: lower it tenfold (the seed trained with "
                                + "Adam at 1e-3).");
            }
        }
        String floor = baselines.perfectLoss() > 0
                ? " (shares above the perfect-reconstruction floor " + num(baselines.perfectLoss()) + ")"
                : "";
        double removed = baselines.shareOfMeanRemoved(validationLoss);
        if (removed < COLLAPSE_SHARE) {
            String share = removed > 0 ? "removes only " + pct(removed) + "% of" : "removes none of";
            return new Diagnosis(Verdict.COLLAPSED,
                    String.format(Locale.ROOT, "validation loss %s %s the mean-image loss %s%s; a working model "
                            + "removes at least a quarter. Identity baseline %s.",
                            num(validationLoss), share, num(mean), floor, num(identity)),
                    collapseAdvice(noise, removed) + stillImproving(epochs));
        }
        double toIdentity = baselines.ratioToIdentity(validationLoss);
        if (toIdentity >= IDENTITY_RATIO) {
            // Without noise the identity baseline is a perfect reconstruction: a ratio to it says nothing.
            String comparison = Double.isFinite(toIdentity)
                    ? String.format(Locale.ROOT, "is %s times the identity baseline %s%s: returning the noisy input "
                            + "does about as well", num(toIdentity), num(identity), floor)
                    : String.format(Locale.ROOT, "cannot beat the identity baseline %s%s: the input is not corrupted, "
                            + "so returning it is already perfect", num(identity), floor);
            return new Diagnosis(Verdict.IDENTITY,
                    String.format(Locale.ROOT, "validation loss %s %s. Mean-image baseline %s.",
                            num(validationLoss), comparison, num(mean)),
                    identityAdvice(noise) + stillImproving(epochs));
        }
        if (epochs.size() > 2) {
            double first = epochs.get(0).trainLoss();
            double lastTrain = epochs.get(epochs.size() - 1).trainLoss();
            if (lastTrain >= PLATEAU_RATIO * first) {
                return new Diagnosis(Verdict.PLATEAU,
                        String.format(Locale.ROOT, "the training loss barely moved: %s in epoch 1, %s in epoch %d; "
                                + "validation loss %s %s.", num(first), num(lastTrain), epochs.size(),
                                num(validationLoss), against),
                        "Stuck from the start: check the learning rate. A flat loss means it is too low, or so high "
                                + "that the output saturates; the seed trained with Adam at 1e-3.");
            }
        }
        String summary = String.format(Locale.ROOT, "validation loss %s removes %s%% of the mean-image loss %s and is "
                + "%s times the identity baseline %s%s.", num(validationLoss), pct(removed), num(mean),
                num(toIdentity), num(identity), floor);
        return new Diagnosis(Verdict.HEALTHY, summary, healthyAdvice(epochs, noise));
    }

    /** One line: verdict, summary, advice. */
    @Override
    public String toString() {
        return verdict + ": " + summary + " " + advice;
    }

    private static String collapseAdvice(NoiseSettings noise, double removed) {
        if (isStrong(noise)) {
            return "The noise (" + noise + ") destroys more of the input than the code can recover, like the seed's "
                    + "gaussian 2.0: lower it (the seed's improved setup used gaussian 0.2), or widen the code.";
        }
        if (removed < 0) {
            return "Worse than the mean image, which a network matches by giving one image for every input: training "
                    + "broke or never started. A learning rate too high saturates the output and kills ReLUs (the seed "
                    + "trained with Adam at 1e-3); too few epochs leave it at its initial guess.";
        }
        return "The code carries too little of the input: widen the code (or the layers before it) and check "
                + "the encoder is deep enough for the data; with noise " + noise + " the input still holds the signal.";
    }

    // Appended to a failing verdict: a run cut short is judged before it had the chance to pass.
    private static String stillImproving(List<EpochStats> epochs) {
        double fall = lastFall(epochs);
        return fall > 0.01
                ? " It was still improving when it stopped (validation loss fell " + pct(fall) + "% in the last epoch): "
                        + "train longer before judging."
                : "";
    }

    private static double lastFall(List<EpochStats> epochs) {
        if (epochs.size() < 2) {
            return 0;
        }
        double before = epochs.get(epochs.size() - 2).validationLoss();
        double last = epochs.get(epochs.size() - 1).validationLoss();
        return before > 0 ? 1 - last / before : 0;
    }

    private static String identityAdvice(NoiseSettings noise) {
        if (noise.isNone()) {
            return "There is no noise, so returning the input is perfect and the network copies it: add noise, "
                    + "e.g. @Noise(gaussian = 0.2) as in the seed's improved setup.";
        }
        String resample = noise.resample() == Resample.ONCE
                ? " The noise is drawn once (resample ONCE), so it is the same every epoch: draw it EVERY_BATCH."
                : "";
        return "The noise (" + noise + ") is too weak or too predictable to learn from, and the network passes its "
                + "input through: raise the noise (the seed's improved setup used gaussian 0.2) or narrow the code."
                + resample;
    }

    private static String healthyAdvice(List<EpochStats> epochs, NoiseSettings noise) {
        String advice = "";
        double fall = lastFall(epochs);
        if (fall > 0.01) {
            advice = "Still improving when it stopped (validation loss fell " + pct(fall) + "% in the last epoch): "
                    + "more epochs would lower it further.";
        }
        if (noise.resample() == Resample.ONCE && !noise.isNone()) {
            advice += (advice.isEmpty() ? "" : " ") + "The noise was drawn once (resample ONCE), as in the seed's static "
                    + "corruption; drawing it EVERY_BATCH generalises better.";
        }
        return advice.isEmpty() ? "Nothing to change." : advice;
    }

    private static boolean isStrong(NoiseSettings noise) {
        return noise.gaussian() >= 1.0 || noise.masking() >= 0.5 || noise.saltAndPepper() >= 0.5;
    }

    private static int firstNonFinite(List<EpochStats> epochs) {
        for (EpochStats e : epochs) {
            if (!Double.isFinite(e.trainLoss()) || !Double.isFinite(e.validationLoss())) {
                return e.epoch();
            }
        }
        return 0;
    }

    /** A number with 4 significant digits, plain unless tiny or huge: {@code 0.03124}, {@code 1.234e-06}. */
    static String num(double value) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : (value > 0 ? "inf" : "-inf");
        }
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        if (magnitude < 1e-4 || magnitude >= 1e6) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A share as a percentage with 3 significant digits: {@code 81.3}. */
    static String pct(double share) {
        return num(Math.round(share * 1000) / 10.0);
    }
}
