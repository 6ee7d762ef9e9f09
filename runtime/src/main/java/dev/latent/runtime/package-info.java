/**
 * Latent's runtime: what a generated {@code <Model>Network} implements
 * ({@link dev.latent.runtime.AutoencoderNetwork}), sample shapes in Keras order
 * ({@link dev.latent.runtime.Shape}), the layer table, and the native settings (threads, which ND4J
 * build) set in one place. Training lives in {@code train}, data in {@code data}, noise in
 * {@code noise}, the trained model in {@code model}.
 */
package dev.latent.runtime;
