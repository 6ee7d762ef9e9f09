package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.engine.GraphEngine;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop requested from another thread ends a run at a batch boundary, and the run resumes exactly. */
class RequestStopTest {
    private static final int EPOCHS = 3;

    /** Stops the trainer it is given when training reaches {@code epoch}'s batch {@code batch}. */
    private static ProgressListener stopAt(DenoisingTrainer<?> trainer, int epoch, int batch) {
        return new ProgressListener() {
            @Override
            public void onStart(String modelName, TrainingSettings training, int trainSamples, int validationSamples) {}

            @Override
            public void onBatch(int e, int b, int batches, double loss) {
                if (e == epoch && b == batch) {
                    trainer.requestStop();
                }
            }

            @Override
            public void onEpoch(EpochStats stats) {}

            @Override
            public void onEnd(TrainingResult result) {}
        };
    }

    @Test
    void aStopInsideAnEpochKeepsTheLastWholeEpochAndResumesToTheSameWeights(@TempDir Path dir) throws IOException {
        DenoisingTrainer<?> stopped = ResumeTest.trainer().epochs(EPOCHS).checkpoints(dir.resolve("run"));
        stopped.progress(stopAt(stopped, 2, 3));
        TrainingStoppedException stop = assertThrows(TrainingStoppedException.class,
                () -> stopped.fit(ResumeTest.data()));

        assertEquals(2, stop.epoch());
        assertEquals(1, stop.checkpointedEpoch());
        assertEquals(dir.resolve("run"), stop.checkpoints().orElseThrow());
        assertTrue(stop.getMessage().contains("stopped on request in epoch 2 of 3; the checkpoint of epoch 1 is in "),
                stop.getMessage());
        assertEquals(1, Checkpoint.read(dir.resolve("run").resolve(DenoisingTrainer.LAST_CHECKPOINT)).epochsDone());

        TrainingResult resumed = ResumeTest.trainer().quiet().resume(dir.resolve("run")).fit(ResumeTest.data());
        TrainingResult whole = ResumeTest.trainer().epochs(EPOCHS).quiet().fit(ResumeTest.data());
        assertArrayEquals(parameters(whole, dir.resolve("a.zip")), parameters(resumed, dir.resolve("b.zip")));
    }

    @Test
    void aStopBeforeTheFirstWholeEpochSaysThereIsNothingToResume(@TempDir Path dir) {
        DenoisingTrainer<?> stopped = ResumeTest.trainer().epochs(EPOCHS).checkpoints(dir);
        stopped.progress(stopAt(stopped, 1, 1));
        TrainingStoppedException stop = assertThrows(TrainingStoppedException.class,
                () -> stopped.fit(ResumeTest.data()));

        assertEquals(0, stop.checkpointedEpoch());
        assertTrue(stop.checkpoints().isEmpty());
        assertTrue(stop.getMessage().endsWith("no epoch was complete, so there is no checkpoint to resume from"),
                stop.getMessage());
        assertTrue(Files.notExists(dir.resolve(DenoisingTrainer.LAST_CHECKPOINT)));
    }

    @Test
    void aRunHoldsTheLockOnItsFolderAndReleasesIt(@TempDir Path dir) {
        try (RunLock held = RunLock.acquire(dir)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> ResumeTest.trainer().epochs(1).checkpoints(dir).quiet().fit(ResumeTest.data()));
            assertTrue(refused.getMessage().contains("(PID " + ProcessHandle.current().pid() + ")"),
                    refused.getMessage());
        }
        ResumeTest.trainer().epochs(1).checkpoints(dir).quiet().fit(ResumeTest.data());
        assertTrue(Files.exists(dir.resolve(DenoisingTrainer.LAST_CHECKPOINT)));
    }

    private static float[] parameters(TrainingResult result, Path file) throws IOException {
        result.model().save(file);
        return GraphEngine.load(file).parameters().toFloatVector();
    }
}
