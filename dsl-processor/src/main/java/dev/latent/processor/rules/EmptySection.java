package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.MethodOutline;
import dev.latent.processor.model.ModelOutline;
import java.util.List;

/**
 * {@code latent:empty-section}: a section without layer methods. A section whose layers are all
 * inherited has {@code inherited-layers}; being empty is its echo.
 */
final class EmptySection implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        return Sections.of(outline).stream()
                .filter(s -> s.inherited() == null && s.methods().stream().noneMatch(MethodOutline::isLayerMethod))
                .map(s -> Diagnostic.of(Message.EMPTY_SECTION, s.role(), s.displayName(), s.which().prefix()))
                .toList();
    }
}
