package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.MethodOutline;
import dev.latent.processor.model.SectionOutline;
import dev.latent.processor.model.ModelOutline;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code latent:not-a-layer}: a method of a section without a layer annotation. Static and private
 * methods without one are the section's helpers and allowed.
 */
final class NotALayer implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        List<Diagnostic> found = new ArrayList<>();
        for (SectionOutline section : Sections.of(outline)) {
            for (MethodOutline method : section.methods()) {
                if (method.isLayerMethod() && method.layerAnnotations().isEmpty()) {
                    found.add(Diagnostic.of(Message.NOT_A_LAYER, method.source(), method.where(),
                            section.which().prefix()));
                }
            }
        }
        return found;
    }
}
