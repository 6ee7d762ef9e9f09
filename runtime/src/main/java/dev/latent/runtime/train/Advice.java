package dev.latent.runtime.train;

import static dev.latent.runtime.train.Diagnosis.num;
import static dev.latent.runtime.train.Diagnosis.pct;

import dev.latent.dsl.Resample;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The advice of each {@link Verdict}, worded from the model's own settings: a change is given as
 * "from what it is to what to try", and never one the model already has.
 */
final class Advice {
    /** Noise at or above this strength destroys most of a digit. */
    private static final double STRONG_GAUSSIAN = 1.0;
    private static final double STRONG_SHARE = 0.5;

    private Advice() {}

    /** "lower it tenfold, from Adam at 0.003 to 3e-04" or, the rate unknown, "lower it tenfold". */
    static String changeRate(ModelFacts facts, double factor) {
        String verb = factor < 1 ? "lower it tenfold" : "raise it tenfold";
        if (!Double.isFinite(facts.learningRate())) {
            return verb + " (Adam trains most models at 1e-3)";
        }
        return verb + ", from " + facts.rate() + " to " + ModelFacts.rate(facts.learningRate() * factor);
    }

    static String diverged(ModelFacts facts) {
        return "The learning rate is too high for this optimizer and loss: " + changeRate(facts, 0.1)
                + ", or clip the gradients (gradientClipping), and check that the data lies in the declared range.";
    }

    static String thrownAbout(ModelFacts facts) {
        return "The learning rate is far too high: " + changeRate(facts, 0.1) + " and on until the "
                + "update-to-parameter ratio is near 10^-3, or clip the gradients (gradientClipping).";
    }

    static String rising(ModelFacts facts) {
        return "A rising loss means the learning rate is too high: " + changeRate(facts, 0.1) + ".";
    }

    /** Few steps in all: how many epochs give some hundreds of steps at this run's pace. */
    static String fewSteps(ModelFacts facts, int steps, int epochsRun) {
        int perEpoch = Math.max(1, steps / Math.max(1, epochsRun));
        int wanted = (int) Math.ceil(Diagnosis.UNDERTRAINED_STEPS * 5.0 / perEpoch);
        String batch = facts.batchSize() > 1 ? ", or lower the batch size from " + facts.batchSize()
                + " for more steps per epoch" : ", or lower the batch size for more steps per epoch";
        return String.format(Locale.ROOT, "Too little training to judge the model: at %d step%s per epoch, raise "
                + "epochs%s to %d or more (%d+ steps; the seed took 1,250)%s.", perEpoch, perEpoch == 1 ? "" : "s",
                facts.epochs() > 0 ? " from " + facts.epochs() : "", Math.max(wanted, epochsRun + 1),
                Diagnosis.UNDERTRAINED_STEPS * 5, batch);
    }

    /** Still falling steeply: more epochs, with the numbers that say how many. */
    static String stillFalling(ModelFacts facts, double fall, int epochsRun, int moreEpochs) {
        int total = epochsRun + Math.max(1, moreEpochs);
        return String.format(Locale.ROOT, "Train longer before changing the model: falling on by the last epoch's "
                + "%s%% an epoch, it would pass both baselines in about %d more epoch%s; raise epochs%s to %d or more (or set "
                + "earlyStoppingPatience and let it stop by itself).", pct(fall), Math.max(1, moreEpochs),
                moreEpochs > 1 ? "s" : "", facts.epochs() > 0 ? " from " + facts.epochs() : "", total);
    }

    /** Validation far above training in a model with batch normalisation. */
    static String batchNormalizationLag(ModelFacts facts) {
        return "Batch normalisation (" + String.join(", ", facts.batchNormalization()) + ") normalises each "
                + "training batch by its own statistics but the validation set by running averages, which lag while "
                + "the weights still move: early in training a model scores far worse in inference than in training. "
                + "Train longer (more epochs, so the averages settle) before judging; if the gap stays, lower the "
                + "layers' momentum or use a larger batch" + (facts.batchSize() > 0 ? " than " + facts.batchSize() : "")
                + ".";
    }

    /** Validation far above a training loss that passes, without batch normalisation: it does not generalise. */
    static String overfitting(ModelFacts facts, double train, double validation) {
        String dropout = facts.dropout().isEmpty()
                ? "add dropout between the encoder's layers"
                : "raise the dropout of " + String.join(", ", facts.dropout());
        return String.format(Locale.ROOT, "The training loss %s passes the baselines but the validation loss %s does "
                + "not: the model learns its training samples, not the data. Train on more samples, %s, or narrow "
                + "the code. ", num(train), num(validation), dropout);
    }

    static String plateau(ModelFacts facts, EpochHealth health) {
        double ratio = health == null ? Double.NaN : health.medianLogUpdateRatio();
        if (ratio < Diagnosis.LOG_RATIO_LOW) {
            return String.format(Locale.ROOT, "Stuck from the start, with updates of 10^%.1f of the parameters, below "
                    + "DL4J's 10^-4: the learning rate is too low; %s.", ratio, changeRate(facts, 10));
        }
        if (ratio > Diagnosis.LOG_RATIO_HIGH) {
            return String.format(Locale.ROOT, "Stuck from the start, with updates of 10^%.1f of the parameters, above "
                    + "DL4J's 10^-2: the learning rate is so high that the output saturates; %s.", ratio,
                    changeRate(facts, 0.1));
        }
        return "Stuck from the start: check the learning rate" + (facts.rate().isEmpty() ? "" : " (" + facts.rate()
                + ")") + ". A flat loss means it is too low, or so high that the output saturates; Adam trains most "
                + "models at 1e-3.";
    }

    static String collapsed(ModelFacts facts, double removed, EpochHealth health) {
        NoiseSettings noise = facts.noise();
        if (health != null && health.deadCodeShare() >= Diagnosis.DEAD_CODE_SHARE && !isStrong(noise)) {
            String activation = facts.codeActivation();
            boolean leaky = activation != null && (activation.contains("leaky") || activation.contains("elu"));
            return "Most of the code is dead: its units give the same value for every input, so the decoder can only "
                    + "draw the mean image. A learning rate too high kills ReLUs (" + changeRate(facts, 0.1) + ")"
                    + (leaky ? "; else widen the code (its activation, " + activation + ", already keeps a gradient)."
                            : "; else widen the code or give the code layer a LEAKY_RELU or ELU activation"
                                    + (activation == null ? "" : " instead of " + activation) + ".");
        }
        double ratio = health == null ? Double.NaN : health.medianLogUpdateRatio();
        if (ratio < Diagnosis.LOG_RATIO_LOW && !isStrong(noise)) {
            // Judge the architecture only once it was still learning: tiny updates mean it had stopped.
            return String.format(Locale.ROOT, "The last step moved the parameters by 10^%.1f of their size, below "
                    + "DL4J's 10^-4: training had all but stopped, with a learning rate too low or a schedule that "
                    + "decayed it away. Raise the rate (%s) or train longer before changing the network.", ratio,
                    changeRate(facts, 10));
        }
        if (isStrong(noise)) {
            return "The noise (" + noise + ") destroys more of the input than the code can recover: "
                    + change(noise, 0.5) + ", or widen the code.";
        }
        if (removed < 0 && ratio >= Diagnosis.LOG_RATIO_LOW && ratio <= Diagnosis.LOG_RATIO_HIGH) {
            return String.format(Locale.ROOT, "The updates are of a healthy size (10^%.1f of the parameters), yet the "
                    + "model gives about the mean image for every input: the stage every autoencoder passes through "
                    + "before its code carries anything. Train longer%s; if it stays there, widen the code.", ratio,
                    facts.epochs() > 0 ? " (raise epochs from " + facts.epochs() + ")" : "");
        }
        if (removed < 0) {
            return "Worse than the mean image, which a network matches by giving one image for every input: training "
                    + "broke or never started. A learning rate too high saturates the output and kills ReLUs ("
                    + changeRate(facts, 0.1) + "); too few epochs leave it at its initial guess.";
        }
        return "The code carries too little of the input: widen the code (or the layers before it) and check "
                + "the encoder is deep enough for the data; with noise " + noise + " the input still holds the signal.";
    }

    static String identity(ModelFacts facts) {
        NoiseSettings noise = facts.noise();
        if (noise.isNone()) {
            return "There is no noise, so returning the input is perfect and the network copies it: add noise, "
                    + "e.g. @Noise(gaussian = 0.2) for data in [0, 1].";
        }
        String resample = noise.resample() == Resample.ONCE
                ? " The noise is drawn once (resample ONCE), so it is the same every epoch: draw it EVERY_BATCH."
                : "";
        String raise = noise.isCustom() ? "make the noise stronger" : change(noise, 1.5);
        return "The noise (" + noise + ") is too weak or too predictable to learn from, and the network passes its "
                + "input through: " + raise + ", or narrow the code." + resample;
    }

    static String healthy(double fall, NoiseSettings noise) {
        String advice = "";
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

    static boolean isStrong(NoiseSettings noise) {
        return noise.gaussian() >= STRONG_GAUSSIAN || noise.masking() >= STRONG_SHARE
                || noise.saltAndPepper() >= STRONG_SHARE;
    }

    /**
     * Each of the noise's parts scaled by {@code factor}, from its value: "raise gaussian from 0.3
     * to 0.45". Shares stay below 0.9 and the result is an annotation to paste that keeps every
     * other setting.
     */
    static String change(NoiseSettings noise, double factor) {
        List<String> parts = new ArrayList<>();
        NoiseSettings changed = noise;
        if (noise.gaussian() > 0) {
            double to = round(noise.gaussian() * factor);
            parts.add("gaussian from " + num(noise.gaussian()) + " to " + num(to));
            changed = changed.withGaussian(to);
        }
        if (noise.masking() > 0) {
            double to = Math.min(0.9, round(noise.masking() * factor));
            parts.add("masking from " + num(noise.masking()) + " to " + num(to));
            changed = changed.withMasking(to);
        }
        if (noise.saltAndPepper() > 0) {
            double to = Math.min(0.9, round(noise.saltAndPepper() * factor));
            parts.add("salt-and-pepper from " + num(noise.saltAndPepper()) + " to " + num(to));
            changed = changed.withSaltAndPepper(to);
        }
        if (noise.blockMasking() > 0) {
            double to = Math.min(0.9, round(noise.blockMasking() * factor));
            parts.add("block masking from " + num(noise.blockMasking()) + " to " + num(to));
            changed = changed.withBlockMasking(to, noise.blockSize());
        }
        return (factor > 1 ? "raise " : "lower ") + String.join(" and ", parts) + " (" + changed.toAnnotation() + ")";
    }

    // Two significant digits: advice, not a measurement.
    private static double round(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(2)).doubleValue();
    }
}
