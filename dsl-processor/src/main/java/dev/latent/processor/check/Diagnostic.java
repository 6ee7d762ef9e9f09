package dev.latent.processor.check;

import dev.latent.processor.model.SourceRef;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One message, and where in the source it belongs: what a rule returns and the processor prints. */
public record Diagnostic(Message message, String text, SourceRef where) {

    /** {@code message}, formatted with {@code args}, at {@code where}. */
    public static Diagnostic of(Message message, SourceRef where, Object... args) {
        return new Diagnostic(message, message.format(args), where);
    }

    /**
     * {@code latent:internal}: the processor failed on {@code model}. The text carries the stack
     * trace, as AutoValue's does, so that a user's report says where it failed.
     */
    public static Diagnostic internal(SourceRef where, String model, Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return of(Message.INTERNAL, where, model, failure, trace.toString().stripTrailing());
    }

    public boolean isError() {
        return message.kind() == Message.Kind.ERROR;
    }

    /** The same diagnostic with {@code more} appended to its text. */
    public Diagnostic followedBy(String more) {
        return new Diagnostic(message, text + more, where);
    }
}
