package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelOutline;
import java.util.List;

/** {@code latent:layer-signature}: a layer method with parameters or a return value. */
final class LayerSignature implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        return Sections.methods(outline).stream()
                .filter(m -> m.hasOneLayer() && !m.takesNothingReturnsVoid())
                .map(m -> Diagnostic.of(Message.LAYER_SIGNATURE, m.source(), m.where(), m.signature(), m.name()))
                .toList();
    }
}
