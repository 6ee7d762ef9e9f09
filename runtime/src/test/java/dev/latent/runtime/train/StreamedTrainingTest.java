package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.dsl.Resample;
import dev.latent.runtime.data.Datasets;
import dev.latent.runtime.data.StreamedDataset;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.NpyFiles;
import dev.latent.runtime.testing.SmallDenseNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on data streamed from disk: as data in memory when it is one block, and in a heap smaller than the file. */
class StreamedTrainingTest {
    static final int TRAIN_DIGITS = 800;
    private static final Shape DIGIT = Shape.of(28, 28, 1);
    /** The child's heap, in MiB; the file is larger. */
    private static final int CHILD_MIB = 64;

    @TempDir
    Path dir;

    static DenoisingTrainer<?> trainer() {
        return DenoisingTrainer.of(new SmallDenseNetwork()).epochs(2).batchSize(128);
    }

    private Path digitsFile(int digits, int copies) {
        Path file = dir.resolve("digits.npy");
        NpyFiles.writeRepeated(file, Mnist.digits(digits).features().ravel().toFloatVector(), copies, 28, 28);
        return file;
    }

    private static List<Double> losses(TrainingResult result) {
        return result.epochs().stream().flatMap(e -> java.util.stream.Stream.of(e.trainLoss(), e.validationLoss()))
                .toList();
    }

    @Test
    void oneBlockTrainsAsTheSameDataInMemory() {
        Path file = digitsFile(300, 1);
        StreamedDataset stream = Datasets.stream(file, DIGIT, DataRange.UNIT);
        assertEquals(1, stream.blocks());
        DenoisingTrainer<?> trainer = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(2).batchSize(32).quiet();

        TrainingResult streamed = trainer.fit(stream);
        TrainingResult inMemory = trainer.fit(Mnist.digits(300));

        assertEquals(losses(inMemory), losses(streamed), "the same shuffles, noise and steps");
        assertEquals(240, streamed.trainSamples());
        assertEquals(60, streamed.validationSamples());
    }

    @Test
    void blocksShuffleReproduciblyAndTheLossFalls() {
        StreamedDataset stream = Datasets.stream(digitsFile(600, 1), DIGIT, DataRange.UNIT).blockSize(100);
        DenoisingTrainer<?> trainer = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(3).batchSize(32).quiet();

        TrainingResult first = trainer.fit(stream);
        TrainingResult again = trainer.fit(stream);
        TrainingResult otherSeed = trainer.seed(7).fit(stream);

        assertEquals(losses(first), losses(again));
        assertNotEquals(losses(first), losses(otherSeed));
        List<EpochStats> epochs = first.epochs();
        assertTrue(epochs.get(2).trainLoss() < epochs.get(0).trainLoss() * 0.9, epochs.toString());
        assertEquals(19, epochs.get(0).batches(), "480 samples: 4 blocks of 100 in 4 batches of 32 each, one of 80 in 3");
    }

    @Test
    void aStreamedRunResumesAsIfUninterrupted() {
        StreamedDataset stream = Datasets.stream(digitsFile(300, 1), DIGIT, DataRange.UNIT).blockSize(70);
        Path checkpoints = dir.resolve("run");
        DenoisingTrainer.of(new SmallDenseNetwork()).epochs(1).batchSize(32).checkpoints(checkpoints).quiet().fit(stream);

        TrainingResult resumed = DenoisingTrainer.of(new SmallDenseNetwork()).quiet().resume(checkpoints).epochs(3)
                .fit(stream);
        TrainingResult whole = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(3).batchSize(32).quiet().fit(stream);

        assertEquals(losses(whole), losses(resumed));
        String message = assertThrows(IllegalArgumentException.class, () -> DenoisingTrainer.of(new SmallDenseNetwork())
                .quiet().resume(checkpoints).epochs(4).fit(stream.blockSize(50))).getMessage();
        assertTrue(message.endsWith("the run shuffled its training data in blocks of 70 samples; this data is read in "
                + "blocks of 50. Resume with the same blockSize, or the rest of the run shuffles otherwise."), message);
    }

    @Test
    void streamedDataRefusesOnceNoiseAndAMissingValidationSet() {
        StreamedDataset stream = Datasets.stream(digitsFile(100, 1), DIGIT, DataRange.UNIT);
        DenoisingTrainer<?> once = DenoisingTrainer.of(new SmallDenseNetwork()).quiet()
                .noise(new SmallDenseNetwork().noise().withResample(Resample.ONCE));
        String message = assertThrows(IllegalArgumentException.class, () -> once.fit(stream)).getMessage();
        assertTrue(message.startsWith("noise resampled ONCE keeps one noisy copy of the whole training set in memory"),
                message);

        DenoisingTrainer<?> noSplit = DenoisingTrainer.of(new SmallDenseNetwork()).validationSplit(0).quiet();
        message = assertThrows(IllegalArgumentException.class, () -> noSplit.fit(stream)).getMessage();
        assertTrue(message.contains("needs validation data") && message.contains("fit(train, validation)"), message);
    }

    @Test
    void aFileLargerThanTheHeapTrainsInAChildJvm() throws Exception {
        // 800 real digits 48 times over as float32: 120 MB, where the child has a heap of 64 MiB.
        Path file = digitsFile(TRAIN_DIGITS, 48);
        long bytes = Files.size(file);
        assertTrue(bytes > (CHILD_MIB << 20) * 3L / 2, "file of " + bytes + " bytes");

        Child loaded = child("load", file);
        assertNotEquals(0, loaded.exit(), "reading the whole file must not fit, or this test shows nothing: " + loaded.log());
        assertTrue(loaded.log().contains("OutOfMemoryError"), loaded.log());

        Child streamed = child("stream", file);
        assertEquals(0, streamed.exit(), streamed.log());
        Matcher epoch = Pattern.compile("epoch (\\d+) (\\S+) (\\S+)").matcher(streamed.log());
        double[] train = new double[3];
        while (epoch.find()) {
            train[Integer.parseInt(epoch.group(1))] = Double.parseDouble(epoch.group(2));
        }
        assertTrue(train[1] > 0 && train[2] < train[1], streamed.log());
        Matcher memory = Pattern.compile("memory heap-max (\\d+) heap-peak (\\d+) resident-before (\\d+) "
                + "resident-peak (\\d+) .* mean-baseline (\\S+) final (\\S+)").matcher(streamed.log());
        assertTrue(memory.find(), streamed.log());
        long residentGrowth = Long.parseLong(memory.group(4)) - Long.parseLong(memory.group(3));
        assertTrue(residentGrowth < bytes / 2, "heap and native arrays together grew by " + residentGrowth + ": "
                + memory.group());
        assertTrue(Double.parseDouble(memory.group(6)) < Double.parseDouble(memory.group(5)), memory.group());
        System.out.println("streamed " + bytes + " bytes: " + memory.group() + "\n" + streamed.log());
    }

    private record Child(int exit, String log) {}

    private Child child(String mode, Path file) throws IOException, InterruptedException {
        Path log = dir.resolve(mode + ".log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + CHILD_MIB + "m",
                // ND4J's arrays escape JavaCPP's maxbytes in this version, so the child measures its resident set;
                // JavaCPP's default cap on that (twice the heap) is below what ND4J's libraries alone take.
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.bytedeco.javacpp.platform.extension="
                        + System.getProperty("org.bytedeco.javacpp.platform.extension", ""),
                StreamedTrainingChild.class.getName(), mode, file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        return new Child(child.isAlive() ? -1 : child.exitValue(), Files.readString(log));
    }
}
