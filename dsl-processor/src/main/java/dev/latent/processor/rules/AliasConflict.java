package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.MethodOutline.AliasedSize;
import dev.latent.processor.model.ModelOutline;
import java.util.List;

/**
 * {@code latent:alias-conflict}: a layer's size written both as {@code value} and as its
 * Keras-named alias ({@code @Dense(value = 32, units = 64)}), reported on the alias.
 */
final class AliasConflict implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        return Sections.methods(outline).stream()
                .filter(m -> m.size() != null && m.size().isConflict())
                .map(m -> {
                    AliasedSize size = m.size();
                    return Diagnostic.of(Message.ALIAS_CONFLICT, size.namedAttribute(), m.where(), size.kind(),
                            size.value(), size.named(), size.namedValue(), size.kind(), size.namedValue());
                })
                .toList();
    }
}
