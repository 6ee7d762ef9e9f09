package dev.latent.runtime.train;

import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.TrainingSettings;
import java.nio.file.Path;

/**
 * The run {@link ResumeTest} kills: the small dense model on 300 digits, checkpointing to
 * {@code args[0]} for {@code args[1]} epochs. Each epoch ends with a pause, so the test can kill
 * it between its first checkpoint and its last; the pause changes no number of the run.
 */
public final class ResumeChild {
    private ResumeChild() {}

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        ResumeTest.trainer().epochs(epochs).checkpoints(directory).progress(new ProgressListener() {
            @Override
            public void onStart(String modelName, TrainingSettings training, int trainSamples, int validationSamples) {}

            @Override
            public void onEpoch(EpochStats stats) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onEnd(TrainingResult result) {}
        }).fit(ResumeTest.data());
    }
}
