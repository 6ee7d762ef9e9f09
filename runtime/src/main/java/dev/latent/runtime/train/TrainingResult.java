package dev.latent.runtime.train;

import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.TrainingSettings;
import java.util.List;
import java.util.Locale;

/**
 * A finished training run: the trained model, with everything needed to say how it was made
 * (settings, data, seed) and how it went (loss curves, baselines, verdict).
 *
 * @param modelName the model interface's canonical name
 * @param training the settings the run used, overrides included
 * @param noise the noise the run trained with
 * @param loss the loss the run trained with
 * @param trainData description of the training data
 * @param trainSamples number of training samples
 * @param validationData description of the validation data; says so when there was none
 * @param validationSamples number of validation samples; 0 when the training data stood in
 * @param epochs one entry per epoch run, in order
 * @param baselines the identity and mean-image baselines on the validation data
 * @param finalValidationLoss the returned model's loss on the validation data (the fixed noisy copy)
 * @param diagnosis the verdict, its numbers and advice
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 * @param bestEpoch the epoch with the lowest validation loss, from 1; 0 if none was finite
 * @param model the trained model
 * @param trainSeconds wall-clock time of the whole run
 */
public record TrainingResult(
        String modelName,
        TrainingSettings training,
        NoiseSettings noise,
        LossSettings loss,
        String trainData,
        int trainSamples,
        String validationData,
        int validationSamples,
        List<EpochStats> epochs,
        Baselines baselines,
        double finalValidationLoss,
        Diagnosis diagnosis,
        boolean stoppedEarly,
        int bestEpoch,
        Denoiser model,
        double trainSeconds) {

    /** A result; the epoch list is copied, so the result cannot change after the run. */
    public TrainingResult {
        epochs = List.copyOf(epochs);
    }

    /** The seed of weight initialisation, shuffling and noise. */
    public long seed() {
        return training.seed();
    }

    /** Which path trained the model and which kernel computed each layer, with the reasons for any slower path. */
    public dev.latent.runtime.engine.EnginePlan enginePlan() {
        return model.enginePlan().orElseThrow(() -> new IllegalStateException("the engine was never planned"));
    }

    /** The run's verdict. */
    public Verdict verdict() {
        return diagnosis.verdict();
    }

    /** A readable multi-line report: provenance, the loss curve, baselines and the diagnosis. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append("Training result for ").append(modelName).append('\n');
        s.append("  settings:   ").append(training).append('\n');
        s.append("  noise:      ").append(noise).append('\n');
        s.append("  loss:       ").append(loss).append('\n');
        if (model != null) {
            model.enginePlan().ifPresent(plan -> s.append("  engine:     ").append(plan.summary()).append('\n'));
        }
        s.append(String.format(Locale.ROOT, "  train:      %s (%,d samples)%n", trainData, trainSamples));
        s.append(validationSamples > 0
                ? String.format(Locale.ROOT, "  validation: %s (%,d samples)%n", validationData, validationSamples)
                : "  validation: " + validationData + "\n");
        s.append(String.format(Locale.ROOT, "  epochs run: %d%s, best %d, %.1f s%n", epochs.size(),
                stoppedEarly ? " (stopped early, best restored)" : "", bestEpoch, trainSeconds));
        s.append("  epoch      train        val  samples/s\n");
        for (EpochStats e : epochs) {
            s.append(String.format(Locale.ROOT, "  %5d %10s %10s %10.0f%n", e.epoch(), Diagnosis.num(e.trainLoss()),
                    Diagnosis.num(e.validationLoss()), e.samplesPerSecond()));
        }
        s.append(String.format(Locale.ROOT, "  final validation loss %s; identity baseline %s, mean-image baseline %s%n",
                Diagnosis.num(finalValidationLoss), Diagnosis.num(baselines.identityLoss()),
                Diagnosis.num(baselines.meanLoss())));
        s.append("  verdict: ").append(diagnosis.verdict()).append(" (").append(diagnosis.verdict().meaning()).append(")\n");
        s.append("    ").append(diagnosis.summary()).append('\n');
        s.append("    ").append(diagnosis.advice()).append('\n');
        return s.toString();
    }
}
