package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelOutline;
import dev.latent.processor.model.Section;
import java.util.List;

/**
 * {@code latent:two-roles}: one nested interface annotated both {@code @Encoder} and
 * {@code @Decoder}. Read as both, its layers would run twice, once as each half; such an interface
 * is reported on its {@code @Decoder} and is then neither section, so that it is not also a second
 * encoder or decoder beside a real one.
 */
final class TwoRoles implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        return outline.twoRoles().stream()
                .map(nested -> Diagnostic.of(Message.TWO_ROLES, nested.role(Section.DECODER), nested.displayName(),
                        nested.simpleName()))
                .toList();
    }
}
