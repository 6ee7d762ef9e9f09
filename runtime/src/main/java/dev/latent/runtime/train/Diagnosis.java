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
    /** Fewer gradient steps than this in the whole run, and not healthy: {@link Verdict#UNDERTRAINED}. */
    static final int UNDERTRAINED_STEPS = 50;
    /** From this share of dead code dimensions on, the diagnosis blames the code. */
    static final double DEAD_CODE_SHARE = 0.5;
    /** DL4J's healthy range for log10 of the update-to-parameter ratio. */
    static final double LOG_RATIO_LOW = -4;
    static final double LOG_RATIO_HIGH = -2;
    /** From this log10 update-to-parameter ratio on (a step as large as the weights), a run has {@link Verdict#DIVERGED}. */
    static final double LOG_RATIO_EXPLODED = 0;

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
     * infinite or the last training loss is more than twice the first; {@link Verdict#UNDERTRAINED}
     * if the run took fewer than 50 gradient steps and does not already pass the next two rules;
     * {@link Verdict#COLLAPSED}
     * if the model removes less than a quarter of the mean-image loss; {@link Verdict#IDENTITY}
     * if its loss is at least 0.9 times the identity baseline; {@link Verdict#PLATEAU} if after
     * more than two epochs the training loss is still at least 0.98 times the first; otherwise
     * {@link Verdict#HEALTHY}. Each summary ends with the last epoch's {@link EpochHealth} where
     * measured (dead code dimensions, update-to-parameter ratio, largest gradient), which also
     * steers the advice. Losses are compared above {@link Baselines#perfectLoss()}, which is
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
                            + "validation loss " + num(validationLoss) + " " + against + "." + inside(epochs),
                    "The learning rate is too high for this optimizer and loss: lower it tenfold (the seed trained "
                            + "with Adam at 1e-3), or clip the gradients (gradientClipping), and check that the data "
                            + "lies in the declared range.");
        }
        for (EpochStats e : epochs) {
            double ratio = e.health() == null ? Double.NaN
                    : Math.max(e.health().medianLogFirstUpdateRatio(), e.health().medianLogUpdateRatio());
            if (ratio >= LOG_RATIO_EXPLODED) {
                return new Diagnosis(Verdict.DIVERGED,
                        String.format(Locale.ROOT, "in epoch %d a single step changed the weights by 10^%.1f of their "
                                + "size (median over layers; DL4J's rule: about 10^-3, at most 10^-2): they are thrown "
                                + "about, not learned. Validation loss %s %s.", e.epoch(), ratio, num(validationLoss),
                                against) + inside(epochs),
                        "The learning rate is far too high: lower it until the update-to-parameter ratio is near 10^-3 "
                                + "(the seed trained with Adam at 1e-3), or clip the gradients (gradientClipping).");
            }
        }
        if (!epochs.isEmpty()) {
            double first = epochs.get(0).trainLoss();
            double lastTrain = epochs.get(epochs.size() - 1).trainLoss();
            if (epochs.size() >= 2 && lastTrain > EXPLOSION_RATIO * first) {
                return new Diagnosis(Verdict.DIVERGED,
                        String.format(Locale.ROOT, "the training loss rose from %s (epoch 1) to %s (epoch %d), %s times; "
                                + "validation loss %s %s.", num(first), num(lastTrain), epochs.size(),
                                num(lastTrain / first), num(validationLoss), against) + inside(epochs),
                        "A rising loss means the learning rate is too high: lower it tenfold (the seed trained with "
                                + "Adam at 1e-3).");
            }
        }
        String floor = baselines.perfectLoss() > 0
                ? " (shares above the perfect-reconstruction floor " + num(baselines.perfectLoss()) + ")"
                : "";
        double removed = baselines.shareOfMeanRemoved(validationLoss);
        double toIdentity = baselines.ratioToIdentity(validationLoss);
        int steps = epochs.stream().mapToInt(EpochStats::batches).sum();
        boolean passes = removed >= COLLAPSE_SHARE && toIdentity < IDENTITY_RATIO;
        if (steps > 0 && steps < UNDERTRAINED_STEPS && !passes) {
            return new Diagnosis(Verdict.UNDERTRAINED,
                    String.format(Locale.ROOT, "only %d gradient step%s in %d epoch%s; validation loss %s %s, removing "
                            + "%s%% of the mean-image loss.", steps, steps == 1 ? "" : "s", epochs.size(),
                            epochs.size() == 1 ? "" : "s", num(validationLoss), against, pct(removed)) + inside(epochs),
                    "Too little training to judge the model: raise epochs (the seed trained 10 over 8,000 digits, "
                            + "1,250 steps of batch 64), or lower the batch size for more steps per epoch.");
        }
        if (removed < COLLAPSE_SHARE) {
            String share = removed > 0 ? "removes only " + pct(removed) + "% of" : "removes none of";
            return new Diagnosis(Verdict.COLLAPSED,
                    String.format(Locale.ROOT, "validation loss %s %s the mean-image loss %s%s; a working model "
                            + "removes at least a quarter. Identity baseline %s.",
                            num(validationLoss), share, num(mean), floor, num(identity)) + inside(epochs),
                    collapseAdvice(noise, removed, lastHealth(epochs)) + stillImproving(epochs));
        }
        if (toIdentity >= IDENTITY_RATIO) {
            // Without noise the identity baseline is a perfect reconstruction: a ratio to it says nothing.
            String comparison = Double.isFinite(toIdentity)
                    ? String.format(Locale.ROOT, "is %s times the identity baseline %s%s: returning the noisy input "
                            + "does about as well", num(toIdentity), num(identity), floor)
                    : String.format(Locale.ROOT, "cannot beat the identity baseline %s%s: the input is not corrupted, "
                            + "so returning it is already perfect", num(identity), floor);
            return new Diagnosis(Verdict.IDENTITY,
                    String.format(Locale.ROOT, "validation loss %s %s. Mean-image baseline %s.",
                            num(validationLoss), comparison, num(mean)) + inside(epochs),
                    identityAdvice(noise) + stillImproving(epochs));
        }
        if (epochs.size() > 2) {
            double first = epochs.get(0).trainLoss();
            double lastTrain = epochs.get(epochs.size() - 1).trainLoss();
            if (lastTrain >= PLATEAU_RATIO * first) {
                return new Diagnosis(Verdict.PLATEAU,
                        String.format(Locale.ROOT, "the training loss barely moved: %s in epoch 1, %s in epoch %d; "
                                + "validation loss %s %s.", num(first), num(lastTrain), epochs.size(),
                                num(validationLoss), against) + inside(epochs),
                        plateauAdvice(lastHealth(epochs)));
            }
        }
        String summary = String.format(Locale.ROOT, "validation loss %s removes %s%% of the mean-image loss %s and is "
                + "%s times the identity baseline %s%s.", num(validationLoss), pct(removed), num(mean),
                num(toIdentity), num(identity), floor) + inside(epochs);
        return new Diagnosis(Verdict.HEALTHY, summary, healthyAdvice(epochs, noise));
    }

    /** One line: verdict, summary, advice. */
    @Override
    public String toString() {
        return verdict + ": " + summary + " " + advice;
    }

    /**
     * The last measured epoch's inside, as a sentence to append to a summary: dead code
     * dimensions, the update-to-parameter ratio against DL4J's rule, the largest gradient. Empty
     * when nothing was measured.
     */
    static String inside(List<EpochStats> epochs) {
        EpochHealth health = lastHealth(epochs);
        if (health == null) {
            return "";
        }
        int dims = health.codeVariances().size();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, " Inside: %d of the code's %d dimensions are dead "
                + "(constant over the validation set)", Math.round(health.deadCodeShare() * dims), dims));
        double ratio = health.medianLogUpdateRatio();
        if (Double.isFinite(ratio)) {
            s.append(String.format(Locale.ROOT, "; update-to-parameter ratio 10^%.1f (last step, median over %d layers; "
                    + "DL4J's rule: about 10^-3, between 10^-4 and 10^-2)", ratio, health.layers().size()));
        }
        health.layers().stream().filter(l -> Double.isFinite(l.gradientNorm()))
                .max(java.util.Comparator.comparingDouble(EpochHealth.LayerHealth::gradientNorm))
                .ifPresent(l -> s.append("; largest gradient norm ").append(num(l.gradientNorm())).append(" in ")
                        .append(l.layer()));
        return s.append('.').toString();
    }

    private static EpochHealth lastHealth(List<EpochStats> epochs) {
        for (int i = epochs.size() - 1; i >= 0; i--) {
            if (epochs.get(i).health() != null) {
                return epochs.get(i).health();
            }
        }
        return null;
    }

    private static String plateauAdvice(EpochHealth health) {
        double ratio = health == null ? Double.NaN : health.medianLogUpdateRatio();
        if (ratio < LOG_RATIO_LOW) {
            return String.format(Locale.ROOT, "Stuck from the start, with updates of 10^%.1f of the parameters, below "
                    + "DL4J's 10^-4: the learning rate is too low; raise it tenfold (the seed trained with Adam at 1e-3).",
                    ratio);
        }
        if (ratio > LOG_RATIO_HIGH) {
            return String.format(Locale.ROOT, "Stuck from the start, with updates of 10^%.1f of the parameters, above "
                    + "DL4J's 10^-2: the learning rate is so high that the output saturates; lower it tenfold (the seed "
                    + "trained with Adam at 1e-3).", ratio);
        }
        return "Stuck from the start: check the learning rate. A flat loss means it is too low, or so high "
                + "that the output saturates; the seed trained with Adam at 1e-3.";
    }

    private static String collapseAdvice(NoiseSettings noise, double removed, EpochHealth health) {
        if (health != null && health.deadCodeShare() >= DEAD_CODE_SHARE && !isStrong(noise)) {
            return "Most of the code is dead: its units give the same value for every input, so the decoder can only "
                    + "draw the mean image. A learning rate too high kills ReLUs (lower it; the seed trained with Adam "
                    + "at 1e-3); else widen the code or give the code layer a LEAKY_RELU or ELU activation.";
        }
        double ratio = health == null ? Double.NaN : health.medianLogUpdateRatio();
        if (ratio < LOG_RATIO_LOW && !isStrong(noise)) {
            // Judge the architecture only once it was still learning: tiny updates mean it had stopped.
            return String.format(Locale.ROOT, "The last step moved the parameters by 10^%.1f of their size, below "
                    + "DL4J's 10^-4: training had all but stopped, with a learning rate too low or a schedule that "
                    + "decayed it away. Raise the rate (the seed trained with Adam at 1e-3) or train longer before "
                    + "changing the network.", ratio);
        }
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
