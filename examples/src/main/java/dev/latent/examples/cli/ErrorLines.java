package dev.latent.examples.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one line a problem gets: what failed and what to do, in words, never a Java exception's
 * class name (the stack trace is {@code --verbose}'s).
 */
final class ErrorLines {
    private ErrorLines() {}

    /** A command line picocli could not parse. */
    static String of(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            List<String> suggestions = unmatched.getSuggestions();
            String hint = suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?";
            if (first.startsWith("-")) {
                return "unknown option " + first.split("=", 2)[0] + hint;
            }
            if (e.getCommandLine().getCommandSpec().parent() == null) {
                return "unknown command '" + first + "'" + hint;
            }
            return e.getCommandLine().getCommandName() + " takes no argument '" + first + "'" + hint;
        }
        if (e instanceof MissingParameterException missing) {
            return e.getCommandLine().getCommandName() + " needs " + missing.getMissing().stream()
                    .map(ErrorLines::describe).collect(Collectors.joining(" and "));
        }
        if (e.getCause() instanceof TypeConversionException conversion && e.getArgSpec() instanceof OptionSpec option) {
            String message = conversion.getMessage();
            return option.longestName() + (message.startsWith(":") ? "" : " ") + message;
        }
        return lowerFirst(e.getMessage());
    }

    private static String describe(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            return "a value after " + option.longestName() + " (" + arg.paramLabel() + ")";
        }
        String description = String.join(" ", arg.description());
        return arg.paramLabel() + (description.isEmpty() ? "" : ", " + description);
    }

    /** A command that failed as it ran. */
    static String of(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "): give Java more with -Xmx, e.g. JAVA_OPTS=-Xmx8g for the "
                    + "latent launcher, or train on less data or with a smaller --batch-size";
        }
        if (e instanceof UncheckedIOException io && io.getCause() != null
                && (io.getMessage() == null || io.getMessage().equals(io.getCause().toString()))) {
            return of(io.getCause());
        }
        if (e instanceof FileSystemException file && file.getFile() != null) {
            String what = e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof NotDirectoryException ? "not a folder"
                    : file.getReason() != null ? file.getReason() : "cannot be used";
            return file.getFile() + ": " + what + "; check the path and its permissions";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "an internal error (" + describe(e) + "); run again with --verbose and report the stack trace";
        }
        return message;
    }

    /** A throwable without a message, in words: where it was thrown. */
    private static String describe(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        String kind = e instanceof NullPointerException ? "a missing value"
                : e instanceof IndexOutOfBoundsException ? "an index out of range"
                : e instanceof StackOverflowError ? "a stack overflow" : "an unexpected failure";
        return trace.length == 0 ? kind : kind + " in " + trace[0].getClassName().replaceAll(".*\\.", "") + "."
                + trace[0].getMethodName();
    }

    private static String lowerFirst(String message) {
        if (message == null || message.isEmpty()) {
            return "the command line cannot be read";
        }
        return message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }
}
