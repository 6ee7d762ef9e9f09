package dev.latent.processor.check;

import dev.latent.processor.model.SourceRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The diagnostics of one model, in the order the rules found them. Rules return diagnostics and
 * the checks go on, so a user sees every problem in one compile; the processor prints them once
 * at the end.
 */
public final class Report {
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    /** Adds {@code message}, formatted with {@code args}, at {@code where}. */
    public void add(Message message, SourceRef where, Object... args) {
        diagnostics.add(Diagnostic.of(message, where, args));
    }

    public void addAll(List<Diagnostic> found) {
        diagnostics.addAll(found);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }
}
