package dev.latent.runtime.settings;

/**
 * What one epoch measured.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss mean loss over the epoch's training samples, each scored before its batch's
 *     update (as Keras reports it); NaN if the epoch stopped on a non-finite loss
 * @param validationLoss loss on the fixed noisy copy of the validation set after the epoch; when
 *     there is no validation set, on the training set; NaN if the epoch diverged
 * @param seconds wall-clock time of the whole epoch, validation included
 * @param samplesPerSecond training samples per second of gradient steps
 * @param learningRate the optimizer's step size during the epoch, as the schedule set it; NaN if not recorded
 * @param batches gradient steps taken in the epoch; 0 if not recorded
 * @param health the model's inside after the epoch; null if not measured (a diverged epoch)
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, double seconds, double samplesPerSecond,
        double learningRate, int batches, EpochHealth health) {

    /** An epoch of which only the losses and timings are known. */
    public EpochStats(int epoch, double trainLoss, double validationLoss, double seconds, double samplesPerSecond) {
        this(epoch, trainLoss, validationLoss, seconds, samplesPerSecond, Double.NaN, 0, null);
    }
}
