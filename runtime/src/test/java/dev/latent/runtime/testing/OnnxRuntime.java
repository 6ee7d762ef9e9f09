package dev.latent.runtime.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.settings.GraphPart;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs an exported model in ONNX Runtime on one batch, as a user of the file would. Shared with
 * the examples' tests through the runtime's test jar.
 */
public final class OnnxRuntime implements AutoCloseable {
    private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();

    private final OrtSession session;

    public OnnxRuntime(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            session = ENVIRONMENT.createSession(model, options);
        }
    }

    /** The model's only output for {@code batch} fed to its only input, named {@code input}. */
    public INDArray run(String input, INDArray batch) throws OrtException {
        float[] values = batch.castTo(DataType.FLOAT).dup('c').reshape('c', new long[] {batch.length()}).toFloatVector();
        try (OnnxTensor tensor = OnnxTensor.createTensor(ENVIRONMENT, FloatBuffer.wrap(values), batch.shape());
                OrtSession.Result result = session.run(Map.of(input, tensor))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            FloatBuffer buffer = output.getFloatBuffer();
            float[] out = new float[buffer.remaining()];
            buffer.get(out);
            return Nd4j.create(out, output.getInfo().getShape(), 'c');
        }
    }

    /** The model's metadata properties. */
    public Map<String, String> metadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    public OrtSession session() {
        return session;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    /** A model's three exports, each open in ONNX Runtime. */
    public record Parts(OnnxRuntime denoise, OnnxRuntime encode, OnnxRuntime decode) implements AutoCloseable {

        /** Exports {@code model} whole, its encoder and its decoder into {@code dir}, and opens all three. */
        public static Parts exported(Denoiser model, Path dir) throws IOException, OrtException {
            Path autoencoder = dir.resolve("autoencoder.onnx");
            Path encoder = dir.resolve("encoder.onnx");
            Path decoder = dir.resolve("decoder.onnx");
            model.exportOnnx(autoencoder);
            model.exportOnnx(encoder, GraphPart.ENCODER);
            model.exportOnnx(decoder, GraphPart.DECODER);
            return new Parts(new OnnxRuntime(Files.readAllBytes(autoencoder)),
                    new OnnxRuntime(Files.readAllBytes(encoder)), new OnnxRuntime(Files.readAllBytes(decoder)));
        }

        @Override
        public void close() throws OrtException {
            try (denoise; encode; decode) {
                // closes all three, even when one fails
            }
        }
    }
}
