/**
 * The corruption a denoising autoencoder learns to undo: the declared settings
 * ({@link dev.latent.runtime.noise.NoiseSettings}, from {@code @Noise}), the built-in kinds
 * ({@link dev.latent.runtime.noise.StandardNoise}), and the interface a custom noise implements
 * ({@link dev.latent.runtime.noise.NoiseModel}). Every random number comes from the run's seeded
 * generator, so runs repeat.
 */
package dev.latent.runtime.noise;
