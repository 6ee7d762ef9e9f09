package dev.latent.processor.read;

/**
 * An annotation value javac could not evaluate. javac reports the cause itself; the processor
 * skips the model instead of adding a second, confusing error.
 */
public final class UnreadableValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableValueException(String attribute) {
        super("the value of '" + attribute + "' could not be read", null, false, false);
    }
}
