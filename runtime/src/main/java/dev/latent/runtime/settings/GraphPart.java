package dev.latent.runtime.settings;

/** Which part of an autoencoder a network configuration holds. */
public enum GraphPart {
    /** Input to reconstruction, with the loss: the network that trains. */
    AUTOENCODER,
    /** Input to the latent code. */
    ENCODER,
    /** Latent code to reconstruction. */
    DECODER
}
