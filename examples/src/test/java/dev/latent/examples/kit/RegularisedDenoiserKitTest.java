package dev.latent.examples.kit;

import dev.latent.dsl.DataRange;
import dev.latent.testkit.LatentAssertions;
import org.junit.jupiter.api.Test;

/** The kit on layers the seed models do not have: batch normalisation, dropout, upsampling, a tanh output. */
class RegularisedDenoiserKitTest {

    @Test
    void passesTheWholeKit() {
        LatentAssertions.assertThat(new RegularisedDenoiserNetwork())
                .hasInputShape(28, 28, 1)
                .hasParameterCount(RegularisedDenoiserNetwork.PARAMETER_COUNT)
                .reconstructsInputShape()
                .outputStaysIn(DataRange.SYMMETRIC)
                .passesGradientCheck()
                .overfitsOneBatch()
                .isDeterministic()
                .survivesSaveAndLoad();
    }
}
