/**
 * What trains and infers a network: the {@link dev.latent.runtime.engine.Engine} interface,
 * {@link dev.latent.runtime.engine.Engines} (which engine a network gets), the one lowering of a
 * network into ops ({@code Lowering}), the plan ({@code Planner}) and the executor with its oneDNN
 * and ND4J stages; DL4J's own {@code fit} as the reference path. Internal to Latent: the
 * trainer and the trained model are the API; a user reaches this package only through
 * {@code -Dlatent.engine} and {@code -Dlatent.onednn.off}.
 */
package dev.latent.runtime.engine;
