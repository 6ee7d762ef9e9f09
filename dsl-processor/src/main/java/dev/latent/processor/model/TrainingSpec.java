package dev.latent.processor.model;

import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Training;

/** The declared {@code @Training}, with its defaults filled in; one component per attribute, of the same name. */
public record TrainingSpec(int epochs, int batchSize, Optimizer optimizer, double learningRate, long seed,
        double validationSplit, int earlyStoppingPatience, SourceRef source) {

    /**
     * A model without {@code @Training}: the annotation's own defaults, read from it so that they are
     * written in one place.
     */
    public static TrainingSpec defaults(SourceRef source) {
        return new TrainingSpec((Integer) defaultOf("epochs"), (Integer) defaultOf("batchSize"),
                (Optimizer) defaultOf("optimizer"), (Double) defaultOf("learningRate"), (Long) defaultOf("seed"),
                (Double) defaultOf("validationSplit"), (Integer) defaultOf("earlyStoppingPatience"), source);
    }

    private static Object defaultOf(String attribute) {
        try {
            return Training.class.getMethod(attribute).getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("@Training has no attribute " + attribute, e);
        }
    }
}
