package dev.latent.testkit;

import dev.latent.runtime.AutoencoderNetwork;

/**
 * The entry point of Latent's test kit: fluent checks that catch a broken autoencoder in seconds,
 * before anyone trains it for an hour. Call it from any test framework; under JUnit 5 a failure
 * is opentest4j's {@code AssertionFailedError} (expected and actual shown side by side), elsewhere
 * a plain {@link AssertionError}.
 *
 * <pre>{@code
 * @Test
 * void convDenoiserIsSound() {
 *     LatentAssertions.assertThat(new ConvDenoiserNetwork())
 *         .hasInputShape(28, 28, 1)
 *         .hasParameterCount(897_153)
 *         .reconstructsInputShape()
 *         .outputStaysIn(DataRange.UNIT)
 *         .passesGradientCheck()
 *         .overfitsOneBatch()
 *         .isDeterministic()
 *         .survivesSaveAndLoad();
 * }
 * }</pre>
 */
public final class LatentAssertions {
    private LatentAssertions() {}

    /** Checks on {@code network}, a generated {@code <Model>Network} or any other implementation. */
    public static NetworkAssert assertThat(AutoencoderNetwork network) {
        return new NetworkAssert(network);
    }
}
