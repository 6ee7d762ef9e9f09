package dev.latent.runtime.train;

import static dev.latent.runtime.model.file.ZipFiles.entries;
import static dev.latent.runtime.model.file.ZipFiles.serialized;
import static dev.latent.runtime.model.file.ZipFiles.with;
import static dev.latent.runtime.model.file.ZipFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.model.file.ModelFile;
import dev.latent.runtime.model.file.PlantedObject;
import dev.latent.runtime.model.file.ZipFiles;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints built to hurt a resume: serialized objects and bombs in every entry the resume
 * reads, zip bombs, hostile names, swapped entries, state values out of range. Each is refused
 * by {@code resume} with one line, in bounded time, and nothing planted runs.
 */
class HostileCheckpointsTest {
    // A guard against a hang, not a performance assertion.
    private static final Duration BOUND = Duration.ofSeconds(120);

    @TempDir
    static Path shared;
    private static Map<String, byte[]> good;
    private static Dataset data;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeACheckpoint() {
        data = Mnist.digits(60);
        Path run = shared.resolve("run");
        trainer().epochs(1).checkpoints(run).quiet().fit(data);
        good = entries(run.resolve(DenoisingTrainer.LAST_CHECKPOINT));
    }

    private static DenoisingTrainer<?> trainer() {
        return DenoisingTrainer.of(new SmallDenseNetwork()).batchSize(32);
    }

    @BeforeEach
    void resetMarker() {
        PlantedObject.ran = false;
    }

    @Test
    void theCheckpointItselfResumes() {
        Path run = checkpoint(good);
        assertEquals(2, trainer().quiet().resume(run).epochs(2).fit(data).epochs().size());
    }

    @Test
    void plantedObjectsAndBombsInEveryEntryTheResumeReadsAreRefused() {
        byte[] planted = serialized(new PlantedObject());
        byte[] bomb = serialized(PlantedObject.hashSetBomb());
        for (String name : good.keySet()) {
            // The model's description and scaling are Denoiser.load's; a resume takes them from the trainer.
            if (name.equals(Denoiser.MODEL_ENTRY) || name.equals(Denoiser.SCALING_ENTRY)) {
                continue;
            }
            for (byte[] payload : new byte[][] {planted, bomb}) {
                refused(checkpoint(with(good, name, payload)), "");
            }
        }
        refused(checkpoint(with(good, "preprocessor.bin", planted)), "preprocessor.bin");
        refused(checkpoint(with(good, Checkpoint.BEST_PARAMETERS_ENTRY, Base64.getEncoder().encode(planted))), "");
        assertFalse(PlantedObject.ran);
    }

    @Test
    void theFormerSerializedShufflerIsReadWithoutDeserializing() {
        String state = text(Checkpoint.STATE_ENTRY);
        long shufflerState = Long.parseLong(property(state, "shufflerState"));
        Random random = new Random(0);
        // A java.util.Random whose state is the checkpoint's, as checkpoints before this one stored it.
        ShufflingRandom expected = ShufflingRandom.ofState(shufflerState);
        String former = Base64.getEncoder().encodeToString(withSeed(serialized(random), shufflerState));
        Path run = checkpoint(with(good, Checkpoint.STATE_ENTRY, state.replace("shufflerState=" + shufflerState,
                "shuffler=" + former).getBytes(StandardCharsets.UTF_8)));
        Checkpoint read = Checkpoint.read(run.resolve(DenoisingTrainer.LAST_CHECKPOINT));
        assertEquals(expected.nextInt(1000), read.shuffler().nextInt(1000));

        String planted = Base64.getEncoder().encodeToString(serialized(new PlantedObject()));
        refused(checkpoint(with(good, Checkpoint.STATE_ENTRY, state.replace("shufflerState=" + shufflerState,
                "shuffler=" + planted).getBytes(StandardCharsets.UTF_8))), "shuffler is not the state of a java.util.Random");
        assertFalse(PlantedObject.ran);
    }

    @Test
    void stateValuesOutOfRangeAreRefused() {
        String state = text(Checkpoint.STATE_ENTRY);
        String[][] cases = {
            {"epochsDone=1", "epochsDone=-7", "epochsDone is -7, expected 1 to"},
            {"epochsDone=1", "epochsDone=x", "epochsDone is 'x', expected a whole number"},
            {"trainSamples=", "trainSamples=0\n#", "trainSamples is 0"},
            {"stoppedEarly=false", "stoppedEarly=maybe", "stoppedEarly is 'maybe', expected true or false"},
            {"settings.optimizer=ADAM", "settings.optimizer=ROCKET", "settings.optimizer is 'ROCKET', expected one of"},
            {"settings.batchSize=32", "settings.batchSize=0", "settings.batchSize is 0"},
            {"version=1", "version=9", "newer Latent"},
        };
        for (String[] c : cases) {
            assertTrue(state.contains(c[0]), c[0] + " in " + state);
            refused(checkpoint(with(good, Checkpoint.STATE_ENTRY, state.replaceFirst(java.util.regex.Pattern.quote(c[0]),
                    c[1]).getBytes(StandardCharsets.UTF_8))), c[2]);
        }
        refused(checkpoint(with(good, Checkpoint.HISTORY_ENTRY, (text(Checkpoint.HISTORY_ENTRY)
                + text(Checkpoint.HISTORY_ENTRY).lines().skip(1).findFirst().orElseThrow() + "\n")
                .getBytes(StandardCharsets.UTF_8))), "");
    }

    @Test
    void zipBombsNamesAndSwapsAreRefused() {
        Path bombRun = dir.resolve("bomb");
        createDirectories(bombRun);
        ZipFiles.withBomb(bombRun.resolve(DenoisingTrainer.LAST_CHECKPOINT), good, Checkpoint.STATE_ENTRY, true);
        refused(bombRun, "inflates to more than");
        refused(checkpoint(with(good, "../../last.zip", new byte[1])), "which is not one a Latent model holds");
        refused(checkpoint(with(with(good, Checkpoint.STATE_ENTRY, good.get(Checkpoint.HISTORY_ENTRY)),
                Checkpoint.HISTORY_ENTRY, good.get(Checkpoint.STATE_ENTRY))), "");
        refused(checkpoint(with(good, ModelFile.PARAMETERS_ENTRY, good.get(ModelFile.UPDATER_ENTRY))), "");
    }

    @Test
    void aMissingCheckpointNamesBothPlacesLooked() {
        Path out = dir.resolve("out");
        createDirectories(out.resolve("checkpoints"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().resume(out));
        assertTrue(e.getMessage().contains(out.resolve("last.zip").toString())
                && e.getMessage().contains(out.resolve("checkpoints").resolve("last.zip").toString()), e.getMessage());
        // A run's output folder resumes from its checkpoints folder.
        write(out.resolve("checkpoints").resolve(DenoisingTrainer.LAST_CHECKPOINT), good);
        assertEquals(out.resolve("checkpoints"), trainer().quiet().resume(out).checkpoints());
    }

    private Path checkpoint(Map<String, byte[]> entries) {
        Path run = dir.resolve("run-" + System.nanoTime());
        createDirectories(run);
        write(run.resolve(DenoisingTrainer.LAST_CHECKPOINT), entries);
        return run;
    }

    /** Resuming from {@code run} fails with one line containing {@code problem}, before or at fit. */
    private static void refused(Path run, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> assertTimeoutPreemptively(BOUND, () -> trainer().quiet().resume(run).epochs(2).fit(data)), run.toString());
        String message = e.getMessage();
        assertTrue(message.contains(problem), message);
        assertTrue(message.contains(run.toString()), "names the file: " + message);
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertFalse(message.endsWith(": null") || message.contains(": null;"), "says what failed: " + message);
        assertFalse(message.matches(".*\\b[A-Z][A-Za-z]*(Exception|Error)\\b.*"), "no exception class: " + message);
        assertFalse(PlantedObject.ran, "a planted object ran: " + run);
    }

    private static String text(String entry) {
        return new String(good.get(entry), StandardCharsets.UTF_8);
    }

    private static String property(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow().substring(key.length() + 1);
    }

    // Java writes a Random's 48-bit state as its last field, before the end-of-data marker.
    private static byte[] withSeed(byte[] serialized, long seed) {
        java.nio.ByteBuffer.wrap(serialized).putLong(serialized.length - 9, seed);
        return serialized;
    }

    private static void createDirectories(Path path) {
        try {
            Files.createDirectories(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
