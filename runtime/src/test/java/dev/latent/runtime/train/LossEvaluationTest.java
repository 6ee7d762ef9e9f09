package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latent.dsl.LossFunction;
import dev.latent.runtime.settings.LossSettings;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** Losses as Keras reports them: mean over a sample's elements, then over samples. */
class LossEvaluationTest {
    private final INDArray clean = Nd4j.create(new float[] {0, 1, 0.5f, 0.25f}, 2, 2);
    private final INDArray recon = Nd4j.create(new float[] {0.5f, 1, 0.5f, 0}, 2, 2);

    @Test
    void builtInLosses() {
        assertEquals((0.25 + 0 + 0 + 0.0625) / 4, LossSettings.of(LossFunction.MSE).evaluate(recon, clean), 1e-9);
        assertEquals((0.5 + 0 + 0 + 0.25) / 4, LossSettings.of(LossFunction.MAE).evaluate(recon, clean), 1e-9);
        double eps = 1e-7;
        double expected = (-Math.log(0.5) - Math.log(1 - eps) - Math.log(0.5)
                - (0.25 * Math.log(eps) + 0.75 * Math.log(1 - eps))) / 4;
        assertEquals(expected, LossSettings.of(LossFunction.BINARY_CROSSENTROPY).evaluate(recon, clean), 1e-6);
    }

    @Test
    void customLossIsScoredByItsOwnComputeScore() {
        double custom = LossSettings.custom("mse", LossMSE::new).evaluate(recon.reshape(2, 1, 1, 2), clean.reshape(2, 1, 1, 2));
        assertEquals(LossSettings.of(LossFunction.MSE).evaluate(recon, clean), custom, 1e-7);
    }

    @Test
    void inputsAreLeftAsTheyWere() {
        INDArray before = recon.dup();
        LossSettings.of(LossFunction.MSE).evaluate(recon.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE), clean);
        LossSettings.of(LossFunction.BINARY_CROSSENTROPY).evaluate(recon, clean);
        assertEquals(before, recon);
        assertThrows(IllegalArgumentException.class, () -> LossSettings.of(LossFunction.MSE).evaluate(recon, clean.reshape(4)));
    }
}
