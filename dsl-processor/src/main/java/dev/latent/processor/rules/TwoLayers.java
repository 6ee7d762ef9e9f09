package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.MethodOutline;
import dev.latent.processor.model.ModelOutline;
import java.util.List;

/** {@code latent:two-layers}: one method with two layer annotations, reported on the second. */
final class TwoLayers implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        return Sections.methods(outline).stream()
                .filter(m -> m.isLayerMethod() && !m.hasLayerAndBody() && m.layerAnnotations().size() > 1)
                .map(m -> Diagnostic.of(Message.TWO_LAYERS, m.layerSources().get(1), m.where(),
                        m.layerAnnotations().stream().map(a -> "@" + a).toList()))
                .toList();
    }
}
