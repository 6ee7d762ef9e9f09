/**
 * What trains and infers a network: the {@link dev.latent.runtime.engine.Engine} interface,
 * {@link dev.latent.runtime.engine.Engines} (which engine a network gets), DL4J's graph and
 * SameDiff engines, and the direct training step with its oneDNN stages. Internal to Latent: the
 * trainer and the trained model are the API; a user reaches this package only through
 * {@code -Dlatent.engine} and {@code -Dlatent.onednn.off}.
 */
package dev.latent.runtime.engine;
