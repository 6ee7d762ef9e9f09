package dev.latent.examples.cli;

/** A command line that cannot be run as written; its message is printed as is, with the usage. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
