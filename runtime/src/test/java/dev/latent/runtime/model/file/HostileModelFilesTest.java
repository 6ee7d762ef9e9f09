package dev.latent.runtime.model.file;

import static dev.latent.runtime.model.file.ZipFiles.entries;
import static dev.latent.runtime.model.file.ZipFiles.serialized;
import static dev.latent.runtime.model.file.ZipFiles.with;
import static dev.latent.runtime.model.file.ZipFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Files built to hurt {@link Denoiser#load}: serialized objects and deserialization bombs in
 * every entry, zip bombs, hostile entry names, truncated, swapped and misshapen entries, classes
 * named in the configuration. Each is refused with one line, in bounded time, and nothing planted
 * runs.
 */
class HostileModelFilesTest {
    // A guard against a hang, not a performance assertion.
    private static final Duration BOUND = Duration.ofSeconds(120);

    @TempDir
    static Path shared;
    private static Path good;
    private static Map<String, byte[]> goodEntries;
    private static SmallDenseNetwork network;

    @TempDir
    Path dir;

    @BeforeAll
    static void saveAModel() {
        network = new SmallDenseNetwork();
        good = shared.resolve("good.zip");
        Denoiser.of(network, Engines.create(network, network.training(), network.loss())).save(good);
        goodEntries = entries(good);
    }

    @BeforeEach
    void resetMarkers() {
        PlantedObject.ran = false;
    }

    @Test
    void aPlantedObjectWouldRunThroughDl4jsModelSerializer() throws Exception {
        Path file = legacyModelWith("preprocessor.bin", serialized(new PlantedObject()));
        try {
            ModelSerializer.restoreComputationGraph(file.toFile(), true);
        } catch (RuntimeException expected) {
            // The object is no DataSetPreProcessor: DL4J fails, after running its readObject.
        }
        assertTrue(PlantedObject.ran, "DL4J's loader deserializes preprocessor.bin");

        PlantedObject.ran = false;
        refused(file, "holds preprocessor.bin, a serialized Java object");
        assertFalse(PlantedObject.ran);
    }

    @Test
    void aClassNamedInTheConfigurationWouldBeInitialisedByDl4jsJsonReader() {
        String json = new String(goodEntries.get(ModelFile.AUTOENCODER_ENTRY), StandardCharsets.UTF_8);
        String hostile = json.replaceFirst("org\\.nd4j\\.linalg\\.activations\\.impl\\.ActivationReLU",
                StaticInitMarker.class.getName());
        assertFalse(hostile.equals(json), "the configuration names ReLU");
        assertThrows(IllegalArgumentException.class, () -> ConfigurationJson.parse(hostile, "test.json"));
        assertFalse(PlantedObject.markerInitialised, "checking the names initialises nothing");

        Path file = write(dir.resolve("class.zip"), with(goodEntries, ModelFile.AUTOENCODER_ENTRY,
                hostile.getBytes(StandardCharsets.UTF_8)));
        refused(file, "names the class " + StaticInitMarker.class.getName() + ", which is not one a model file may name");
        assertFalse(PlantedObject.markerInitialised);

        try {
            ComputationGraphConfiguration.fromJson(hostile);
        } catch (RuntimeException ignored) {
            // Whether DL4J then accepts the class or not, it has initialised it.
        }
        assertTrue(PlantedObject.markerInitialised, "DL4J's own reader initialises the class the text names");
    }

    @Test
    void plantedObjectsAndBombsInEveryEntryAreRefusedUnread() {
        byte[] planted = serialized(new PlantedObject());
        byte[] bomb = serialized(PlantedObject.hashSetBomb());
        for (String name : goodEntries.keySet()) {
            for (byte[] payload : new byte[][] {planted, bomb}) {
                refused(write(dir.resolve("planted.zip"), with(goodEntries, name, payload)), "");
            }
        }
        refused(write(dir.resolve("extra.zip"), with(goodEntries, "preprocessor.bin", bomb)), "preprocessor.bin");
        refused(write(dir.resolve("normalizer.zip"), with(goodEntries, "normalizer.bin", planted)), "normalizer.bin");
        assertFalse(PlantedObject.ran);
    }

    @Test
    void zipBombsStopAtTheLimit() {
        // Announced honestly, the size alone refuses it; announced as 100 bytes, the count of inflated bytes does.
        refused(ZipFiles.withBomb(dir.resolve("honest.zip"), goodEntries, Denoiser.MODEL_ENTRY, false),
                "the entry latent/model.properties inflates to more than");
        refused(ZipFiles.withBomb(dir.resolve("lying.zip"), goodEntries, ModelFile.AUTOENCODER_ENTRY, true),
                "the entry latent/engine/autoencoder.json inflates to more than");
        refused(ZipFiles.withBomb(dir.resolve("array.zip"), goodEntries, ModelFile.PARAMETERS_ENTRY, true), "");
    }

    @Test
    void entryNamesOutsideTheAllowListAreRefused() {
        for (String name : new String[] {"../../evil.properties", "/etc/passwd", "latent/../../x.properties",
                "latent/engine/../../../x", "C:\\evil.properties", "latent\\engine\\kind", "latent/x\u0000y",
                "hello.txt", "latent/a/b/c/d/e/f/g/h"}) {
            refused(write(dir.resolve("name.zip"), with(goodEntries, name, "x".getBytes(StandardCharsets.UTF_8))),
                    "which is not one a Latent model holds");
        }
    }

    @Test
    void truncatedEntriesAreRefused() {
        for (String name : new String[] {ModelFile.PARAMETERS_ENTRY, ModelFile.UPDATER_ENTRY, ModelFile.AUTOENCODER_ENTRY,
                ModelFile.ENCODER_ENTRY}) {
            byte[] whole = goodEntries.get(name);
            byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
            refused(write(dir.resolve("truncated.zip"), with(goodEntries, name, half)), "");
        }
        Map<String, byte[]> missing = new LinkedHashMap<>(goodEntries);
        missing.remove(ModelFile.PARAMETERS_ENTRY);
        refused(write(dir.resolve("missing.zip"), missing), "no latent/engine/parameters.npy");
    }

    @Test
    void swappedEntriesAreRefused() {
        Map<String, byte[]> arrays = with(with(goodEntries, ModelFile.PARAMETERS_ENTRY,
                goodEntries.get(ModelFile.UPDATER_ENTRY)), ModelFile.UPDATER_ENTRY, goodEntries.get(ModelFile.PARAMETERS_ENTRY));
        refused(write(dir.resolve("arrays.zip"), arrays), "more than the " + network.parameterCount() + " values");
        Map<String, byte[]> graphs = with(with(goodEntries, ModelFile.AUTOENCODER_ENTRY,
                goodEntries.get(ModelFile.ENCODER_ENTRY)), ModelFile.ENCODER_ENTRY, goodEntries.get(ModelFile.AUTOENCODER_ENTRY));
        refused(write(dir.resolve("graphs.zip"), graphs), "");
        Map<String, byte[]> texts = with(with(goodEntries, Denoiser.MODEL_ENTRY, goodEntries.get(Denoiser.SCALING_ENTRY)),
                Denoiser.SCALING_ENTRY, goodEntries.get(Denoiser.MODEL_ENTRY));
        refused(write(dir.resolve("texts.zip"), texts), "not a Latent model");
    }

    @Test
    void arraysOfTheWrongShapeOrTypeAreRefused() throws Exception {
        long n = network.parameterCount();
        for (String shape : new String[] {"(1, " + (n + 1) + ")", "(1, " + (n - 1) + ")", "(2, " + (n / 2) + ")",
                "(1, 99999999999)", "(1, -5)", "(3037000500, 3037000500)"}) {
            refused(write(dir.resolve("shape.zip"), with(goodEntries, ModelFile.PARAMETERS_ENTRY, npy("<f4", shape, n))), "");
        }
        refused(write(dir.resolve("ints.zip"), with(goodEntries, ModelFile.PARAMETERS_ENTRY, npy("<i4", "(1, " + n + ")", n))),
                "expected little-endian float32 or float64");
        refused(write(dir.resolve("updater.zip"), with(goodEntries, ModelFile.UPDATER_ENTRY, npy("<f4", "(1, 10)", 10))),
                "the optimizer state holds 10 values");
    }

    @Test
    void configurationsNamingOtherClassesOrNestingDeepAreRefused() {
        String json = new String(goodEntries.get(ModelFile.AUTOENCODER_ENTRY), StandardCharsets.UTF_8);
        String[][] cases = {
            {json.replaceFirst("\"@class\" : \"[^\"]*\"", "\"@class\" : \"java.lang.ProcessBuilder\""), "java.lang.ProcessBuilder"},
            {json.replaceFirst("\\{", "{ \"gadget\" : [ \"javax.management.MBeanServerFactory\", { } ],"), "javax.management.MBeanServerFactory"},
            {json.replaceFirst("\\{", "{ \"@type\" : \"x\","), "holds the field '@type'"},
            {"[".repeat(100_000), "nests deeper than"},
            {"not json", "not valid JSON"},
        };
        for (String[] c : cases) {
            refused(write(dir.resolve("json.zip"), with(goodEntries, ModelFile.AUTOENCODER_ENTRY,
                    c[0].getBytes(StandardCharsets.UTF_8))), c[1]);
        }
    }

    @Test
    void aModelOfTheFormerLayoutLoadsWithoutItsSerializedEntries() throws Exception {
        Path file = legacyModelWith(null, null);
        Denoiser loaded = assertTimeoutPreemptively(BOUND, () -> Denoiser.load(file));
        INDArray batch = Mnist.digits(5).features();
        assertArrayEquals(Denoiser.load(good).denoise(batch).ravel().toFloatVector(),
                loaded.denoise(batch).ravel().toFloatVector());
    }

    /**
     * The layout Latent wrote before: DL4J's model zip (ModelSerializer) of the good model's
     * network, with Latent's entries, plus {@code extra} when given.
     */
    private Path legacyModelWith(String extra, byte[] bytes) throws Exception {
        ModelFile model = ModelFile.read(good);
        Path dl4j = dir.resolve("dl4j.zip");
        ComputationGraph graph = model.autoencoder();
        ModelSerializer.writeModel(graph, dl4j.toFile(), true);
        Map<String, byte[]> entries = new LinkedHashMap<>(entries(dl4j));
        goodEntries.forEach((name, value) -> {
            if (!name.equals(ModelFile.AUTOENCODER_ENTRY) && !name.endsWith(".npy")) {
                entries.put(name, value);
            }
        });
        entries.put(Denoiser.MODEL_ENTRY, new String(goodEntries.get(Denoiser.MODEL_ENTRY), StandardCharsets.UTF_8)
                .replace("formatVersion=2", "formatVersion=1").getBytes(StandardCharsets.UTF_8));
        if (extra != null) {
            entries.put(extra, bytes);
        }
        return write(dir.resolve("legacy.zip"), entries);
    }

    private static byte[] npy(String descr, String shape, long values) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        String header = dict + " ".repeat(118 - dict.length()) + "\n";
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[10 + head.length + (int) values * 4];
        bytes[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, bytes, 1, 5);
        bytes[6] = 1;
        bytes[8] = (byte) head.length;
        System.arraycopy(head, 0, bytes, 10, head.length);
        return bytes;
    }

    /** {@code file} is refused by Denoiser.load with one line naming it and containing {@code problem}. */
    static void refused(Path file, String problem) {
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> assertTimeoutPreemptively(BOUND, () -> Denoiser.load(file)), file.toString());
        String message = e.getMessage();
        assertTrue(message.startsWith(file + ": "), message);
        assertTrue(message.contains(problem), message);
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertFalse(message.endsWith(": null") || message.contains(": null;"), "says what failed: " + message);
        assertFalse(message.matches(".*\\b[A-Z][A-Za-z]*(Exception|Error)\\b.*"), "no exception class: " + message);
        assertFalse(PlantedObject.ran, "a planted object ran: " + file);
        assertEquals(file, e.file());
    }
}
