package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.MethodOutline.AliasedSize;
import dev.latent.processor.model.ModelOutline;
import java.util.List;

/**
 * {@code latent:missing-size}: a layer whose size has no default, written neither as {@code value}
 * nor by name. The other half of {@link AliasConflict}, over the same {@code AliasedSize}.
 */
final class MissingSize implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        return Sections.methods(outline).stream()
                .filter(m -> m.size() != null && m.size().isMissing())
                .map(m -> {
                    AliasedSize size = m.size();
                    return Diagnostic.of(Message.ALIAS_MISSING, size.annotation(), m.where(), size.kind(), size.named(),
                            size.kind(), size.kind(), size.named());
                })
                .toList();
    }
}
