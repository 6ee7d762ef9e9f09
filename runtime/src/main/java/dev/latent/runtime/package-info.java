/**
 * Latent's runtime: what a generated {@code <Model>Network} implements
 * ({@link dev.latent.runtime.AutoencoderNetwork}) and calls ({@link dev.latent.runtime.GraphConfigs}),
 * and its printed summary. What a run is told
 * (training and loss settings, sample shapes in Keras order, the layer table, the native
 * settings) lives in {@code settings}; training in {@code train}, data in {@code data}, noise in
 * {@code noise}, the engine in {@code engine}, the trained model in {@code model}. The packages
 * depend on each other in one direction, checked by {@code PackageDependenciesTest}; see
 * {@code docs/architecture.md}.
 */
package dev.latent.runtime;
