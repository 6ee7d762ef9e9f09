package dev.latent.processor.check;

import dev.latent.processor.model.SourceRef;

/** One message, and where in the source it belongs. */
public record Diagnostic(Message message, String text, SourceRef where) {

    public boolean isError() {
        return message.kind() == Message.Kind.ERROR;
    }
}
