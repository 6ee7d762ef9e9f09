/**
 * The annotations and enums a Latent model is declared with.
 *
 * <p>A model is an interface annotated {@link dev.latent.dsl.Autoencoder} with one nested
 * {@link dev.latent.dsl.Encoder} and one nested {@link dev.latent.dsl.Decoder} interface; each
 * declares one no-argument {@code void} method per layer, in source order. The annotation
 * processor {@code latent-processor} turns it into {@code <Name>Network} and
 * {@code <Name>Trainer} at compile time. Shapes are in Keras order: {@code {H, W, C}} for images,
 * {@code {N}} for vectors.
 */
package dev.latent.dsl;
