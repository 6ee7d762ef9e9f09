/**
 * Latent's test kit: {@link dev.latent.testkit.LatentAssertions#assertThat} gives fluent checks
 * ({@link dev.latent.testkit.NetworkAssert}) that catch a broken autoencoder in seconds, from any
 * test framework. Under JUnit 5 a failure is opentest4j's {@code AssertionFailedError}, elsewhere
 * a plain {@link java.lang.AssertionError}.
 */
package dev.latent.testkit;
