package dev.latent.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * What one compile with the processor reported, under either compiler, with the assertions the
 * error and warning tests make: the same checks of text, file and line hold for javac and ECJ.
 *
 * @param compiler the compiler that ran
 * @param succeeded whether the compile had no error
 * @param diagnostics every diagnostic, Latent's and the compiler's
 * @param generated the generated source files by path, e.g. {@code p/NameNetwork.java}, whether or not the
 *     compile succeeded; asked for only when a test checks them (javac needs a second compile to show them)
 */
record Outcome(Compilations.Compiler compiler, boolean succeeded, List<Reported> diagnostics,
        Supplier<Map<String, String>> generated) {

    /**
     * One diagnostic.
     *
     * @param file the source's path relative to its source root, e.g. {@code p/Model.java}, or
     *     {@code null} for a diagnostic on no file
     */
    record Reported(Diagnostic.Kind kind, String message, String file, long line, long column) {
        boolean isError() {
            return kind == Diagnostic.Kind.ERROR;
        }

        boolean isWarning() {
            return kind == Diagnostic.Kind.WARNING || kind == Diagnostic.Kind.MANDATORY_WARNING;
        }

        @Override
        public String toString() {
            return kind + " " + file + ":" + line + ":" + column + ": " + message;
        }
    }

    /** The path of {@code source} relative to its source root, as {@link Reported#file()} gives it. */
    static String pathOf(JavaFileObject source) {
        String path = source.toUri().getPath();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    Outcome assertSucceeded() {
        assertTrue(succeeded, () -> compiler + " failed: " + describe());
        return this;
    }

    Outcome assertFailed() {
        assertTrue(!succeeded, () -> compiler + " succeeded, expected a failure: " + describe());
        return this;
    }

    /** An error whose message contains {@code text}, anywhere. */
    Outcome assertError(String text) {
        return assertReported(true, text, null, -1);
    }

    /** An error whose message contains {@code text}, reported in {@code source} on {@code line}. */
    Outcome assertError(String text, JavaFileObject source, int line) {
        return assertReported(true, text, source, line);
    }

    /**
     * An error whose message contains {@code text}, reported in {@code source} on {@code line}
     * with its column inside {@code attribute}, e.g. {@code filters = 2}: javac points at the
     * value, ECJ at the attribute's name.
     */
    Outcome assertErrorOn(String text, JavaFileObject source, int line, String attribute) {
        assertReported(true, text, source, line);
        String lineText;
        try {
            lineText = source.getCharContent(true).toString().split("\n", -1)[line - 1];
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int first = lineText.indexOf(attribute) + 1;
        assertTrue(first > 0, () -> "'" + attribute + "' is not on line " + line + ": " + lineText);
        int last = first + attribute.length() - 1;
        boolean found = diagnostics.stream().anyMatch(d -> d.isError() && d.message().contains(text)
                && d.line() == line && d.column() >= first && d.column() <= last);
        assertTrue(found, () -> compiler + ": expected the error '" + text + "' in columns " + first + " to " + last
                + " of line " + line + " (" + attribute + "); got:\n" + describe());
        return this;
    }

    /** A warning whose message contains {@code text}, anywhere. */
    Outcome assertWarning(String text) {
        return assertReported(false, text, null, -1);
    }

    /** A warning whose message contains {@code text}, reported in {@code source} on {@code line}. */
    Outcome assertWarning(String text, JavaFileObject source, int line) {
        return assertReported(false, text, source, line);
    }

    Outcome assertErrorCount(int count) {
        assertEquals(count, diagnostics.stream().filter(Reported::isError).count(), () -> compiler + ": " + describe());
        return this;
    }

    /**
     * No Latent warning at all. Only Latent's: ECJ warns about things javac's {@code -Xlint:all}
     * does not (and the other way round), which says nothing about the processor.
     */
    Outcome assertNoLatentWarnings() {
        List<Reported> latent = diagnostics.stream().filter(d -> d.isWarning() && d.message().contains("[latent:")).toList();
        assertTrue(latent.isEmpty(), () -> compiler + " warned: " + latent);
        return this;
    }

    /** No warning with the code {@code latent:CODE}. */
    Outcome assertNoWarning(String code) {
        List<Reported> found = diagnostics.stream()
                .filter(d -> d.isWarning() && d.message().contains("[latent:" + code + "]")).toList();
        assertTrue(found.isEmpty(), () -> compiler + ": latent:" + code + " was not silenced: " + found);
        return this;
    }

    /** The generated files, sorted. */
    List<String> generatedFiles() {
        return generated.get().keySet().stream().sorted().toList();
    }

    /** The text of the generated file {@code path}. */
    String generatedSource(String path) {
        String text = generated.get().get(path);
        assertTrue(text != null, () -> compiler + " did not generate " + path + ": " + generatedFiles());
        return text;
    }

    Outcome assertGenerated(String path) {
        assertTrue(generatedFiles().contains(path), () -> compiler + " did not generate " + path + ": " + generatedFiles());
        return this;
    }

    Outcome assertNothingGenerated() {
        assertEquals(List.of(), generatedFiles(), () -> compiler + ": no sources may be generated for a failed model");
        return this;
    }

    private Outcome assertReported(boolean error, String text, JavaFileObject source, int line) {
        String file = source == null ? null : pathOf(source);
        boolean found = diagnostics.stream().anyMatch(d -> (error ? d.isError() : d.isWarning())
                && d.message().contains(text)
                && (file == null || file.equals(d.file()))
                && (line < 0 || d.line() == line));
        assertTrue(found, () -> String.format(Locale.ROOT, "%s: expected %s containing '%s'%s; got:%n%s", compiler,
                error ? "an error" : "a warning", text, file == null ? "" : " in " + file + " on line " + line, describe()));
        return this;
    }

    private String describe() {
        return diagnostics.stream().map(Reported::toString).collect(Collectors.joining("\n"));
    }
}
