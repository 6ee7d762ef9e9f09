package dev.latent.runtime.model;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.LoweredNetwork;
import dev.latent.runtime.model.file.ModelFile;
import dev.latent.runtime.model.file.ModelFileException;
import dev.latent.runtime.model.onnx.OnnxExport;
import dev.latent.runtime.model.onnx.OnnxExportException;
import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained denoising autoencoder: {@link #denoise}, {@link #encode} and {@link #decode}, and
 * {@link #save}/{@link #load} to a single file that needs no generated class to read back.
 *
 * <p>Every method takes either a batch in the engine's layout ({@code [n, C, H, W]} for images,
 * {@code [n, N]} for vectors) or one sample without the batch dimension ({@code [C, H, W]} or
 * {@code [N]}), and answers in kind. Values are expected in {@link #range()}.
 *
 * <p>Thread-safe: one instance may be called from many threads at once and answers each call as
 * it would from one thread. The engine keeps per-call arrays, so the calls take turns on it (a
 * lock per engine); for throughput from several threads, {@link #load} one instance per thread.
 *
 * <p>The file is Latent's model file ({@link ModelFile}): the engine's entries (the graph
 * configurations as JSON, parameters and optimizer state as {@code .npy} arrays),
 * {@code latent/model.properties} with the format marker and the model's shapes, and
 * {@code latent/scaling.properties} with the {@link Scaling} fitted on the training data (files
 * written before it existed load with the identity scaling). Loading deserializes no Java object
 * and checks every entry before building anything.
 */
public final class Denoiser {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    /** The zip entry that marks a Latent model and holds its description. */
    public static final String MODEL_ENTRY = "latent/model.properties";
    /** The format marker in {@link #MODEL_ENTRY}. */
    public static final String FORMAT = "latent-denoiser";
    /**
     * The version of the file layout this runtime writes; it reads this one and older. Version 1
     * held the network as a DL4J model zip; version 2 as {@link ModelFile}'s JSON and arrays.
     */
    public static final int FORMAT_VERSION = 2;
    /** The zip entry that holds the training data's {@link Scaling}; optional, so older files still load. */
    public static final String SCALING_ENTRY = "latent/scaling.properties";

    private final Engine engine;
    private final String modelName;
    private final Shape inputShape;
    private final Shape codeShape;
    private final DataRange range;
    private final long parameterCount;
    private final Scaling scaling;

    private Denoiser(Engine engine, String modelName, Shape inputShape, Shape codeShape, DataRange range,
            long parameterCount, Scaling scaling) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
        this.codeShape = Objects.requireNonNull(codeShape, "codeShape");
        this.range = Objects.requireNonNull(range, "range");
        this.parameterCount = parameterCount;
        this.scaling = Objects.requireNonNull(scaling, "scaling");
        if (!scaling.sampleShape().equals(inputShape) || scaling.range() != range) {
            throw new IllegalArgumentException("a scaling " + scaling + " for " + scaling.sampleShape() + " in "
                    + scaling.range() + " does not fit a model of " + inputShape + " in " + range);
        }
    }

    /**
     * The model that {@code engine} computes for {@code network}. The denoiser reads the
     * engine's current parameters on every call; it does not copy them.
     */
    public static Denoiser of(AutoencoderNetwork network, Engine engine) {
        return of(network, engine, Scaling.identity(network.inputShape(), network.range()));
    }

    /**
     * As {@link #of(AutoencoderNetwork, Engine)}, for a model trained on data that {@code scaling}
     * mapped into the network's range; {@link #denoiseRaw} applies it, and {@link #save} keeps it.
     *
     * @throws IllegalArgumentException if the scaling is for another sample shape or range
     */
    public static Denoiser of(AutoencoderNetwork network, Engine engine, Scaling scaling) {
        return new Denoiser(engine, network.modelName(), network.inputShape(), network.codeShape(), network.range(),
                network.parameterCount(), scaling);
    }

    /**
     * The clean reconstruction of {@code noisy}: a batch {@code [n, C, H, W]} / {@code [n, N]}, or
     * one sample {@code [C, H, W]} / {@code [N]}; the answer has the same shape.
     *
     * @throws IllegalArgumentException if the shape fits neither
     */
    public INDArray denoise(INDArray noisy) {
        Input in = accept(noisy, inputShape, "denoise", "input");
        return in.answer(oneCallAtATime(engine::reconstruct, in.batch()), inputShape);
    }

    /**
     * As {@link #denoise}, for values in the training file's own units: scales them as the training
     * data was scaled ({@link #scaling()}), denoises, and maps the reconstruction back to those units.
     *
     * @throws IllegalArgumentException if the shape fits neither a batch nor one sample
     */
    public INDArray denoiseRaw(INDArray noisy) {
        Input in = accept(noisy, inputShape, "denoiseRaw", "input");
        INDArray result = oneCallAtATime(engine::reconstruct, scaling.apply(in.batch()));
        return in.answer(scaling.invert(result), inputShape);
    }

    /**
     * The latent code of {@code input} (a batch or one sample, as for {@link #denoise}):
     * {@code [n, codeSize]} or, for an image code, {@code [n, C, H, W]}; one sample gives one code
     * without the batch dimension.
     */
    public INDArray encode(INDArray input) {
        Input in = accept(input, inputShape, "encode", "input");
        return in.answer(oneCallAtATime(engine::encode, in.batch()), codeShape);
    }

    /**
     * The reconstruction decoded from {@code code}: a batch of codes in the engine's layout, or
     * one code without the batch dimension; answers images in the input's layout.
     */
    public INDArray decode(INDArray code) {
        Input in = accept(code, codeShape, "decode", "code");
        return in.answer(oneCallAtATime(engine::decode, in.batch()), inputShape);
    }

    /** {@code pass} over {@code batch}, one caller at a time: the engine is not safe for concurrent use. */
    private INDArray oneCallAtATime(UnaryOperator<INDArray> pass, INDArray batch) {
        synchronized (engine) {
            return pass.apply(batch);
        }
    }

    /** Shape of one input sample, in Keras order. */
    public Shape inputShape() {
        return inputShape;
    }

    /** Shape of one latent code, in Keras order. */
    public Shape codeShape() {
        return codeShape;
    }

    /** The model interface's canonical name. */
    public String modelName() {
        return modelName;
    }

    /** The range the model's data lies in. */
    public DataRange range() {
        return range;
    }

    /** How the training data's values were mapped into {@link #range()}; saved and loaded with the model. */
    public Scaling scaling() {
        return scaling;
    }

    /**
     * Which path trained this model and which kernel computes each layer, with the reasons for
     * any slower path; empty for a model loaded from a file until it has run once.
     */
    public java.util.Optional<dev.latent.runtime.engine.EnginePlan> enginePlan() {
        return engine.plan();
    }

    /** Total parameters, as Keras counts them. */
    public long parameterCount() {
        return parameterCount;
    }

    /**
     * Writes this model to {@code file}, replacing it. The file is written beside the target and
     * moved into place at the end, so a crash never leaves a half-written file where a good one
     * was.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public void save(Path file) {
        save(file, Map.of());
    }

    /**
     * As {@link #save(Path)}, adding {@code extraEntries} (zip entry name to UTF-8 text) to the
     * file in the same atomic write: a trainer's checkpoint keeps its training state beside the
     * model, so the two can never disagree.
     */
    public void save(Path file, Map<String, String> extraEntries) {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            String problem = file + ": cannot save a model, directory " + directory + " does not exist; create it first";
            throw new UncheckedIOException(problem, new IOException(problem));
        }
        Path temporary = null;
        try {
            // Not createTempFile: it makes the file readable by its owner alone, and the model would keep that.
            temporary = Files.createFile(directory.resolve("." + target.getFileName() + "-" + UUID.randomUUID() + ".tmp"));
            Map<String, String> entries = new LinkedHashMap<>(extraEntries);
            entries.put(MODEL_ENTRY, describe());
            entries.put(SCALING_ENTRY, scaling.toText());
            synchronized (engine) {
                engine.save(temporary, entries);
            }
            // Flushed to disk before the rename, or a crash could leave the new name on empty blocks.
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot save the model (" + e.getMessage()
                    + "); check that the directory is writable and the disk has room", e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // The original error matters more than a leftover scratch file.
                }
            }
        }
    }

    /**
     * Writes the autoencoder as an ONNX model to {@code file}, replacing it: input {@code input},
     * output {@code reconstruction}, as {@link #denoise} computes it (see {@link OnnxExport}).
     *
     * @throws OnnxExportException naming the layer, if a layer has no exact ONNX form
     * @throws UncheckedIOException if the file cannot be written
     */
    public void exportOnnx(Path file) {
        exportOnnx(file, GraphPart.AUTOENCODER);
    }

    /**
     * As {@link #exportOnnx(Path)}, for one part: the {@code ENCODER} ({@code input} to
     * {@code code}, as {@link #encode}), the {@code DECODER} ({@code code} to
     * {@code reconstruction}, as {@link #decode}) or the whole {@code AUTOENCODER}.
     */
    public void exportOnnx(Path file, GraphPart part) {
        Objects.requireNonNull(part, "part");
        LoweredNetwork network;
        synchronized (engine) {
            try {
                network = LoweredNetwork.of(engine, sampleDims(inputShape));
            } catch (IllegalArgumentException e) {
                throw new OnnxExportException(modelName + " cannot be exported to ONNX: " + e.getMessage(), e);
            }
        }
        OnnxExport.write(new OnnxExport.Model(modelName, inputShape, codeShape, range, scaling, network), part, file);
    }

    /**
     * Reads a model written by {@link #save}. Needs no generated class: the file holds every
     * configuration.
     *
     * @throws ModelFileException if the file is missing, unreadable, not a zip, truncated, or a zip
     *     (a plain DL4J model included) that this runtime did not write
     */
    public static Denoiser load(Path file) {
        Entries entries = readEntries(file);
        Properties properties = entries.description();
        String scalingText = entries.scaling();
        String format = properties.getProperty("format");
        if (!FORMAT.equals(format)) {
            throw new ModelFileException(file, "not a Latent model: " + MODEL_ENTRY + " has format '" + format
                    + "', expected '" + FORMAT + "'");
        }
        String modelName;
        Shape inputShape;
        Shape codeShape;
        DataRange range;
        long parameterCount;
        Scaling scaling;
        try {
            int version = Integer.parseInt(required(properties, "formatVersion"));
            if (version > FORMAT_VERSION) {
                throw new ModelFileException(file, "written by a newer Latent (format version " + version
                        + "); this runtime reads up to version " + FORMAT_VERSION);
            }
            modelName = required(properties, "modelName");
            inputShape = parseShape(required(properties, "inputShape"));
            codeShape = parseShape(required(properties, "codeShape"));
            range = DataRange.valueOf(required(properties, "range"));
            parameterCount = Long.parseLong(required(properties, "parameterCount"));
            if (!entries.hasNetwork()) {
                throw new ModelFileException(file, "holds no network (no " + ModelFile.AUTOENCODER_ENTRY
                        + "); the file is incomplete, save the model again");
            }
        } catch (IllegalArgumentException e) {
            // NumberFormatException and unknown enum constants land here too.
            throw new ModelFileException(file, "corrupt " + MODEL_ENTRY + ": " + e.getMessage(), e);
        }
        try {
            scaling = scalingText == null ? Scaling.identity(inputShape, range) : Scaling.parse(scalingText);
            if (!scaling.sampleShape().equals(inputShape) || scaling.range() != range) {
                throw new IllegalArgumentException("a scaling for " + scaling.sampleShape() + " in " + scaling.range()
                        + ", the model takes " + inputShape + " in " + range);
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "corrupt " + SCALING_ENTRY + ": " + e.getMessage(), e);
        }
        Engine engine;
        try {
            engine = Engine.load(file, inputShape);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(file, "cannot restore the network: " + firstLine(e), e);
        }
        return new Denoiser(engine, modelName, inputShape, codeShape, range, parameterCount, scaling);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Denoiser %s: input %s -> code %s, %,d parameters, range %s",
                modelName, inputShape, codeShape, parameterCount, range);
    }

    private String describe() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("format", FORMAT);
        lines.put("formatVersion", Integer.toString(FORMAT_VERSION));
        lines.put("modelName", modelName);
        lines.put("inputShape", joinDims(inputShape));
        lines.put("codeShape", joinDims(codeShape));
        lines.put("range", range.name());
        lines.put("parameterCount", Long.toString(parameterCount));
        lines.put("engine", engine.kind());
        // Written by hand rather than Properties.store, which adds a timestamp: equal models give equal entries.
        StringBuilder text = new StringBuilder("# A denoising autoencoder saved by Latent\n");
        lines.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    /** Latent's entries of a model zip: the description, and the scaling text or null when absent. */
    private record Entries(Properties description, String scaling, boolean hasNetwork) {}

    // Every entry is checked here, the network's included, before the engine builds anything.
    private static Entries readEntries(Path file) {
        ModelFile model = ModelFile.read(file);
        String description = model.text(MODEL_ENTRY);
        if (description == null) {
            throw new ModelFileException(file, "a zip archive but not a Latent model (no " + MODEL_ENTRY + ")");
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(description));
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFileException(file, "corrupt " + MODEL_ENTRY + ": " + e.getMessage(), e);
        }
        return new Entries(properties, model.text(SCALING_ENTRY), model.hasNetwork());
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value.trim();
    }

    private static String joinDims(Shape shape) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.rank(); i++) {
            s.append(i == 0 ? "" : ",").append(shape.dim(i));
        }
        return s.toString();
    }

    private static Shape parseShape(String text) {
        return Shape.of(Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray());
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? "no further detail" : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static Input accept(INDArray array, Shape shape, String method, String what) {
        Objects.requireNonNull(array, what);
        long[] sample = sampleDims(shape);
        long[] found = array.shape();
        if (Arrays.equals(found, sample)) {
            return new Input(array.reshape(shape.batchShape(1)), true);
        }
        if (found.length == sample.length + 1 && found[0] > 0
                && Arrays.equals(Arrays.copyOfRange(found, 1, found.length), sample)) {
            return new Input(array, false);
        }
        String hint = "";
        if (shape.isImage() && found.length == 4 && found[1] == shape.dim(0) && found[2] == shape.dim(1)
                && found[3] == shape.dim(2)) {
            hint = "; this looks channels-last: images are channels-first here, use array.permute(0, 3, 1, 2)";
        }
        if (shape.isSequence() && shape.dim(0) != shape.dim(1) && found.length == 3 && found[1] == shape.dim(0)
                && found[2] == shape.dim(1)) {
            hint = "; this looks steps-first: sequences are features-first here ([n, F, T]), use array.permute(0, 2, 1)";
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s expects a batch of shape %s or one %s of shape %s (%s %s in Keras order), found %s%s",
                method, Arrays.toString(shape.batchShape(1)).replaceFirst("\\[1,", "[n,"), what,
                Arrays.toString(sample), what, shape, Arrays.toString(found), hint));
    }

    private static long[] sampleDims(Shape shape) {
        long[] batch = shape.batchShape(1);
        return Arrays.copyOfRange(batch, 1, batch.length);
    }

    /** An argument as a batch, and whether to answer with the batch dimension removed. */
    private record Input(INDArray batch, boolean single) {
        INDArray answer(INDArray result, Shape sampleShape) {
            return single ? result.reshape(sampleDims(sampleShape)) : result;
        }
    }
}
