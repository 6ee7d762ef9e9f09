package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.testing.SmallDenseNetwork;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** The heap Adam gives libnd4j's updates and moments, keeps its state where DL4J reads it, and flushes tiny moments. */
class FastAdamUpdaterTest {
    private static final Adam KERAS_ADAM = new Adam(1e-3, 0.9, 0.999, 1e-7);

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
        assertTrue(difference <= 2e-5 * scale, what + ": largest difference " + difference + " of " + scale);
    }

    /** An updater over {@code state}, M then V, each shaped like the gradient, as DL4J's Adam lays them out. */
    private static FastAdamUpdater fastAdam(INDArray state) {
        FastAdamUpdater updater = new FastAdamUpdater(KERAS_ADAM);
        long[] gradientShape = state.shape().clone();
        gradientShape[1] /= 2;
        updater.setStateViewArray(state, gradientShape, state.ordering(), true);
        return updater;
    }

    @Test
    void updatesAsLibnd4jAdamDoesStepAfterStep() {
        int size = 5_000;
        INDArray nativeState = Nd4j.zeros(DataType.FLOAT, 1, 2 * size);
        INDArray fastState = Nd4j.zeros(DataType.FLOAT, 1, 2 * size);
        GradientUpdater<?> reference = KERAS_ADAM.instantiate(nativeState, true);
        GradientUpdater<?> fast = fastAdam(fastState);
        assertInstanceOf(FastAdamUpdater.class, fast);
        Nd4j.getRandom().setSeed(3);
        for (int iteration = 0; iteration < 50; iteration++) {
            INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, size).muli(iteration % 7 == 0 ? 10 : 0.01);
            gradient.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 100)).assign(0);
            INDArray expected = gradient.dup();
            INDArray actual = gradient.dup();
            reference.applyUpdater(expected, iteration, 0);
            fast.applyUpdater(actual, iteration, 0);
            assertClose(expected, actual, "update at iteration " + iteration);
        }
        // The heap holds the moments until they are asked for.
        fast.getState();
        assertClose(nativeState, fastState, "moments after 50 steps");
    }

    @Test
    void stateWrittenFromOutsideIsReadBeforeTheNextStep() {
        int size = 64;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * size);
        FastAdamUpdater fast = (FastAdamUpdater) fastAdam(state);
        fast.applyUpdater(Nd4j.ones(DataType.FLOAT, 1, size), 0, 0);
        // A restored checkpoint writes its moments into the arrays the updater hands out.
        INDArray restoredM = Nd4j.valueArrayOf(new long[] {1, size}, 0.5f);
        fast.getState().get("M").assign(restoredM);
        fast.getState().get("V").assign(0.25);
        INDArray update = Nd4j.zeros(DataType.FLOAT, 1, size);
        fast.applyUpdater(update, 1, 0);
        fast.writeBack();
        // M = 0.9 * 0.5, V = 0.999 * 0.25: the update uses the restored moments, not the heap's.
        double stepSize = 1e-3 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.9 * 0.9);
        double expected = stepSize * 0.45 / (Math.sqrt(0.24975) + 1e-7);
        assertEquals(expected, update.getDouble(0, 7), 1e-9);
        assertEquals(0.45, state.getDouble(0, 3), 1e-6, "moments written back to the state array");
    }

    @Test
    void momentsOfZeroGradientsSettleAboveTheSubnormals() {
        int size = 16;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * size);
        GradientUpdater<?> fast = fastAdam(state);
        fast.applyUpdater(Nd4j.valueArrayOf(new long[] {1, size}, 1e-3f), 0, 0);
        for (int iteration = 1; iteration < 2_000; iteration++) {
            fast.applyUpdater(Nd4j.zeros(DataType.FLOAT, 1, size), iteration, 0);
        }
        ((FastAdamUpdater) fast).writeBack();
        // 0.9^2000 of 1e-4 is far below the float range: the moment settles near 1e-37 instead.
        for (int i = 0; i < size; i++) {
            float m = state.getFloat(0, i);
            assertTrue(m == 0 || m >= Float.MIN_NORMAL && m < 1e-35f, "first moment " + i + " is " + m);
        }
    }

    @Test
    void subnormalMomentsFromACheckpointAreFlushedByTheNextStep() {
        int size = 16;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * size);
        FastAdamUpdater fast = fastAdam(state);
        // Moments as libnd4j's Adam leaves them after a long run of zero gradients: subnormal.
        fast.getState().get("M").assign(1e-40f);
        fast.getState().get("V").assign(2e-39f);
        assertTrue(state.getFloat(0, 0) > 0 && state.getFloat(0, 0) < Float.MIN_NORMAL, "the test starts subnormal");
        INDArray update = Nd4j.zeros(DataType.FLOAT, 1, size);
        fast.applyUpdater(update, 5, 0);
        fast.writeBack();
        // Flushed to zero, as FTZ would: no subnormal is left to slow the next step down.
        assertEquals(0.0, state.amaxNumber().doubleValue(), "moments after one step");
        assertEquals(0.0, update.amaxNumber().doubleValue(), "update");
    }

    @Test
    void gradientsTooSmallToSquareInFloatCountAsZero() {
        int size = 16;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * size);
        GradientUpdater<?> fast = fastAdam(state);
        INDArray update = Nd4j.valueArrayOf(new long[] {1, size}, 1e-25f);
        fast.applyUpdater(update, 0, 0);
        ((FastAdamUpdater) fast).writeBack();
        // (1e-25)^2 is far below the smallest normal float: the gradient was taken as zero throughout.
        assertEquals(0.0, state.amaxNumber().doubleValue(), "moments");
        assertEquals(0.0, update.amaxNumber().doubleValue(), "update");
        INDArray small = Nd4j.valueArrayOf(new long[] {1, size}, 1e-12f);
        fast.applyUpdater(small, 1, 0);
        assertTrue(small.getFloat(0, 0) > 0, "a gradient of 1e-12 still moves its parameter");
    }

    @Test
    void stateArraysLagUntilAskedForThenHoldTheMoments() {
        int size = 8;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * size);
        FastAdamUpdater fast = (FastAdamUpdater) fastAdam(state);
        fast.applyUpdater(Nd4j.ones(DataType.FLOAT, 1, size), 0, 0);
        assertEquals(0.0, state.amaxNumber().doubleValue(), "not written on every step");
        assertEquals(0.1, fast.getM().getDouble(0, 0), 1e-7, "written when asked for");
        assertEquals(0.1, state.getDouble(0, 0), 1e-7);
    }

    @Test
    void layerApiGraphsTrainWithIt() {
        SmallDenseNetwork network = new SmallDenseNetwork();
        GraphEngine engine = GraphEngine.create(network, network.training(), network.loss());
        for (UpdaterBlock block : engine.graph().getUpdater().getUpdaterBlocks()) {
            assertInstanceOf(FastAdamUpdater.class, block.getGradientUpdater());
        }
        engine.setLearningRate(1e-4);
        for (UpdaterBlock block : engine.graph().getUpdater().getUpdaterBlocks()) {
            assertInstanceOf(FastAdamUpdater.class, block.getGradientUpdater(), "still after a new learning rate");
            assertEquals(1e-4, ((Adam) block.getGradientUpdater().getConfig()).getLearningRate(), 1e-12);
        }
    }

    @Test
    void steppingTheParametersDirectlyGivesTheFloatsOfTheUpdateThenTheSubtraction() {
        int size = 3_000;
        int offset = 500;
        FastAdamUpdater applied = fastAdam(Nd4j.zeros(DataType.FLOAT, 1, 2 * size));
        FastAdamUpdater direct = fastAdam(Nd4j.zeros(DataType.FLOAT, 1, 2 * size));
        // The block's parameters lie at an offset in the network's flat arrays.
        INDArray parameters = Nd4j.randn(DataType.FLOAT, 1, offset + size);
        INDArray expected = parameters.dup();
        Nd4j.getRandom().setSeed(5);
        for (int iteration = 0; iteration < 20; iteration++) {
            INDArray gradients = Nd4j.randn(DataType.FLOAT, 1, offset + size).muli(iteration % 5 == 0 ? 3 : 0.02);
            INDArray before = gradients.dup();
            INDArray update = gradients.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + size)).dup();
            applied.applyUpdater(update, iteration, 0);
            expected.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + size)).subi(update);

            assertTrue(direct.stepsParameters(gradients, parameters, offset, offset + size));
            direct.stepParameters(gradients, parameters, offset, offset + size, java.util.List.of(), iteration, 0);

            assertEquals(expected, parameters, "parameters after step " + iteration);
            assertEquals(before, gradients, "the gradient is left as it was");
        }
        assertEquals(applied.getState().get("M"), direct.getState().get("M"));
        assertEquals(applied.getState().get("V"), direct.getState().get("V"));
        // A block whose state is not as long as its range is left to DL4J's path.
        assertTrue(!direct.stepsParameters(Nd4j.zeros(DataType.FLOAT, 1, size + 1), parameters, 0, size + 1));
    }

    @Test
    void l2IsAddedToTheGradientAsDl4jsRegularisationAddsIt() {
        int size = 2_000;
        int weights = 1_500;
        FastAdamUpdater applied = fastAdam(Nd4j.zeros(DataType.FLOAT, 1, 2 * size));
        FastAdamUpdater direct = fastAdam(Nd4j.zeros(DataType.FLOAT, 1, 2 * size));
        org.nd4j.linalg.learning.regularization.L2Regularization l2 =
                new org.nd4j.linalg.learning.regularization.L2Regularization(1e-2);
        INDArray parameters = Nd4j.randn(DataType.FLOAT, 1, size);
        INDArray expected = parameters.dup();
        Nd4j.getRandom().setSeed(9);
        for (int iteration = 0; iteration < 10; iteration++) {
            INDArray gradients = Nd4j.randn(DataType.FLOAT, 1, size).muli(0.05);
            // DL4J's block: L2 on the weights (the first 1,500 values), not the biases, then Adam, then the subtraction.
            INDArray update = gradients.dup();
            l2.apply(expected.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, weights)),
                    update.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, weights)), 1e-3, iteration, 0);
            applied.applyUpdater(update, iteration, 0);
            expected.subi(update);

            direct.stepParameters(gradients, parameters, 0, size, java.util.List.of(new FastAdamUpdater.L2(0, weights, 1e-2f)),
                    iteration, 0);

            assertClose(expected, parameters, "parameters after step " + iteration);
        }
    }
}
