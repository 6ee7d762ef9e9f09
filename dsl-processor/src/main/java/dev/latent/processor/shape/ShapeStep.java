package dev.latent.processor.shape;

/** What inferring one layer gives: its shapes, or why they cannot be inferred. */
sealed interface ShapeStep permits InferredLayer, ShapeError {}
