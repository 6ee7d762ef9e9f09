package dev.latent.examples.seed;

import dev.latent.dsl.DataRange;
import dev.latent.examples.cli.DataSources;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.testkit.LatentAssertions;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every seed model through the test kit, as a user would test a model of their own: the kit's
 * whole chain is deliberately written out for each model, as a user's test would be.
 */
class SeedExamplesKitTest {

    /** 8 real digits of the embedded MNIST, as many as the synthetic batch: it would do, but real data tells more. */
    private static INDArray digits() {
        return DataSources.mnist(DataRange.UNIT).train().head(8).features();
    }

    @Test
    @Tag("slow")
    void theConvModelPassesTheWholeKit() {
        long start = System.nanoTime();
        // The whole chain spelled out here and below, not shared, as docs/testing.md and a user's
        // own test write it: which checks run is what these tests show.
        LatentAssertions.assertThat(new SeedExample3Network())
                .hasInputShape(28, 28, 1)
                .hasParameterCount(897_153)
                .reconstructsInputShape()
                .outputStaysIn(DataRange.UNIT)
                .passesGradientCheck()
                .overfitsOneBatch()
                .isDeterministic()
                .survivesSaveAndLoad();
        // The figure the README states; printed, not asserted, since the machine is shared.
        System.out.printf(Locale.ROOT, "the whole kit on SeedExample3 (synthetic batch): %.1f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    @Test
    void theDenseModelPassesTheWholeKitOnRealDigits() {
        passesTheWholeKitOnRealDigits(new SeedExample1Network());
    }

    @Test
    void theCollapsingModelIsStillASoundNetwork() {
        // Its noise (2.0) makes it collapse when trained on the whole set; the network itself is
        // sound, and a fixed batch, corrupted once, it still learns by heart.
        passesTheWholeKitOnRealDigits(new SeedExample2Network());
    }

    private static void passesTheWholeKitOnRealDigits(AutoencoderNetwork denseSeedModel) {
        LatentAssertions.assertThat(denseSeedModel)
                .usingBatch(digits())
                .hasInputShape(28, 28, 1)
                .hasParameterCount(209_968)
                .reconstructsInputShape()
                .outputStaysIn(DataRange.UNIT)
                .passesGradientCheck()
                .overfitsOneBatch()
                .isDeterministic()
                .survivesSaveAndLoad();
    }
}
