/**
 * Data: readers for IDX, NumPy {@code .npy}, CSV and image folders
 * ({@link dev.latent.runtime.data.Datasets}), a file's own values
 * ({@link dev.latent.runtime.data.Samples}), the {@link dev.latent.runtime.data.Scaling} fitted on
 * training data that maps them into a model's range, and the scaled data a trainer takes: in
 * memory ({@link dev.latent.runtime.data.Dataset}) or streamed from disk a block at a time
 * ({@link dev.latent.runtime.data.StreamedDataset}). A bad file is one
 * {@link dev.latent.runtime.data.DataFileException} naming the file and what is wrong.
 */
package dev.latent.runtime.data;
