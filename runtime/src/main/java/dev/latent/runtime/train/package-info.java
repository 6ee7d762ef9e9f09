/**
 * Training: {@link dev.latent.runtime.train.DenoisingTrainer} (what a generated
 * {@code <Model>Trainer} extends) with its settings, schedules and checkpoints; the
 * {@link dev.latent.runtime.train.TrainingResult} of a run, with its loss curves
 * ({@link dev.latent.runtime.settings.EpochStats}), {@link dev.latent.runtime.train.Baselines} and
 * {@link dev.latent.runtime.train.Diagnosis}; and the noise sweep
 * ({@link dev.latent.runtime.train.NoiseCalibration}).
 */
package dev.latent.runtime.train;
