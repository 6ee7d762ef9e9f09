package dev.latent.runtime.model.file;

import java.nio.file.Path;

/**
 * A file that {@link Denoiser#load(Path)} cannot read as a trained model: missing, not a zip,
 * truncated, or a zip that Latent did not write. The message is one line: the file, then what
 * is wrong with it.
 */
public class ModelFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A problem with {@code file}; {@code problem} says what is wrong, in a few words. */
    public ModelFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** A problem with {@code file} caused by {@code cause}. */
    public ModelFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
