package dev.latent.testkit;

import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * A custom loss with a common mistake: it computes well, but has no no-argument constructor, so
 * DL4J's JSON reader cannot make one when a saved model is read back.
 */
public final class UnreadableLoss extends LossMSE {
    private final double scale;

    public UnreadableLoss(double scale) {
        this.scale = scale;
    }

    /** The factor the mistake is about: a value only a constructor argument sets. */
    public double scale() {
        return scale;
    }
}
