package dev.latent.runtime.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs an exported model in ONNX Runtime on one batch, as a user of the file would. */
final class OnnxRuntime implements AutoCloseable {
    private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();

    private final OrtSession session;

    OnnxRuntime(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            session = ENVIRONMENT.createSession(model, options);
        }
    }

    /** The model's only output for {@code batch} fed to its only input, named {@code input}. */
    INDArray run(String input, INDArray batch) throws OrtException {
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
    Map<String, String> metadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    OrtSession session() {
        return session;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
