package dev.latent.runtime.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Optimizer;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.GraphConfigs;
import dev.latent.runtime.engine.GraphEngine;
import dev.latent.runtime.engine.LoweredNetwork;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.OnnxRuntime;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import dev.latent.runtime.testing.TinySequenceNetwork;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The exported ONNX model, run in ONNX Runtime, computes what the trained model computes:
 * {@code denoise}, {@code encode} and {@code decode} agree within 1e-5 of the largest value of the
 * answer (or of 1, when all are smaller), on real digits and on sequences, for one sample and for
 * 37; the bytes are the same for
 * the same model; a layer with no exact ONNX form is refused by name.
 */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    @Test
    void convolutionalModelAgreesOnRealDigits() throws Exception {
        agrees(new TinyConvNetwork(), Mnist.twoChannelDigits(60).features());
    }

    @Test
    void denseModelAgreesOnRealDigits() throws Exception {
        agrees(new SmallDenseNetwork(), Mnist.digits(60).features());
    }

    @Test
    void sequenceModelAgreesOnSequences() throws Exception {
        agrees(new TinySequenceNetwork(), sines(60, 2, 8));
    }

    @Test
    void sameModelGivesSameBytesAlsoAfterSaveAndLoad() throws Exception {
        AutoencoderNetwork network = new TinyConvNetwork();
        Denoiser model = trained(network, Mnist.twoChannelDigits(60).features());
        Path first = dir.resolve("first.onnx");
        Path second = dir.resolve("second.onnx");
        model.exportOnnx(first);
        model.exportOnnx(second);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        Path saved = dir.resolve("model.zip");
        model.save(saved);
        Path reloaded = dir.resolve("reloaded.onnx");
        Denoiser.load(saved).exportOnnx(reloaded);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(reloaded), "export of the loaded model");
    }

    @Test
    void metadataNamesTheModelItsShapesAndScaling() throws Exception {
        AutoencoderNetwork network = new TinyConvNetwork();
        Denoiser model = Denoiser.of(network, Engines.create(network, network.training(), network.loss()));
        Path file = dir.resolve("encoder.onnx");
        model.exportOnnx(file, GraphPart.ENCODER);
        try (OnnxRuntime runtime = new OnnxRuntime(Files.readAllBytes(file))) {
            Map<String, String> metadata = runtime.metadata();
            assertEquals(network.modelName(), metadata.get("latent.model"));
            assertEquals("encoder", metadata.get("latent.part"));
            assertEquals("14,14,2", metadata.get("latent.input_shape.keras"));
            assertEquals("2,14,14", metadata.get("latent.input_shape.engine"));
            assertEquals("7,7,4", metadata.get("latent.code_shape.keras"));
            assertEquals("4,7,7", metadata.get("latent.code_shape.engine"));
            assertEquals("UNIT", metadata.get("latent.range"));
            assertEquals("IDENTITY", metadata.get("latent.scaling.kind"));
            assertEquals("[input]", runtime.session().getInputNames().toString());
            assertEquals("[code]", runtime.session().getOutputNames().toString());
        }
    }

    @Test
    void theJavaUseInTheDocsRunsAsWritten() throws Exception {
        AutoencoderNetwork network = new SmallDenseNetwork();
        Denoiser model = trained(network, Mnist.digits(60).features());
        model.exportOnnx(dir.resolve("conv.onnx"));
        INDArray digits = Mnist.digits(5).features();
        int n = 5;
        float[][][][] answer;
        String name;
        // As docs/onnx.md has it, with the file in the test's folder and the digits copied in.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(dir.resolve("conv.onnx").toString(), new OrtSession.SessionOptions())) {
            float[] pixels = new float[n * 28 * 28];                       // [n, 1, 28, 28], in [0, 1]
            System.arraycopy(digits.dup('c').data().asFloat(), 0, pixels, 0, pixels.length);
            try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {n, 1, 28, 28});
                    OrtSession.Result result = session.run(Map.of("input", input))) {
                float[][][][] clean = (float[][][][]) result.get("reconstruction").orElseThrow().getValue();
                String modelName = session.getMetadata().getCustomMetadata().get("latent.model");
                answer = clean;
                name = modelName;
            }
        }
        assertEquals(network.modelName(), name);
        close(model.denoise(digits), Nd4j.create(answer), "the docs' Java use");
    }

    @Test
    void anActivationWithoutAnExactOnnxFormIsRefusedByLayer() {
        GraphEngine engine = GraphEngine.create(denseConfiguration(Activation.CUBE, false, true),
                denseConfiguration(Activation.CUBE, false, false), denseConfiguration(Activation.CUBE, false, true));
        LoweredNetwork network = LoweredNetwork.of(engine, new long[] {784});
        OnnxExport.Model model = new OnnxExport.Model("hand.Written", Shape.of(784), Shape.of(12),
                dev.latent.dsl.DataRange.UNIT, Scaling.identity(Shape.of(784), dev.latent.dsl.DataRange.UNIT), network);
        OnnxExportException refusal = assertThrows(OnnxExportException.class,
                () -> OnnxExport.toBytes(model, GraphPart.AUTOENCODER));
        assertTrue(refusal.getMessage().startsWith("hidden: the activation cube has no exact ONNX form"),
                refusal.getMessage());
    }

    @Test
    void aLayerTheEngineDoesNotLowerIsRefusedByLayer() {
        GraphEngine engine = GraphEngine.create(denseConfiguration(Activation.RELU, true, true),
                denseConfiguration(Activation.RELU, true, false), denseConfiguration(Activation.RELU, true, true));
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> LoweredNetwork.of(engine, new long[] {784}));
        assertTrue(refusal.getMessage().startsWith("hidden: dropout on a layer's input"), refusal.getMessage());
    }

    /** Trains {@code network} a few steps on {@code data}, exports all three parts, and compares them. */
    private void agrees(AutoencoderNetwork network, INDArray data) throws Exception {
        Denoiser model = trained(network, data);
        try (OnnxRuntime.Parts onnx = OnnxRuntime.Parts.exported(model, dir)) {
            for (int n : new int[] {1, 37}) {
                INDArray batch = data.get(NDArrayIndex.interval(data.size(0) - n, data.size(0))).dup('c');
                String what = network.modelName() + ", batch " + n;
                close(model.denoise(batch), onnx.denoise().run(OnnxExport.INPUT, batch), what + ": denoise");
                INDArray code = model.encode(batch);
                close(code, onnx.encode().run(OnnxExport.INPUT, batch), what + ": encode");
                close(model.decode(code), onnx.decode().run(OnnxExport.CODE, code), what + ": decode");
            }
        }
    }

    private static Denoiser trained(AutoencoderNetwork network, INDArray data) {
        Engine engine = Engines.create(network, network.training(), network.loss());
        for (int step = 0; step < 3; step++) {
            INDArray clean = data.get(NDArrayIndex.interval(step * 16, step * 16 + 16));
            engine.fitBatch(clean.mul(0.9).addi(0.05), clean);
        }
        return Denoiser.of(network, engine);
    }

    /** {@code n} sequences {@code [F, T]} of sines of different phases and frequencies. */
    private static INDArray sines(int n, int features, int steps) {
        float[] values = new float[n * features * steps];
        int i = 0;
        for (int sample = 0; sample < n; sample++) {
            for (int f = 0; f < features; f++) {
                for (int t = 0; t < steps; t++) {
                    values[i++] = (float) (Math.sin(0.3 * sample + (0.5 + f) * t) * (1 + f));
                }
            }
        }
        return Nd4j.create(values, new long[] {n, features, steps}, 'c');
    }

    /** Flatten, Dense(32, {@code hidden}), Dense(12) as the code, Dense(784, sigmoid), optionally with dropout on an input. */
    private static ComputationGraphConfiguration denseConfiguration(Activation hidden, boolean inputDropout,
            boolean whole) {
        TrainingSettings training = new TrainingSettings(1, 32, Optimizer.ADAM, 1e-3, 7L, 0.2, 0);
        DenseLayer.Builder first = new DenseLayer.Builder().nIn(784).nOut(32).activation(hidden);
        if (inputDropout) {
            first.dropOut(new Dropout(0.8));
        }
        var builder = GraphConfigs.builder(training).addInputs("input").setInputTypes(InputType.feedForward(784))
                .addLayer("hidden", first.build(), "input")
                .addLayer("code", new DenseLayer.Builder().nIn(32).nOut(12).activation(Activation.RELU).build(), "hidden");
        if (!whole) {
            return builder.setOutputs("code").build();
        }
        return builder.addLayer("pixels", new DenseLayer.Builder().nIn(12).nOut(784).activation(Activation.SIGMOID).build(),
                        "code")
                .addLayer("loss", GraphConfigs.lossLayer(LossSettings.of(LossFunction.MSE)), "pixels")
                .setOutputs("loss").build();
    }

    /**
     * Within {@link #TOLERANCE} of the largest magnitude in {@code expected}, or of 1 when all are
     * smaller: a code of values near 0 sums terms near 1, and float rounding of those is absolute.
     */
    private static void close(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(difference <= TOLERANCE * scale, what + ": differs by " + difference + " (largest value " + scale + ")");
    }
}
