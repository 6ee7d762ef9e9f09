/**
 * The trained model: {@link dev.latent.runtime.model.Denoiser} denoises, encodes, decodes, saves
 * and loads; a file that is not a Latent model is refused with one
 * {@link dev.latent.runtime.model.file.ModelFileException} line, and loading never deserializes Java
 * objects.
 */
package dev.latent.runtime.model;
