package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.MethodOutline;
import dev.latent.processor.model.ModelOutline;
import java.util.List;

/**
 * {@code latent:layer-body}: a layer annotation on a method with a body. A default method's code
 * would never run; a static or private one would be left out of the network.
 */
final class LayerBody implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        return Sections.methods(outline).stream().filter(MethodOutline::hasLayerAndBody)
                .map(m -> Diagnostic.of(Message.LAYER_BODY, m.layerSources().get(0), m.where(), m.bodyModifiers(),
                        m.isDefault() ? "whose code Latent never runs" : "which Latent would leave out of the network",
                        m.bodyModifiers(), m.name()))
                .toList();
    }
}
