package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;

/** The executor's loss against DL4J's, with the target flattened or shaped like the input. */
class LossStepTest {
    private static final long N = 5;
    private static final long FEATURES = 13;

    @Test
    void squaredErrorAndItsGradientAreDl4jsWhateverTheTargetsShape() {
        Nd4j.getRandom().setSeed(3);
        INDArray output = Nd4j.rand(DataType.FLOAT, N, FEATURES);
        INDArray flatTarget = Nd4j.rand(DataType.FLOAT, N, FEATURES);
        INDArray gradient = Nd4j.create(DataType.FLOAT, N, FEATURES);
        LossMSE mse = new LossMSE();
        double expectedScore = mse.computeScore(flatTarget, output, new ActivationIdentity(), null, true);
        INDArray expectedGradient = mse.computeGradient(flatTarget, output, new ActivationIdentity(), null).divi(N);

        LossStep step = new LossStep(mse);
        for (INDArray target : new INDArray[] {flatTarget, flatTarget.reshape('c', N, 1, 1, FEATURES)}) {
            double score = step.compute(output, target, gradient, false);
            assertEquals(expectedScore, score, 1e-6);
            assertTrue(expectedGradient.equalsWithEps(gradient, 1e-6), "gradient " + gradient + " against " + expectedGradient);
        }
    }

    @Test
    void throughASigmoidTheGradientIsAtThePreActivation() {
        Nd4j.getRandom().setSeed(4);
        INDArray output = Nd4j.rand(DataType.FLOAT, N, FEATURES);
        INDArray target = Nd4j.rand(DataType.FLOAT, N, FEATURES);
        INDArray atOutput = Nd4j.create(DataType.FLOAT, N, FEATURES);
        INDArray atPreActivation = Nd4j.create(DataType.FLOAT, N, FEATURES);
        LossStep step = new LossStep(new LossMSE());
        step.compute(output, target, atOutput, false);
        step.compute(output, target, atPreActivation, true);
        INDArray expected = atOutput.mul(output).muli(output.rsub(1));
        assertTrue(expected.equalsWithEps(atPreActivation, 1e-7), atPreActivation + " against " + expected);
    }

    @Test
    void otherLossesReadAShapedTargetToo() {
        Nd4j.getRandom().setSeed(5);
        INDArray output = Nd4j.rand(DataType.FLOAT, N, FEATURES);
        INDArray flatTarget = Nd4j.rand(DataType.FLOAT, N, FEATURES);
        INDArray gradient = Nd4j.create(DataType.FLOAT, N, FEATURES);
        LossMAE mae = new LossMAE();
        double expected = mae.computeScore(flatTarget, output, new ActivationIdentity(), null, true);
        double score = new LossStep(mae).compute(output, flatTarget.reshape('c', N, 1, FEATURES, 1), gradient, false);
        assertEquals(expected, score, 1e-6);
    }

    @Test
    void aTargetOfAnotherSizeIsRefused() {
        INDArray output = Nd4j.rand(DataType.FLOAT, N, FEATURES);
        INDArray target = Nd4j.rand(DataType.FLOAT, N, FEATURES + 1);
        INDArray gradient = Nd4j.create(DataType.FLOAT, N, FEATURES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LossStep(new LossMSE()).compute(output, target, gradient, false));
        assertTrue(e.getMessage().contains("70 values") && e.getMessage().contains("65"), e.getMessage());
    }
}
