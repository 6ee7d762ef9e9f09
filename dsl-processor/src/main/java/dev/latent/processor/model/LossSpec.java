package dev.latent.processor.model;

import dev.latent.dsl.LossFunction;

/** The declared {@code @Loss}: a built-in function, or a custom class (then {@code custom} is set). */
public record LossSpec(LossFunction function, CustomClass custom, SourceRef source) {}
