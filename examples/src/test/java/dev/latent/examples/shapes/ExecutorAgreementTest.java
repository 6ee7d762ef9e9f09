package dev.latent.examples.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.EngineChoice;
import dev.latent.runtime.engine.EnginePlan;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.settings.LayerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor trains random networks of every layer kind as DL4J's own {@code fit} does, on both
 * of its backends (oneDNN's kernels and ND4J's): the same initial weights, the same batches, then
 * the losses step by step, the parameters after several steps, and, with the same parameters in
 * all three, the reconstruction, the code, the decoding and the gradient norms.
 *
 * <p>Where libnd4j's own ops cannot run a network (its convolution refuses, for example, a 1-wide
 * kernel of stride 3 over 3 steps, so DL4J's {@code fit} fails on it too), only the oneDNN
 * backend can: such a network is checked to train there, and at most a quarter may be.
 *
 * <p>Dropout draws its own masks in each path, so a network with dropout is compared in inference
 * mode only (where dropout is the identity), with its parameters copied from one engine to the
 * others. Tolerances: losses within 1e-4 relative, parameters within 1e-3 of the largest after the
 * steps, outputs within 1e-4 of the largest, gradient norms within 1e-3 relative; float rounding
 * differs between oneDNN's, ND4J's and DL4J's orders of summation.
 */
class ExecutorAgreementTest {
    private static final int STEPS = 4;
    private static final int BATCH = 8;

    @Test
    @Tag("slow")
    void randomImageAndVectorNetworksAgreeWithDl4jOnBothBackends() throws Exception {
        List<String> kinds = agreeOn(CompiledModels.compile(16, "A", RandomModels::source, new Random(20261206L)));
        assertTrue(kinds.containsAll(List.of("Dense", "Conv2D", "Conv2DTranspose", "MaxPool2D", "UpSampling2D",
                "Dropout", "BatchNormalization")), "covered " + kinds);
    }

    @Test
    void randomSequenceNetworksAgreeWithDl4jOnBothBackends() throws Exception {
        List<String> kinds = agreeOn(CompiledModels.compile(12, "Q", RandomModels::sequenceSource, new Random(20261207L)));
        assertTrue(kinds.containsAll(List.of("Conv1D", "MaxPool1D", "UpSampling1D", "LSTM")), "covered " + kinds);
    }

    private static List<String> agreeOn(List<AutoencoderNetwork> networks) {
        List<String> kinds = new ArrayList<>();
        int withoutReference = 0;
        for (AutoencoderNetwork network : networks) {
            try {
                if (!agree(network)) {
                    withoutReference++;
                }
            } catch (RuntimeException e) {
                throw new AssertionError(network.modelName() + " " + network.layers(), e);
            }
            network.layers().stream().map(LayerInfo::kind).filter(k -> !kinds.contains(k)).forEach(kinds::add);
        }
        assertTrue(withoutReference * 4 <= networks.size(), withoutReference + " of " + networks.size()
                + " networks had no reference to compare with");
        return kinds;
    }

    /** Compares the three paths on {@code network}; false when only oneDNN's could run it. */
    private static boolean agree(AutoencoderNetwork network) {
        String name = network.modelName() + " " + network.layers().stream().map(LayerInfo::kind).toList();
        Engine dl4j = Engines.create(network, network.training(), network.loss(), EngineChoice.DL4J_FIT);
        Engine oneDnn = Engines.create(network, network.training(), network.loss(), EngineChoice.AUTO);
        Engine nd4j = Engines.create(network, network.training(), network.loss(), EngineChoice.ND4J_KERNELS);
        assertEquals(EnginePlan.Path.DIRECT, oneDnn.plan().orElseThrow().path(), name + ": " + oneDnn.plan());
        assertEquals(EnginePlan.Path.DIRECT, nd4j.plan().orElseThrow().path(), name);
        assertEquals(dl4j.parameters(), oneDnn.parameters(), name + ": same seed, same initial weights");
        boolean dropout = network.layers().stream().anyMatch(layer -> layer.kind().equals("Dropout"));
        Nd4j.getRandom().setSeed(network.modelName().hashCode());
        INDArray first = Nd4j.rand(DataType.FLOAT, network.inputShape().batchShape(BATCH));
        if (!libnd4jRuns(network, first)) {
            for (int step = 0; step < STEPS; step++) {
                double loss = oneDnn.fitBatch(first, first);
                assertTrue(Double.isFinite(loss), name + ": loss at step " + step + " is " + loss);
            }
            return false;
        }
        // DL4J's own batch normalisation refuses sequences; the executor normalises each feature
        // over the batch and the time steps, as Keras does, so there only the backends are compared.
        boolean dl4jRuns = network.layers().stream().noneMatch(layer -> layer.kind().equals("BatchNormalization")
                && layer.outputShape().rank() == 2);

        Nd4j.getRandom().setSeed(network.modelName().hashCode());
        long[] shape = network.inputShape().batchShape(BATCH);
        List<INDArray> batches = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            batches.add(Nd4j.rand(DataType.FLOAT, shape));
        }
        for (int step = 0; step < STEPS; step++) {
            INDArray clean = batches.get(step);
            INDArray noisy = clean.mul(0.9).addi(0.05);
            double onednnLoss = oneDnn.fitBatch(noisy, clean);
            double nd4jLoss = nd4j.fitBatch(noisy, clean);
            assertEquals(onednnLoss, nd4jLoss, 1e-4 * Math.abs(onednnLoss) + 1e-7, name + ": backends' loss at step " + step);
            if (!dropout && dl4jRuns) {
                double dl4jLoss = dl4j.fitBatch(noisy, clean);
                assertEquals(dl4jLoss, onednnLoss, 1e-4 * Math.abs(dl4jLoss) + 1e-7, name + ": loss at step " + step);
            }
        }
        close(oneDnn.parameters(), nd4j.parameters(), 1e-3, name + ": backends' parameters");
        if (!dropout && dl4jRuns) {
            close(dl4j.parameters(), oneDnn.parameters(), 1e-3, name + ": parameters after " + STEPS + " steps");
        }

        INDArray trained = oneDnn.parameters();
        dl4j.setParameters(trained);
        nd4j.setParameters(trained);
        INDArray probe = batches.get(0);
        Engine reference = dl4jRuns ? dl4j : nd4j;
        INDArray expected = reference.reconstruct(probe);
        close(expected, oneDnn.reconstruct(probe), 1e-4, name + ": reconstruction, oneDNN");
        close(expected, nd4j.reconstruct(probe), 1e-4, name + ": reconstruction, ND4J");
        INDArray code = reference.encode(probe);
        close(code, oneDnn.encode(probe), 1e-4, name + ": code");
        close(code, nd4j.encode(probe), 1e-4, name + ": code, ND4J");
        close(reference.decode(code), oneDnn.decode(code), 1e-4, name + ": decoding");
        if (!dropout) {
            Map<String, Double> norms = reference.gradientNorms(probe, probe);
            Map<String, Double> actual = oneDnn.gradientNorms(probe, probe);
            assertEquals(norms.keySet(), actual.keySet(), name);
            norms.forEach((layer, norm) -> assertEquals(norm, actual.get(layer), 1e-3 * norm + 1e-7,
                    name + ": gradient norm of " + layer));
        }
        return true;
    }

    /** Whether libnd4j's ops (DL4J's layers, the ND4J backend) can take a step on {@code network}. */
    private static boolean libnd4jRuns(AutoencoderNetwork network, INDArray batch) {
        try {
            Engines.create(network, network.training(), network.loss(), EngineChoice.DL4J_FIT).fitBatch(batch, batch);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void close(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(difference <= tolerance * scale, what + " differ by " + difference + " (scale " + scale + ")");
    }
}
