package dev.latent.dsl;

/** How often the corrupted copy of the training data is drawn anew. */
public enum Resample {
    /** Fresh noise for every batch, as Keras' {@code GaussianNoise} layer does. The default. */
    EVERY_BATCH,
    /** One corrupted copy per epoch. */
    EVERY_EPOCH,
    /**
     * One corrupted copy for the whole run, as in code that adds noise to the data set once.
     * The network can memorise the corruption; the processor warns ({@code latent:static-noise}).
     */
    ONCE
}
