package dev.latent.runtime.train;

/** The outcome of a training run, measured against the {@link Baselines}. */
public enum Verdict {
    /** Learned to denoise: clearly better than both the identity and the mean image. */
    HEALTHY("learned to denoise: clearly better than returning the input or the mean image"),
    /** No better than returning the noisy input: the noise is too weak, or the network passes the input through. */
    IDENTITY("no better than returning the noisy input: noise too weak, or the network passes the input through"),
    /** No better than the mean image: the noise is too strong, or the code carries nothing. */
    COLLAPSED("no better than returning the mean image: noise too strong, or a code that carries nothing"),
    /** The loss became NaN or infinite or exploded, or single steps moved the weights by their own size. */
    DIVERGED("the loss became NaN or infinite, or the weights were thrown about"),
    /** The training loss barely moved from the first epoch: stuck from the start. */
    PLATEAU("the training loss barely moved: stuck from the start"),
    /**
     * Stopped before it could be judged: too few gradient steps, a loss still falling steeply
     * towards the baselines, or a validation loss held back by batch normalisation's running
     * statistics while the training loss already passes. The advice says how many more epochs.
     */
    UNDERTRAINED("stopped while still improving, or after too few steps, to be judged: train longer");

    private final String meaning;

    Verdict(String meaning) {
        this.meaning = meaning;
    }

    /** One line saying what the verdict means. */
    public String meaning() {
        return meaning;
    }
}
