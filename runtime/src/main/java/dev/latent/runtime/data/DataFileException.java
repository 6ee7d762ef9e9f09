package dev.latent.runtime.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file (or stream) that cannot be used: missing, unreadable, not in the expected format,
 * or holding values that do not fit. Its message is one line a command-line tool can print as
 * is: {@code <file>: <what is wrong, what was expected and what was found>}.
 */
public final class DataFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String problem;

    /**
     * @param file the file's name or path as the user gave it, or a stream's name
     * @param problem what is wrong, with the expected and the found values
     */
    public DataFileException(String file, String problem) {
        this(file, problem, null);
    }

    /** As {@link #DataFileException(String, String)}, keeping the low-level cause for {@code --verbose}. */
    public DataFileException(String file, String problem, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file's name or path, or a stream's name. */
    public String file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }

    /**
     * {@code file}'s name for messages, after refusing a directory where the readers expect a file;
     * {@code expected} says which, e.g. {@code "a CSV file"}.
     */
    static String fileName(Path file, String expected) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new DataFileException(name, "is a directory, expected " + expected);
        }
        return name;
    }

    /** The exception for an I/O failure while opening or reading {@code file}: missing, denied, or other. */
    static DataFileException reading(String file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DataFileException(file, "file not found", e);
        }
        if (e instanceof AccessDeniedException) {
            return new DataFileException(file, "cannot read: permission denied", e);
        }
        return new DataFileException(file, "cannot read: " + e.getMessage(), e);
    }
}
