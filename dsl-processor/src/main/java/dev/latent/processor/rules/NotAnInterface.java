package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelOutline;
import java.util.List;

/** {@code latent:not-an-interface}: {@code @Autoencoder} on a class, enum or record. */
final class NotAnInterface implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        if (outline.isInterface()) {
            return List.of();
        }
        return List.of(Diagnostic.of(Message.NOT_AN_INTERFACE, outline.source(), outline.displayName(),
                outline.kindName(), outline.simpleName()));
    }
}
