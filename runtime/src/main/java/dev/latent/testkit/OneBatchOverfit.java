package dev.latent.testkit;

import static dev.latent.testkit.NetworkAssert.num;

import dev.latent.dsl.Optimizer;
import dev.latent.runtime.AutoencoderNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Training on one fixed batch until the loss falls to a fraction of its start, and what to try
 * when it does not. The loss counts above that of a perfect reconstruction ({@code floor}).
 */
final class OneBatchOverfit {
    /** The last this share of the steps tells whether the loss was still falling when the budget ran out. */
    private static final double TAIL = 0.2;
    /** A loss whose fall in the tail is this share of its whole fall or more was still falling. */
    private static final double STILL_FALLING = 0.1;

    private OneBatchOverfit() {}

    /**
     * The losses of a run, each step's before its update, from the first step on.
     *
     * @param losses the loss at each step
     * @param floor the loss of a perfect reconstruction
     */
    record Run(List<Double> losses, double floor) {
        double start() {
            return losses.get(0);
        }

        double end() {
            return losses.get(losses.size() - 1);
        }

        int steps() {
            return losses.size();
        }

        /** The share of the way from the start to the floor covered after {@code steps} steps (or at the end). */
        double fractionAt(int steps) {
            double start = start();
            double at = losses.get(Math.min(steps, losses.size()) - 1);
            return start > floor ? (start - at) / (start - floor) : 0;
        }

        /**
         * Whether the loss was still falling at the end: its fall over the last fifth of the steps
         * is a tenth or more of its whole fall (a loss that had levelled off fell far less there).
         */
        boolean stillFalling() {
            int from = Math.max(0, (int) (losses.size() * (1 - TAIL)) - 1);
            double total = start() - end();
            return total > 0 && (losses.get(from) - end()) / total >= STILL_FALLING;
        }
    }

    /**
     * Runs {@code step} (one training step, returning its loss) until the loss is at {@code target}
     * or below, or {@code maxSteps} steps are done.
     */
    static Run run(DoubleSupplier step, double floor, int maxSteps, double targetRatio) {
        List<Double> losses = new ArrayList<>();
        losses.add(step.getAsDouble());
        double target = floor + targetRatio * (losses.get(0) - floor);
        while (losses.size() < maxSteps && !(losses.get(losses.size() - 1) <= target)) {
            losses.add(step.getAsDouble());
        }
        return new Run(losses, floor);
    }

    /** What to try after {@code run} missed its target, in the order most likely to help. */
    static String advice(AutoencoderNetwork network, Run run, int maxSteps, double targetRatio, long batchSize,
            List<String> unchanged, String outputCoverage) {
        List<String> tries = new ArrayList<>();
        if (!unchanged.isEmpty()) {
            tries.add("Layers whose parameters never changed: " + String.join(", ", unchanged)
                    + " (frozen, zero learning rate, or no gradient reaches them).");
        }
        if (outputCoverage != null) {
            tries.add(outputCoverage);
        }
        double rate = network.training().learningRate();
        Optimizer optimizer = network.training().optimizer();
        if (!(run.end() < run.start())) {
            tries.add(String.format(Locale.ROOT, "The loss did not fall at all: a learning rate of %s is far too high "
                    + "(the output saturates) or far too low; try %s and %s.", num(rate), num(rate / 10),
                    num(rate * 10)));
        } else if (run.stillFalling()) {
            tries.add(String.format(Locale.ROOT, "The loss was still falling when the %d steps ran out: allow more "
                    + "steps, overfitsOneBatch(%d, %s), or raise the learning rate (%s at %s) for this check.",
                    maxSteps, maxSteps * 4, num(targetRatio), optimizer, num(rate)));
        } else {
            tries.add(String.format(Locale.ROOT, "The loss had stopped falling: the network cannot fit even these "
                    + "%d samples. Check the code is wide enough and the output activation reaches the data; a "
                    + "learning rate (%s at %s) too high can also stall it, try %s.", batchSize, optimizer, num(rate),
                    num(rate / 10)));
        }
        return String.join(" ", tries);
    }
}
