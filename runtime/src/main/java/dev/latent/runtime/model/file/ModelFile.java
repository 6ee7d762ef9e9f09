package dev.latent.runtime.model.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Latent's model file: a zip of the network's graph configurations as DL4J JSON, its parameters
 * and optimizer state as {@code .npy} arrays, and Latent's own text entries (the model's
 * description, the data scaling, a checkpoint's training state). Nothing in it is a serialized
 * Java object, and {@link #read} checks every entry before anything is built from it:
 *
 * <ul>
 *   <li>names: only those below (and the Latent text entries under {@code latent/}, plain names
 *       of at most six parts) are accepted, before any entry is read;</li>
 *   <li>sizes: every entry is read through a hard limit, {@value #MAX_TEXT_BYTES} bytes for text
 *       and JSON, and for arrays what the configuration's parameter count allows; the parameter
 *       count itself is at most {@value #MAX_PARAMETERS};</li>
 *   <li>content: the JSON names only DL4J's configuration classes ({@link ConfigurationJson}), the
 *       parameters are exactly as many as the configuration declares, the optimizer state exactly
 *       as large as the optimizer the configuration declares keeps.</li>
 * </ul>
 *
 * <p>Files written by Latent before this format (a DL4J model zip, {@code configuration.json},
 * {@code coefficients.bin} and {@code updaterState.bin}, with Latent's entries) are read through
 * the same checks; their arrays are read by {@link Nd4jBinary}, and a {@code preprocessor.bin}
 * (a serialized Java object, which Latent never wrote) is refused unread.
 */
public final class ModelFile {
    /** Which engine wrote the file. */
    public static final String KIND_ENTRY = "latent/engine/kind";
    /** The autoencoder graph's configuration, DL4J JSON. */
    public static final String AUTOENCODER_ENTRY = "latent/engine/autoencoder.json";
    /** The encoder graph's configuration, DL4J JSON. */
    public static final String ENCODER_ENTRY = "latent/engine/encoder.json";
    /** The decoder graph's configuration, DL4J JSON. */
    public static final String DECODER_ENTRY = "latent/engine/decoder.json";
    /** Every parameter of the autoencoder, flattened as DL4J holds them, {@code .npy}. */
    public static final String PARAMETERS_ENTRY = "latent/engine/parameters.npy";
    /** The optimizer's state, flattened as DL4J holds it, {@code .npy}; absent when the optimizer keeps none. */
    public static final String UPDATER_ENTRY = "latent/engine/updater.npy";
    /** The most parameters a model file may hold: 1 GiB of float32. */
    public static final long MAX_PARAMETERS = 1L << 28;
    /** The most bytes a text or JSON entry may inflate to. */
    public static final long MAX_TEXT_BYTES = 8L << 20;

    static final String LEGACY_CONFIGURATION = "configuration.json";
    static final String LEGACY_PARAMETERS = "coefficients.bin";
    static final String LEGACY_UPDATER = "updaterState.bin";
    // DL4J writes these as serialized Java objects (or may); Latent never did, and never reads them.
    private static final Set<String> SERIALIZED_OBJECTS = Set.of("preprocessor.bin", "normalizer.bin");
    // Entries holding arrays as text (ArrayText): a checkpoint's best parameters, SameDiff's optimizer state.
    private static final String BEST_PARAMETERS = "latent/train/best-parameters";
    private static final String SAMEDIFF_UPDATER = "latent/engine/samediff-updater/";
    // The most optimizer state any DL4J updater keeps per parameter (AMSGrad: 3), with room.
    private static final int STATE_PER_PARAMETER = 4;
    private static final long NPY_HEADER = 4096;
    private static final Pattern ENGINE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern LATENT_NAME =
            Pattern.compile("latent(/[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}){1,6}");

    private final Path path;
    private final Map<String, String> texts;
    private final String autoencoderJson;
    private final ComputationGraphConfiguration encoder;
    private final ComputationGraphConfiguration decoder;
    private final INDArray parameters;
    private final INDArray updaterState;

    private ModelFile(Path path, Map<String, String> texts, String autoencoderJson,
            ComputationGraphConfiguration encoder, ComputationGraphConfiguration decoder, INDArray parameters,
            INDArray updaterState) {
        this.path = path;
        this.texts = texts;
        this.autoencoderJson = autoencoderJson;
        this.encoder = encoder;
        this.decoder = decoder;
        this.parameters = parameters;
        this.updaterState = updaterState;
    }

    /**
     * Writes {@code graph} (with its optimizer state) and the encoder's and decoder's
     * configurations to {@code zip}, with {@code textEntries} (name to UTF-8 text) after them.
     */
    public static void write(Path zip, String kind, ComputationGraph graph, ComputationGraphConfiguration encoder,
            ComputationGraphConfiguration decoder, Map<String, String> textEntries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zip)))) {
            writeText(out, KIND_ENTRY, kind);
            writeText(out, AUTOENCODER_ENTRY, graph.getConfiguration().toJson());
            writeText(out, ENCODER_ENTRY, encoder.toJson());
            writeText(out, DECODER_ENTRY, decoder.toJson());
            writeArray(out, PARAMETERS_ENTRY, graph.params());
            INDArray state = graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray();
            if (state != null && state.length() > 0) {
                writeArray(out, UPDATER_ENTRY, state);
            }
            for (Map.Entry<String, String> entry : textEntries.entrySet()) {
                writeText(out, entry.getKey(), entry.getValue());
            }
        }
    }

    /**
     * Reads and checks every entry of {@code path}.
     *
     * @throws ModelFileException with one line naming the file and what is wrong with it
     */
    public static ModelFile read(Path path) {
        try (BoundedZip zip = BoundedZip.open(path)) {
            return read(path, zip);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ModelFileException(path, e.getMessage(), e);
        }
    }

    private static ModelFile read(Path path, BoundedZip zip) {
        Set<String> names = zip.names();
        for (String serialized : SERIALIZED_OBJECTS) {
            if (names.contains(serialized)) {
                throw zip.problem("holds " + serialized + ", a serialized Java object, which Latent never writes and "
                        + "never reads; not a file Latent wrote");
            }
        }
        boolean legacy = !names.contains(AUTOENCODER_ENTRY) && names.contains(LEGACY_CONFIGURATION);
        if (!names.contains(KIND_ENTRY) && !names.contains("latent/model.properties")) {
            throw zip.problem(names.contains(LEGACY_CONFIGURATION)
                    ? "a DL4J model without Latent's entries (no latent/model.properties); Latent reads the files "
                            + "Denoiser.save writes"
                    : "a zip archive but not a Latent model (no latent/model.properties)");
        }
        for (String name : names) {
            if (!allowedName(name, legacy)) {
                throw zip.problem("holds an entry named '" + BoundedZip.printable(name)
                        + "', which is not one a Latent model holds; not a file Latent wrote");
            }
        }
        Map<String, String> texts = new LinkedHashMap<>();
        String autoencoderJson = null;
        ComputationGraphConfiguration autoencoder;
        ComputationGraphConfiguration encoder = null;
        ComputationGraphConfiguration decoder = null;
        INDArray parameters = null;
        INDArray updaterState = null;
        String autoencoderEntry = legacy ? LEGACY_CONFIGURATION : AUTOENCODER_ENTRY;
        if (names.contains(autoencoderEntry)) {
            autoencoderJson = text(zip, autoencoderEntry, MAX_TEXT_BYTES);
            autoencoder = ConfigurationJson.parse(autoencoderJson, autoencoderEntry);
            encoder = ConfigurationJson.parse(required(zip, ENCODER_ENTRY), ENCODER_ENTRY);
            decoder = ConfigurationJson.parse(required(zip, DECODER_ENTRY), DECODER_ENTRY);
            long count = parameterCount(autoencoder, autoencoderEntry);
            for (ComputationGraphConfiguration part : new ComputationGraphConfiguration[] {encoder, decoder}) {
                if (parameterCount(part, part == encoder ? ENCODER_ENTRY : DECODER_ENTRY) > count) {
                    throw new IllegalArgumentException((part == encoder ? ENCODER_ENTRY : DECODER_ENTRY)
                            + " declares more parameters than the autoencoder it is part of");
                }
            }
            parameters = legacy ? legacyArray(zip, LEGACY_PARAMETERS, count) : npy(zip, PARAMETERS_ENTRY, count);
            if (parameters == null) {
                throw new IllegalArgumentException("no " + (legacy ? LEGACY_PARAMETERS : PARAMETERS_ENTRY)
                        + " beside the configuration; the file is incomplete, save the model again");
            }
            if (parameters.length() != count || parameters.rank() > 2 || parameters.rank() == 2 && parameters.size(0) != 1) {
                throw new IllegalArgumentException((legacy ? LEGACY_PARAMETERS : PARAMETERS_ENTRY) + " holds "
                        + java.util.Arrays.toString(parameters.shape()) + " values; the configuration declares "
                        + count + " parameters");
            }
            long stateLimit = Math.multiplyExact(count, STATE_PER_PARAMETER);
            updaterState = legacy ? legacyArray(zip, LEGACY_UPDATER, stateLimit) : npy(zip, UPDATER_ENTRY, stateLimit);
            long arrayText = base64Length(Math.addExact(Math.multiplyExact(count, 8), NPY_HEADER));
            long sameDiffLeft = Math.multiplyExact(arrayText, STATE_PER_PARAMETER);
            for (String name : names) {
                if (name.equals(BEST_PARAMETERS)) {
                    texts.put(name, text(zip, name, arrayText));
                } else if (name.startsWith(SAMEDIFF_UPDATER)) {
                    String value = text(zip, name, Math.min(arrayText, sameDiffLeft));
                    sameDiffLeft -= value.length();
                    texts.put(name, value);
                }
            }
        } else if (names.contains(KIND_ENTRY)) {
            throw new IllegalArgumentException("no " + AUTOENCODER_ENTRY
                    + " holding the network; the file is incomplete, save the model again");
        }
        for (String name : names) {
            if (name.startsWith("latent/") && !name.endsWith(".json") && !name.endsWith(".npy")
                    && !texts.containsKey(name) && !name.equals(BEST_PARAMETERS) && !name.startsWith(SAMEDIFF_UPDATER)) {
                texts.put(name, text(zip, name, MAX_TEXT_BYTES));
            }
        }
        String kind = texts.get(KIND_ENTRY);
        if (kind != null && !ENGINE_NAME.matcher(kind.trim()).matches()) {
            throw new IllegalArgumentException(KIND_ENTRY + " holds no engine name; not a file Latent wrote");
        }
        ModelFile file = new ModelFile(path, Collections.unmodifiableMap(texts), autoencoderJson, encoder, decoder,
                parameters, updaterState);
        // Arrays kept as text are checked now too, so a damaged one is found before anything is built.
        for (String name : file.textNames()) {
            if (name.equals(BEST_PARAMETERS) || name.startsWith(SAMEDIFF_UPDATER)) {
                file.arrayText(name);
            }
        }
        return file;
    }

    /** The file read. */
    public Path path() {
        return path;
    }

    /** The text of Latent's entry {@code name}, or null when the file has none. */
    public String text(String name) {
        return texts.get(name);
    }

    /** The names of Latent's text entries, in the file's order. */
    public Set<String> textNames() {
        return texts.keySet();
    }

    /** Whether the file holds a network (a model file does; a zip of Latent's text entries alone does not). */
    public boolean hasNetwork() {
        return autoencoderJson != null;
    }

    /** The encoder's configuration. */
    public ComputationGraphConfiguration encoder() {
        return requireNetwork(encoder);
    }

    /** The decoder's configuration. */
    public ComputationGraphConfiguration decoder() {
        return requireNetwork(decoder);
    }

    /** The number of parameters the autoencoder holds. */
    public long parameterCount() {
        return requireNetwork(parameters).length();
    }

    /**
     * The autoencoder graph with the file's parameters and optimizer state, as DL4J's own
     * {@code ModelSerializer} restores a graph.
     *
     * @throws ModelFileException if the optimizer state does not fit the configuration's optimizer
     */
    public ComputationGraph autoencoder() {
        // Read again rather than cloned: clone() drops the iteration and epoch counts, which Adam's step depends on.
        ComputationGraphConfiguration configuration = ConfigurationJson.parse(requireNetwork(autoencoderJson), "the autoencoder");
        configuration.setDataType(parameters.dataType());
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init(parameters.reshape('c', new long[] {1, parameters.length()}).dup(), false);
        if (updaterState != null) {
            INDArray expected = graph.getUpdater().getStateViewArray();
            if (expected == null || expected.length() != updaterState.length()) {
                throw new ModelFileException(path, "the optimizer state holds " + updaterState.length()
                        + " values; the configuration's optimizer keeps " + (expected == null ? 0 : expected.length())
                        + "; the file is damaged, save the model again");
            }
            graph.getUpdater().setStateViewArray(updaterState.reshape('c', expected.shape()).dup());
        }
        return graph;
    }

    /**
     * The array in the text entry {@code name} (an {@code ArrayText}), or null when absent.
     *
     * @throws ModelFileException if it is not an array
     */
    public INDArray arrayText(String name) {
        String text = texts.get(name);
        if (text == null) {
            return null;
        }
        try {
            return Nd4jBinary.read(java.util.Base64.getMimeDecoder().decode(text.trim()), name);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(path, e.getMessage(), e);
        }
    }

    private <T> T requireNetwork(T part) {
        if (part == null) {
            throw new ModelFileException(path, "holds no network (no " + AUTOENCODER_ENTRY + ")");
        }
        return part;
    }

    private static boolean allowedName(String name, boolean legacy) {
        if (legacy && (name.equals(LEGACY_CONFIGURATION) || name.equals(LEGACY_PARAMETERS) || name.equals(LEGACY_UPDATER))) {
            return true;
        }
        return LATENT_NAME.matcher(name).matches() && !name.contains("..");
    }

    /** Parameters the configuration declares, checked before any array is read. */
    static long parameterCount(ComputationGraphConfiguration configuration, String entry) {
        long count = 0;
        for (Map.Entry<String, GraphVertex> vertex : configuration.getVertices().entrySet()) {
            long n;
            try {
                n = vertex.getValue().numParams(true);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(entry + ": the layer " + vertex.getKey()
                        + " has no parameter count (" + e.getMessage() + ")", e);
            }
            if (n < 0) {
                throw new IllegalArgumentException(entry + ": the layer " + vertex.getKey() + " declares " + n
                        + " parameters");
            }
            count = Math.addExact(count, n);
            if (count > MAX_PARAMETERS) {
                throw new IllegalArgumentException(entry + " declares more than " + MAX_PARAMETERS
                        + " parameters, more than a Latent model file may hold");
            }
        }
        return count;
    }

    private static String required(BoundedZip zip, String name) {
        if (!zip.has(name)) {
            throw new IllegalArgumentException("no " + name + "; the file is incomplete, save the model again");
        }
        return text(zip, name, MAX_TEXT_BYTES);
    }

    private static String text(BoundedZip zip, String name, long limit) {
        byte[] bytes = zip.bytes(name, limit);
        if (bytes == null) {
            return null;
        }
        // Strictly: a text entry holding anything but UTF-8 (a planted object, say) is refused, not read.
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + " is not UTF-8 text; the file is damaged or was not written by Latent");
        }
    }

    private static INDArray npy(BoundedZip zip, String name, long maxValues) {
        if (!zip.has(name)) {
            return null;
        }
        try (InputStream in = zip.open(name, Math.addExact(NPY_HEADER, Math.multiplyExact(maxValues, 8)))) {
            return NpyArrays.read(in, name, maxValues);
        } catch (IOException e) {
            throw zip.unreadable(name, e);
        }
    }

    private static INDArray legacyArray(BoundedZip zip, String name, long maxValues) {
        if (!zip.has(name)) {
            return null;
        }
        try (InputStream in = new java.io.BufferedInputStream(
                zip.open(name, Math.addExact(NPY_HEADER, Math.multiplyExact(maxValues, 8))))) {
            return Nd4jBinary.read(in, name, maxValues);
        } catch (IOException e) {
            throw zip.unreadable(name, e);
        }
    }

    private static long base64Length(long bytes) {
        // MIME line breaks (2 per 76 characters) included.
        long chars = Math.multiplyExact((bytes + 2) / 3, 4);
        return chars + chars / 76 * 2 + 16;
    }

    private static void writeText(ZipOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private static void writeArray(ZipOutputStream out, String name, INDArray array) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        // NpyArrays writes in chunks; the zip stream must stay open after it.
        OutputStream entry = new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                // The zip stream is closed by its owner.
            }
        };
        NpyArrays.write(array, entry);
        out.closeEntry();
    }
}
