package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.LossFunction;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import dev.latent.runtime.train.LossSettings;
import dev.latent.runtime.train.TrainingSettings;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The SameDiff engine computes what the layer API computes: same initial weights, same outputs,
 * same losses, the same training trajectory within float rounding, and files the layer API reads.
 */
class SameDiffEngineTest {

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= tolerance, what + ": largest difference " + difference + " > " + tolerance);
    }

    private static void engineAgrees(AutoencoderNetwork network, Dataset data, LossFunction function) {
        TrainingSettings training = network.training();
        LossSettings loss = LossSettings.of(function);
        GraphEngine layers = GraphEngine.create(network, training, loss);
        SameDiffEngine samediff = SameDiffEngine.create(network, training, loss).orElseThrow();
        // Each through its own training: DL4J's fit, SameDiff's session.
        layers.useDl4jFit();
        samediff.trainOnSameDiff();
        INDArray batch = data.features().get(NDArrayIndex.interval(0, 32));

        assertEquals(layers.parameterCount(), samediff.parameterCount());
        assertClose(layers.reconstruct(batch), samediff.reconstruct(batch), 1e-5, "initial reconstruction");
        for (int step = 0; step < 5; step++) {
            INDArray clean = data.features().get(NDArrayIndex.interval(32 * step, 32 * step + 32));
            double expected = layers.fitBatch(clean, clean);
            double actual = samediff.fitBatch(clean, clean);
            assertEquals(expected, actual, 1e-4 * Math.max(1, Math.abs(expected)), "loss at step " + step);
        }
        assertClose(layers.reconstruct(batch), samediff.reconstruct(batch), 1e-3, "reconstruction after 5 steps");
        assertClose(layers.encode(batch), samediff.encode(batch), 1e-3, "codes after 5 steps");
        INDArray codes = layers.encode(batch);
        assertClose(layers.decode(codes), samediff.decode(codes), 1e-3, "decoded after 5 steps");
        assertClose(layers.parameters(), samediff.parameters(), 1e-3, "parameters after 5 steps");
    }

    @Test
    void denseNetworkMatchesTheLayerApi() {
        engineAgrees(new SmallDenseNetwork(), Mnist.digits(200), LossFunction.MSE);
        engineAgrees(new SmallDenseNetwork(), Mnist.digits(200), LossFunction.MAE);
    }

    @Test
    void convolutionalNetworkMatchesTheLayerApi() {
        engineAgrees(new TinyConvNetwork(), Mnist.twoChannelDigits(200), LossFunction.MSE);
        engineAgrees(new TinyConvNetwork(), Mnist.twoChannelDigits(200), LossFunction.BINARY_CROSSENTROPY);
    }

    @Test
    void trainsThroughTheMirrorsDirectStepAndInfersWithWhatItTrained(@TempDir Path dir) throws Exception {
        AutoencoderNetwork network = new TinyConvNetwork();
        Dataset data = Mnist.twoChannelDigits(96);
        SameDiffEngine engine = SameDiffEngine.create(network, network.training(), network.loss()).orElseThrow();
        GraphEngine reference = GraphEngine.create(network, network.training(), network.loss());
        reference.useDl4jFit();
        for (int step = 0; step < 3; step++) {
            INDArray clean = data.features().get(NDArrayIndex.interval(32 * step, 32 * step + 32));
            assertEquals(reference.fitBatch(clean, clean), engine.fitBatch(clean, clean), 1e-5, "loss at step " + step);
        }
        assertTrue(engine.mirror().trainsWithDirectStep(), "the mirror's direct step trained");
        INDArray batch = data.features().get(NDArrayIndex.interval(0, 32));
        assertClose(reference.reconstruct(batch), engine.reconstruct(batch), 1e-4, "reconstruction after training");
        assertClose(reference.encode(batch), engine.encode(batch), 1e-4, "codes after training");
        Path file = dir.resolve("engine.zip");
        engine.save(file, Map.of());
        assertClose(engine.reconstruct(batch), GraphEngine.load(file).reconstruct(batch), 1e-5, "saved");
    }

    /**
     * The trainer snapshots the layers' parameters before the first step, which decides who
     * trains, and after it: both snapshots must be in one layout, or a one-step update reads as
     * larger than the weights (a false DIVERGED).
     */
    @Test
    void layerParametersKeepOneLayoutWhenSameDiffTakesOverTraining() {
        TinyConvNetwork network = new TinyConvNetwork();
        SameDiffEngine engine = SameDiffEngine.create(network, network.training(), network.loss()).orElseThrow();
        Map<String, INDArray> before = engine.layerParameters();
        engine.trainOnSameDiff();
        INDArray batch = Nd4j.rand(DataType.FLOAT, 16, TinyConvNetwork.CHANNELS, TinyConvNetwork.SIDE, TinyConvNetwork.SIDE);
        engine.fitBatch(batch, batch);
        Map<String, INDArray> after = engine.layerParameters();
        for (String layer : before.keySet()) {
            double change = after.get(layer).sub(before.get(layer)).norm2Number().doubleValue();
            double size = before.get(layer).norm2Number().doubleValue();
            // One Adam step of 1e-2 moves each weight by about 1e-2.
            assertTrue(change < 0.3 * size, layer + " moved by " + change + " against a size of " + size);
        }
    }

    @Test
    void savedFilesLoadIntoTheLayerApi(@TempDir Path dir) throws Exception {
        AutoencoderNetwork network = new TinyConvNetwork();
        Dataset data = Mnist.twoChannelDigits(64);
        SameDiffEngine engine = SameDiffEngine.create(network, network.training(), network.loss()).orElseThrow();
        engine.fitBatch(data.features(), data.features());
        Path file = dir.resolve("engine.zip");
        engine.save(file, Map.of());
        Engine loaded = Engine.load(file, network.inputShape());
        assertClose(engine.reconstruct(data.features()), loaded.reconstruct(data.features()), 1e-5, "after loading");
    }

    @Test
    void parametersPutBackReachTheGraph() {
        AutoencoderNetwork network = new SmallDenseNetwork();
        Dataset data = Mnist.digits(64);
        SameDiffEngine engine = SameDiffEngine.create(network, network.training(), network.loss()).orElseThrow();
        INDArray before = engine.parameters();
        INDArray output = engine.reconstruct(data.features());
        engine.fitBatch(data.features(), data.features());
        engine.setParameters(before);
        assertClose(output, engine.reconstruct(data.features()), 1e-6, "after restoring the parameters");
    }

    @Test
    void inferenceRunsTheGraphsOwnComputation() {
        for (boolean onSameDiff : new boolean[] {false, true})
        for (AutoencoderNetwork network : new AutoencoderNetwork[] {new TinyConvNetwork(), new SmallDenseNetwork()}) {
            Dataset data = network instanceof TinyConvNetwork ? Mnist.twoChannelDigits(96) : Mnist.digits(96);
            SameDiffEngine engine = SameDiffEngine.create(network, network.training(), network.loss()).orElseThrow();
            if (onSameDiff) {
                engine.trainOnSameDiff();
            }
            INDArray batch = data.features().get(NDArrayIndex.interval(0, 32));
            for (int step = 0; step < 3; step++) {
                // Weights that moved: the plan must read the graph's current ones, not copies from the start.
                INDArray clean = data.features().get(NDArrayIndex.interval(32 * step, 32 * step + 32));
                engine.fitBatch(clean, clean);
            }
            assertTrue(engine.encodesThroughPlan(), network.modelName() + ": the encoder's layers are marked");
            INDArray expected = engine.graphReconstruction(batch).reshape(batch.shape());
            assertClose(expected, engine.reconstruct(batch), 1e-6, network.modelName() + " batch");
            INDArray one = batch.get(NDArrayIndex.interval(0, 1));
            assertClose(expected.get(NDArrayIndex.interval(0, 1)), engine.reconstruct(one), 1e-6,
                    network.modelName() + " one sample");
        }
    }
}
