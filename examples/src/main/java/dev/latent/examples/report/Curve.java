package dev.latent.examples.report;

import java.util.Objects;

/**
 * The per-epoch losses of one model, as {@link Charts#writeLossCurves} plots them.
 *
 * <p>Element {@code i} of either array is the loss after epoch {@code i + 1}. The arrays may have
 * different lengths (a run that stopped early, or validation that was never computed), and may
 * hold {@code NaN} or infinite values for epochs without a usable loss: the chart skips those
 * points and joins the finite ones on either side, so validation measured every few epochs still
 * draws as one line.
 *
 * <p>The arrays are not copied: the chart plots what they hold when it is drawn.
 *
 * @param label the model's name, shown in the legend; never null
 * @param train the training loss per epoch; null is taken as no values
 * @param validation the validation loss per epoch; null is taken as no values
 */
public record Curve(String label, double[] train, double[] validation) {

    private static final double[] NONE = new double[0];

    /** Checks the label and takes a missing array as an empty one, so the chart never sees null. */
    public Curve {
        Objects.requireNonNull(label, "label");
        train = train == null ? NONE : train;
        validation = validation == null ? NONE : validation;
    }
}
