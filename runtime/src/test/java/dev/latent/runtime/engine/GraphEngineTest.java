package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.LossFunction;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The ComputationGraph engine: parts kept in step with the autoencoder, chunked inference, Keras-mean batch losses. */
class GraphEngineTest {

    private static GraphEngine engine(AutoencoderNetwork network) {
        return GraphEngine.create(network, network.training(), network.loss());
    }

    @Test
    void encoderThenDecoderComputesTheAutoencoder() {
        for (AutoencoderNetwork network : new AutoencoderNetwork[] {new SmallDenseNetwork(), new TinyConvNetwork()}) {
            GraphEngine engine = engine(network);
            INDArray input = network instanceof TinyConvNetwork
                    ? Mnist.twoChannelDigits(10).features() : Mnist.digits(10).features();
            engine.fitBatch(input, input);

            INDArray reconstruction = engine.reconstruct(input);
            assertArrayEquals(input.shape(), reconstruction.shape());
            INDArray viaParts = engine.decode(engine.encode(input));
            assertTrue(reconstruction.equalsWithEps(viaParts, 1e-6), network.modelName());
            assertEquals(network.parameterCount(), engine.parameterCount(), "DL4J counts what Keras counts");
        }
    }

    @Test
    void partsFollowTheAutoencoderAfterTrainingAndRestore() {
        GraphEngine engine = engine(new SmallDenseNetwork());
        INDArray input = Mnist.digits(32).features();
        INDArray before = engine.parameters();
        float[] codesBefore = engine.encode(input).ravel().toFloatVector();

        engine.fitBatch(input, input);
        assertFalse(Arrays.equals(codesBefore, engine.encode(input).ravel().toFloatVector()), "encoder re-synced");

        engine.setParameters(before);
        assertArrayEquals(codesBefore, engine.encode(input).ravel().toFloatVector());
    }

    @Test
    void largeInputsAreProcessedInChunks() {
        GraphEngine engine = engine(new SmallDenseNetwork());
        INDArray input = Nd4j.concat(0, Mnist.digits(1000).features(), Mnist.digits(1000).features(),
                Mnist.digits(100).features());
        INDArray all = engine.reconstruct(input);
        assertArrayEquals(new long[] {2100, 1, 28, 28}, all.shape());
        INDArray tail = engine.reconstruct(input.get(NDArrayIndex.interval(2050, 2100)));
        assertTrue(all.get(NDArrayIndex.interval(2050, 2100)).equalsWithEps(tail, 1e-6));
        assertArrayEquals(new long[] {2100, 16}, engine.encode(input).shape());
    }

    @Test
    void batchLossIsTheKerasMeanOfTheLoss() {
        INDArray clean = Mnist.digits(16).features();
        INDArray noisy = clean.add(0.1);
        for (LossFunction function : LossFunction.values()) {
            LossSettings loss = LossSettings.of(function);
            SmallDenseNetwork network = new SmallDenseNetwork(16, new SmallDenseNetwork().training(),
                    new SmallDenseNetwork().noise(), loss);
            GraphEngine engine = engine(network);
            double expected = loss.evaluate(engine.reconstruct(noisy), clean);
            double score = engine.fitBatch(noisy, clean);
            assertEquals(expected, score, 1e-5 * expected, function.name());
        }
    }

    @Test
    void layerParameterCopiesGoIntoTheArraysHandedBack() {
        GraphEngine engine = engine(new SmallDenseNetwork());
        INDArray input = Mnist.digits(16).features();
        java.util.Map<String, INDArray> first = engine.layerParameters();
        java.util.Map<String, INDArray> kept = new java.util.HashMap<>(first);
        engine.fitBatch(input, input);

        java.util.Map<String, INDArray> second = engine.layerParameters(first);

        assertEquals(engine.layerParameters(), second);
        assertEquals(first.keySet(), second.keySet());
        second.forEach((layer, copy) -> {
            assertTrue(copy == kept.get(layer), layer + ": a new array instead of the one handed back");
            assertFalse(copy == engine.graph().getLayer(layer).params(), layer + ": the layer's own parameters");
        });
        // Arrays that do not fit are not written into.
        INDArray wrongShape = Nd4j.zeros(3);
        String layer = first.keySet().iterator().next();
        assertFalse(engine.layerParameters(java.util.Map.of(layer, wrongShape)).get(layer) == wrongShape);
        assertEquals(Nd4j.zeros(3), wrongShape);
    }
}
