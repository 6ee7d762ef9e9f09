package dev.latent.processor.model;

import dev.latent.dsl.Optimizer;

/** The declared {@code @Training}, with its defaults filled in. */
public record TrainingSpec(int epochs, int batchSize, Optimizer optimizer, double learningRate, long seed,
        double validationSplit, int earlyStoppingPatience, SourceRef source) {}
