package dev.latent.examples.kit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.testkit.LatentAssertions;
import org.junit.jupiter.api.Test;

/**
 * The kit's defaults on a newcomer's first models: the sound ones pass every check as declared,
 * the one with a SIGMOID output on SYMMETRIC data fails the range check naming the layer. The
 * kit's chain is deliberately written out in full, as a user's test would be.
 */
class SmallVectorModelsKitTest {

    @Test
    void aSmallDenseModelAtTheDefaultLearningRatePassesEveryDefault() {
        // At 150 steps, the old default, this model got 0.61 of the way and failed.
        LatentAssertions.assertThat(new SmallDenseVectorNetwork())
                .hasInputShape(16)
                .reconstructsInputShape()
                .outputStaysInItsRange()
                .passesGradientCheck()
                .overfitsOneBatch()
                .isDeterministic()
                .survivesSaveAndLoad();
    }

    @Test
    void theSameModelOnStandardisedDataWithALinearOutputPasses() {
        LatentAssertions.assertThat(new StandardisedDenseVectorNetwork())
                .outputStaysInItsRange()
                .overfitsOneBatch();
    }

    @Test
    void aSigmoidOutputOnSymmetricDataFailsNamingTheLayerAndTheActivationToUse() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> LatentAssertions.assertThat(new SymmetricSigmoidNetwork()).outputStaysInItsRange());
        String message = e.getMessage();
        assertTrue(message.startsWith("dev.latent.examples.kit.SymmetricSigmoid: the output layer decoder.values "
                + "(Dense, activation sigmoid) gives values in [0, 1], which cannot cover SYMMETRIC data in [-1, 1]: "
                + "it never goes below 0"), message);
        assertTrue(message.endsWith("For SYMMETRIC data give values activation = Activation.TANH."), message);
    }
}
