package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.engine.GraphEngine;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.LearningRateSchedule;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints survive a killed process, and a resumed run ends exactly where an uninterrupted one does. */
class ResumeTest {
    private static final int EPOCHS = 4;

    /** The run both sides train: fresh noise every batch, shuffling, Adam; 240 train and 60 validation digits. */
    static DenoisingTrainer<?> trainer() {
        return DenoisingTrainer.of(new SmallDenseNetwork()).batchSize(32).schedule(LearningRateSchedule.cosine(1e-4));
    }

    static Dataset data() {
        return Mnist.digits(300);
    }

    @Test
    void aKilledRunResumesToTheSameWeights(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("run");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.bytedeco.javacpp.platform.extension="
                        + System.getProperty("org.bytedeco.javacpp.platform.extension", ""),
                ResumeChild.class.getName(), checkpoints.toString(), Integer.toString(EPOCHS))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path last = checkpoints.resolve(DenoisingTrainer.LAST_CHECKPOINT);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(last) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(Files.exists(last), "no checkpoint from the child: " + Files.readString(dir.resolve("child.log")));
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        int done = Checkpoint.read(last).epochsDone();
        assertTrue(done >= 1 && done < EPOCHS, "killed after epoch " + done + " of " + EPOCHS);
        Denoiser.load(last); // the checkpoint a kill leaves is a whole model
        Path scratch = Files.createFile(checkpoints.resolve(".last.zip-interrupted.tmp"));

        TrainingResult resumed = trainer().quiet().resume(checkpoints).fit(data());
        TrainingResult uninterrupted = trainer().epochs(EPOCHS).quiet().fit(data());

        assertEquals(EPOCHS, resumed.epochs().size());
        assertTrue(Files.notExists(scratch), "an interrupted save's scratch file is cleared");
        assertEquals(losses(uninterrupted), losses(resumed), "the same curves, the killed run's epochs included");
        assertArrayEquals(parameters(uninterrupted, dir.resolve("a.zip")), parameters(resumed, dir.resolve("b.zip")));
        assertEquals(uninterrupted.verdict(), resumed.verdict());
    }

    @Test
    void earlyStoppingStateSurvivesAResume(@TempDir Path dir) throws IOException {
        // Stop after epoch 2 of 6, resume for the rest; early stopping with patience 1 and a plateau schedule.
        DenoisingTrainer<?> first = trainer().epochs(2).earlyStoppingPatience(1)
                .schedule(LearningRateSchedule.reduceOnPlateau(1, 0.5, 0)).checkpoints(dir).quiet();
        first.fit(data());
        TrainingResult resumed = trainer().quiet().resume(dir).epochs(6).fit(data());
        TrainingResult whole = trainer().epochs(6).earlyStoppingPatience(1)
                .schedule(LearningRateSchedule.reduceOnPlateau(1, 0.5, 0)).quiet().fit(data());

        assertEquals(losses(whole), losses(resumed));
        assertEquals(whole.bestEpoch(), resumed.bestEpoch());
        assertEquals(whole.finalValidationLoss(), resumed.finalValidationLoss());
        assertEquals(whole.epochs().stream().map(EpochStats::learningRate).toList(),
                resumed.epochs().stream().map(EpochStats::learningRate).toList());
    }

    @Test
    void aConvolutionalNetworkResumesWithItsOptimizerState(@TempDir Path dir) {
        Dataset images = Mnist.twoChannelDigits(200);
        DenoisingTrainer.of(new TinyConvNetwork()).epochs(1).checkpoints(dir).quiet().fit(images);
        TrainingResult resumed = DenoisingTrainer.of(new TinyConvNetwork()).quiet().resume(dir).epochs(2).fit(images);
        TrainingResult whole = DenoisingTrainer.of(new TinyConvNetwork()).epochs(2).quiet().fit(images);

        assertEquals(losses(whole), losses(resumed));
    }

    @Test
    void aResumeWithOtherDataOrNoiseIsRefused(@TempDir Path dir) {
        trainer().epochs(1).checkpoints(dir).quiet().fit(data());

        IllegalArgumentException data = assertThrows(IllegalArgumentException.class,
                () -> trainer().quiet().resume(dir).epochs(2).fit(Mnist.digits(200)));
        assertTrue(data.getMessage().contains("240") && data.getMessage().contains("160"), data.getMessage());
        IllegalArgumentException noise = assertThrows(IllegalArgumentException.class,
                () -> trainer().quiet().resume(dir).noise(NoiseSettings.gaussian(0.9)).epochs(2).fit(data()));
        assertTrue(noise.getMessage().contains("noise"), noise.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> trainer().resume(dir.resolve("nothing")));
        assertTrue(missing.getMessage().contains("no checkpoint"), missing.getMessage());
    }

    private static List<Double> losses(TrainingResult result) {
        return result.epochs().stream().flatMap(e -> java.util.stream.Stream.of(e.trainLoss(), e.validationLoss())).toList();
    }

    private static float[] parameters(TrainingResult result, Path file) throws IOException {
        result.model().save(file);
        return GraphEngine.load(file).parameters().toFloatVector();
    }
}
