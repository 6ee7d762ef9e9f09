package dev.latent.spark;

import java.io.Serializable;

/**
 * How the replicas on Spark's executors stay one model: by averaging their gradients before every
 * step ({@link #gradients()}, the default: the run is the one-machine run at the same global
 * batches), or their parameters every few steps ({@link #parametersEvery(int)}: fewer exchanges,
 * each replica with its own optimizer state in between). docs/spark.md gives the measurements.
 *
 * @param everySteps 0 for gradient averaging, else the steps between parameter averages
 */
public record Averaging(int everySteps) implements Serializable {
    public Averaging {
        if (everySteps < 0) {
            throw new IllegalArgumentException("averaging every " + everySteps + " steps: expected 0 (gradients) or more");
        }
    }

    /** Every step, the replicas' gradients, weighted by their samples: the default. */
    public static Averaging gradients() {
        return new Averaging(0);
    }

    /** Every {@code steps} steps and at the end of each epoch, the replicas' parameters. */
    public static Averaging parametersEvery(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("parameters averaged every " + steps + " steps: expected 1 or more");
        }
        return new Averaging(steps);
    }

    /** Whether gradients are averaged before every step. */
    public boolean everyStep() {
        return everySteps == 0;
    }

    @Override
    public String toString() {
        return everyStep() ? "gradients every step" : "parameters every " + everySteps + " steps";
    }
}
