package dev.latent.processor.model;

/** The two halves of an autoencoder. */
public enum Section {
    ENCODER("encoder"),
    DECODER("decoder");

    private final String prefix;

    Section(String prefix) {
        this.prefix = prefix;
    }

    /** The prefix of this section's layer names in the network: {@code encoder}. */
    public String prefix() {
        return prefix;
    }
}
