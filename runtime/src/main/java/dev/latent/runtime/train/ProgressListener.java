package dev.latent.runtime.train;

import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.TrainingSettings;

/**
 * Follows a training run, as Keras' callbacks do. Called on the training thread; a slow
 * listener slows training.
 */
public interface ProgressListener {

    /**
     * Training is about to start.
     *
     * @param validationSamples size of the validation set; 0 when there is none and validation
     *     losses are measured on the training data
     */
    void onStart(String modelName, TrainingSettings training, int trainSamples, int validationSamples);

    /**
     * A batch has been trained.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch within the epoch, from 1
     * @param batches the number of batches per epoch
     * @param loss the epoch's mean training loss so far
     */
    default void onBatch(int epoch, int batch, int batches, double loss) {}

    /** An epoch has ended, validation included. */
    void onEpoch(EpochStats stats);

    /** Training has ended, with its verdict. */
    void onEnd(TrainingResult result);

    /** A listener that ignores everything. */
    static ProgressListener silent() {
        return new ProgressListener() {
            @Override
            public void onStart(String modelName, TrainingSettings training, int trainSamples, int validationSamples) {}

            @Override
            public void onEpoch(EpochStats stats) {}

            @Override
            public void onEnd(TrainingResult result) {}
        };
    }
}
