package dev.latent.runtime.train;

import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochHealth;
import dev.latent.runtime.settings.EpochStats;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/**
 * What a training run's numbers say, and what to do about it.
 *
 * @param verdict the outcome
 * @param summary the measured numbers behind the verdict, in one or two sentences
 * @param advice what to change, from the model's own settings ("raise gaussian from 0.3 to 0.45")
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
    /** A validation loss above this multiple of the training loss is a gap worth explaining. */
    static final double GAP_RATIO = 1.5;
    /** A loss that fell by this share or more in the last epoch is still falling steeply. */
    static final double STEEP_FALL = 0.10;
    /** A steep fall is {@link Verdict#UNDERTRAINED} if at its rate the model would pass within this many more epochs. */
    static final double REACHABLE_EPOCHS = 10;
    /** From this share of dead code dimensions on, the diagnosis blames the code. */
    static final double DEAD_CODE_SHARE = 0.5;
    /** DL4J's healthy range for log10 of the update-to-parameter ratio. */
    static final double LOG_RATIO_LOW = -4;
    static final double LOG_RATIO_HIGH = -2;
    /** From this log10 update-to-parameter ratio on (a step as large as the weights), a run has {@link Verdict#DIVERGED}. */
    static final double LOG_RATIO_EXPLODED = 0;

    /**
     * Diagnoses a run whose model is the one of its last epoch with a finite validation loss,
     * knowing only its noise of the model.
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
        return diagnose(epochs, baselines, last, nonFinite, ModelFacts.ofNoise(noise));
    }

    /** {@link #diagnose(List, Baselines, double, boolean, ModelFacts)} knowing only the model's noise. */
    public static Diagnosis diagnose(List<EpochStats> epochs, Baselines baselines, double validationLoss,
            boolean nonFinite, NoiseSettings noise) {
        return diagnose(epochs, baselines, validationLoss, nonFinite, ModelFacts.ofNoise(noise));
    }

    /**
     * Diagnoses a run. The rules, in order:
     *
     * <ol>
     *   <li>{@link Verdict#DIVERGED} if a loss was NaN or infinite, a step moved the weights by
     *       their own size, or the last training loss is more than twice the first;
     *   <li>a model that passes both baselines (removes at least a quarter of the mean-image loss,
     *       and is below 0.9 times the identity baseline) goes to rule 7; one that does not is
     *       {@link Verdict#UNDERTRAINED} if the run took fewer than 50 gradient steps;
     *   <li>{@link Verdict#UNDERTRAINED} if its validation loss is more than 1.5 times its training
     *       loss, the training loss passes both baselines, and the model normalises batches (batch
     *       normalisation scores validation with running averages that lag early in training);
     *   <li>{@link Verdict#UNDERTRAINED} if the validation loss fell by 10% or more in the last
     *       epoch and, falling on at that rate, would pass both baselines within 10 epochs;
     *   <li>{@link Verdict#PLATEAU} if after more than two epochs the training loss is still at
     *       least 0.98 times the first: stuck from the start;
     *   <li>{@link Verdict#COLLAPSED} if it removes less than a quarter of the mean-image loss, else
     *       {@link Verdict#IDENTITY};
     *   <li>{@link Verdict#PLATEAU} if it passes but after more than two epochs the training loss is
     *       still at least 0.98 times the first; otherwise {@link Verdict#HEALTHY}.
     * </ol>
     *
     * <p>Each summary ends with the last epoch's {@link EpochHealth} where measured (dead code
     * dimensions, update-to-parameter ratio, largest gradient), which also steers the advice. The
     * advice starts from the model's own settings in {@code facts}: "raise gaussian from 0.3 to
     * 0.45", never a value the model already has. Losses are compared above
     * {@link Baselines#perfectLoss()}, which is 0 except for binary cross-entropy.
     *
     * @param validationLoss the validation loss of the model the run returns (after any restore of
     *     the best epoch)
     * @param facts what the run's model declares, for the advice
     */
    public static Diagnosis diagnose(List<EpochStats> epochs, Baselines baselines, double validationLoss,
            boolean nonFinite, ModelFacts facts) {
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
                    Advice.diverged(facts));
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
                        Advice.thrownAbout(facts));
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
                        Advice.rising(facts));
            }
        }
        String floor = baselines.perfectLoss() > 0
                ? " (shares above the perfect-reconstruction floor " + num(baselines.perfectLoss()) + ")"
                : "";
        double removed = baselines.shareOfMeanRemoved(validationLoss);
        double toIdentity = baselines.ratioToIdentity(validationLoss);
        int steps = epochs.stream().mapToInt(EpochStats::batches).sum();
        boolean passes = passes(baselines, validationLoss);
        if (!passes) {
            Diagnosis early = undertrained(epochs, baselines, validationLoss, facts, steps, against);
            if (early != null) {
                return early;
            }
            Diagnosis stuck = plateau(epochs, validationLoss, facts, against);
            if (stuck != null) {
                return stuck;
            }
        }
        String overfitting = overfitting(epochs, baselines, facts);
        if (removed < COLLAPSE_SHARE) {
            String share = removed > 0 ? "removes only " + pct(removed) + "% of" : "removes none of";
            return new Diagnosis(Verdict.COLLAPSED,
                    String.format(Locale.ROOT, "validation loss %s %s the mean-image loss %s%s; a working model "
                            + "removes at least a quarter. Identity baseline %s.",
                            num(validationLoss), share, num(mean), floor, num(identity)) + inside(epochs),
                    overfitting + Advice.collapsed(facts, removed, lastHealth(epochs)) + stillImproving(epochs));
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
                    overfitting + Advice.identity(facts) + stillImproving(epochs));
        }
        Diagnosis stuck = plateau(epochs, validationLoss, facts, against);
        if (stuck != null) {
            return stuck;
        }
        String summary = String.format(Locale.ROOT, "validation loss %s removes %s%% of the mean-image loss %s and is "
                + "%s times the identity baseline %s%s.", num(validationLoss), pct(removed), num(mean),
                num(toIdentity), num(identity), floor) + inside(epochs);
        return new Diagnosis(Verdict.HEALTHY, summary, Advice.healthy(lastFall(epochs), facts.noise()));
    }

    private static boolean passes(Baselines baselines, double loss) {
        return baselines.shareOfMeanRemoved(loss) >= COLLAPSE_SHARE && baselines.ratioToIdentity(loss) < IDENTITY_RATIO;
    }

    /** Rules 2 to 4 for a model that does not pass: too few steps, batch statistics that lag, a steep fall. */
    private static Diagnosis undertrained(List<EpochStats> epochs, Baselines baselines, double validationLoss,
            ModelFacts facts, int steps, String against) {
        double removed = baselines.shareOfMeanRemoved(validationLoss);
        if (steps > 0 && steps < UNDERTRAINED_STEPS) {
            return new Diagnosis(Verdict.UNDERTRAINED,
                    String.format(Locale.ROOT, "only %d gradient step%s in %d epoch%s; validation loss %s %s, removing "
                            + "%s%% of the mean-image loss.", steps, steps == 1 ? "" : "s", epochs.size(),
                            epochs.size() == 1 ? "" : "s", num(validationLoss), against, pct(Math.max(0, removed))) + inside(epochs),
                    Advice.fewSteps(facts, steps, epochs.size()));
        }
        if (epochs.isEmpty()) {
            return null;
        }
        double train = epochs.get(epochs.size() - 1).trainLoss();
        if (!facts.batchNormalization().isEmpty() && validationLoss > GAP_RATIO * train && passes(baselines, train)) {
            return new Diagnosis(Verdict.UNDERTRAINED,
                    String.format(Locale.ROOT, "the validation loss %s is %s times the training loss %s, which "
                            + "already removes %s%% of the mean-image loss; the model has batch normalisation, whose "
                            + "running statistics lag early in training %s.", num(validationLoss),
                            num(validationLoss / train), num(train), pct(baselines.shareOfMeanRemoved(train)), against)
                            + inside(epochs),
                    Advice.batchNormalizationLag(facts));
        }
        double fall = lastFall(epochs);
        double more = epochsToPass(baselines, validationLoss, fall);
        if (fall >= STEEP_FALL && more <= REACHABLE_EPOCHS) {
            EpochStats before = epochs.get(epochs.size() - 2);
            EpochStats last = epochs.get(epochs.size() - 1);
            return new Diagnosis(Verdict.UNDERTRAINED,
                    String.format(Locale.ROOT, "still improving fast when it stopped: in epoch %d the training loss "
                            + "went from %s to %s (%s%%) and the validation loss from %s to %s (%s%%); validation "
                            + "loss %s removes %s%% of the mean-image loss and is %s times the identity baseline %s.",
                            last.epoch(), num(before.trainLoss()), num(last.trainLoss()),
                            pct(-fall(before.trainLoss(), last.trainLoss())), num(before.validationLoss()),
                            num(last.validationLoss()), pct(-fall(before.validationLoss(), last.validationLoss())),
                            num(validationLoss), pct(Math.max(0, removed)), num(baselines.ratioToIdentity(validationLoss)),
                            against)
                            + inside(epochs),
                    Advice.stillFalling(facts, fall, epochs.size(), (int) Math.ceil(more)));
        }
        return null;
    }

    /** Rules 5 and 7: a training loss that barely moved from the first epoch. */
    private static Diagnosis plateau(List<EpochStats> epochs, double validationLoss, ModelFacts facts, String against) {
        if (epochs.size() <= 2) {
            return null;
        }
        double first = epochs.get(0).trainLoss();
        double lastTrain = epochs.get(epochs.size() - 1).trainLoss();
        if (lastTrain < PLATEAU_RATIO * first) {
            return null;
        }
        return new Diagnosis(Verdict.PLATEAU,
                String.format(Locale.ROOT, "the training loss barely moved: %s in epoch 1, %s in epoch %d; "
                        + "validation loss %s %s.", num(first), num(lastTrain), epochs.size(),
                        num(validationLoss), against) + inside(epochs),
                Advice.plateau(facts, lastHealth(epochs)));
    }

    /** Advice to put first when a training loss that passes hides behind a validation loss that does not. */
    private static String overfitting(List<EpochStats> epochs, Baselines baselines, ModelFacts facts) {
        if (epochs.isEmpty()) {
            return "";
        }
        EpochStats last = epochs.get(epochs.size() - 1);
        boolean gap = last.validationLoss() > GAP_RATIO * last.trainLoss();
        return gap && passes(baselines, last.trainLoss()) && !passes(baselines, last.validationLoss())
                ? Advice.overfitting(facts, last.trainLoss(), last.validationLoss())
                : "";
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
        return fall(epochs.get(epochs.size() - 2).validationLoss(), epochs.get(epochs.size() - 1).validationLoss());
    }

    private static double fall(double before, double after) {
        return before > 0 && Double.isFinite(after) ? 1 - after / before : 0;
    }

    /**
     * Epochs until the validation loss passes both baselines if it keeps falling by {@code fall}
     * an epoch (above the perfect floor); infinite if it never would.
     */
    private static double epochsToPass(Baselines baselines, double validationLoss, double fall) {
        double floor = baselines.perfectLoss();
        double target = Math.min(floor + (1 - COLLAPSE_SHARE) * (baselines.meanLoss() - floor),
                floor + IDENTITY_RATIO * (baselines.identityLoss() - floor));
        double excess = validationLoss - floor;
        if (!(fall > 0 && fall < 1) || !(target > floor) || !(excess > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(0, Math.log((target - floor) / excess) / Math.log(1 - fall));
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
