package dev.latent.runtime.model.onnx;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.engine.LoweredNetwork;
import dev.latent.runtime.engine.Op;
import dev.latent.runtime.engine.Provenance;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;

/**
 * A trained model as an ONNX model: the network the engine computes in inference (dropout is the
 * identity, batch normalisation uses its global mean and variance), in the default ONNX domain at
 * opset {@value #OPSET}, with a dynamic batch dimension. The tensors are in the engine's layouts:
 * images {@code [batch, C, H, W]}, sequences {@code [batch, F, T]}, vectors {@code [batch, N]}.
 *
 * <p>The model takes values already in the model's range, as {@code Denoiser.denoise} does: the
 * training data's scaling is a separate step before and after, recorded in the metadata
 * ({@code latent.scaling.*}: {@code scaled = (value - offset) / scale}).
 *
 * <p>The same model gives the same bytes: no timestamps, and every list in a fixed order.
 */
public final class OnnxExport {
    /** The ONNX operator set the exported models use. */
    public static final int OPSET = 13;
    /** The ONNX file format version written (IR version 7 is the one opset 13 came with). */
    public static final long IR_VERSION = 7;
    /** The input name of the autoencoder and the encoder. */
    public static final String INPUT = "input";
    /** The code: the encoder's output and the decoder's input. */
    public static final String CODE = "code";
    /** The output name of the autoencoder and the decoder. */
    public static final String RECONSTRUCTION = "reconstruction";

    private OnnxExport() {}

    /**
     * What an export needs to know of a trained model besides its network: its name, its shapes
     * in Keras order, its data range and the scaling its training data had.
     */
    public record Model(String name, Shape inputShape, Shape codeShape, DataRange range, Scaling scaling,
            LoweredNetwork network) {
        public Model {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(inputShape, "inputShape");
            Objects.requireNonNull(codeShape, "codeShape");
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(scaling, "scaling");
            Objects.requireNonNull(network, "network");
        }
    }

    /**
     * The ONNX model of {@code part} of {@code model}, serialised.
     *
     * @throws OnnxExportException naming the layer, if a layer has no exact ONNX form
     */
    public static byte[] toBytes(Model model, GraphPart part) {
        return build(model, part).toByteArray();
    }

    /**
     * Writes the ONNX model of {@code part} of {@code model} to {@code file}, replacing it; the
     * file is written beside the target and moved into place, so a failure leaves no half file.
     *
     * @throws OnnxExportException naming the layer, if a layer has no exact ONNX form
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(Model model, GraphPart part, Path file) {
        byte[] bytes = toBytes(model, part);
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            String problem = file + ": cannot write the ONNX model, directory " + directory
                    + " does not exist; create it first";
            throw new UncheckedIOException(problem, new IOException(problem));
        }
        Path temporary = directory.resolve("." + target.getFileName() + "-" + UUID.randomUUID() + ".tmp");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // The original error matters more than a leftover scratch file.
            }
            throw new UncheckedIOException(file + ": cannot write the ONNX model (" + e.getMessage()
                    + "); check that the directory is writable and the disk has room", e);
        }
    }

    static ModelProto build(Model model, GraphPart part) {
        LoweredNetwork network = model.network();
        List<Op> ops = network.ops();
        int code = network.codeIndex();
        List<Op> chain = switch (part) {
            case AUTOENCODER -> ops;
            case ENCODER -> ops.subList(0, code + 1);
            case DECODER -> ops.subList(code + 1, ops.size());
        };
        String input = part == GraphPart.DECODER ? CODE : INPUT;
        String output = part == GraphPart.ENCODER ? CODE : RECONSTRUCTION;
        long[] inputShape = part == GraphPart.DECODER ? ops.get(code).output() : network.input();
        OnnxGraph graph = new OnnxGraph(model.name() + " " + part.name().toLowerCase(Locale.ROOT));
        graph.input(input, inputShape);
        OnnxLayers layers = new OnnxLayers(graph, network);
        String x = input;
        for (Op op : chain) {
            x = layers.add(op, x);
        }
        long[] outputShape = chain.get(chain.size() - 1).output();
        if (part != GraphPart.ENCODER && !Arrays.equals(outputShape, network.input())) {
            // The chain may end flat, as the loss reads it; a reconstruction has the input's shape.
            outputShape = network.input();
            x = layers.add(new Op.Reshape(output + "/shape", chain.get(chain.size() - 1).output(), outputShape), x);
        }
        graph.output(output, x, outputShape);
        String version = Provenance.current().get("latent");
        ModelProto.Builder proto = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("Latent")
                .setProducerVersion(version).setDomain("dev.latent")
                .setDocString(model.name() + ", " + part.name().toLowerCase(Locale.ROOT) + " ('" + input + "' to '"
                        + output + "'), exported by Latent " + version)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph.build());
        metadata(model, part, version).forEach((key, value) -> proto.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return proto.build();
    }

    /** The model's description, in a fixed order. */
    static Map<String, String> metadata(Model model, GraphPart part, String version) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("latent.version", version);
        entries.put("latent.model", model.name());
        entries.put("latent.part", part.name().toLowerCase(Locale.ROOT));
        entries.put("latent.input_shape.keras", dims(model.inputShape().dims()));
        entries.put("latent.input_shape.engine", dims(sample(model.inputShape())));
        entries.put("latent.code_shape.keras", dims(model.codeShape().dims()));
        entries.put("latent.code_shape.engine", dims(sample(model.codeShape())));
        entries.put("latent.range", model.range().name());
        Properties scaling = new Properties();
        try {
            scaling.load(new StringReader(model.scaling().toText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a string reader does not fail
        }
        for (String key : List.of("kind", "offset", "scale")) {
            entries.put("latent.scaling." + key, scaling.getProperty(key, ""));
        }
        return entries;
    }

    private static long[] sample(Shape shape) {
        long[] batch = shape.batchShape(1);
        return Arrays.copyOfRange(batch, 1, batch.length);
    }

    private static String dims(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static String dims(long[] dims) {
        return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(","));
    }
}
