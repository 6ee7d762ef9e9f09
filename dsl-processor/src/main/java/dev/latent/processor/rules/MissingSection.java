package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelOutline;
import dev.latent.processor.model.NestedType;
import dev.latent.processor.model.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code latent:missing-section}: no nested interface for the encoder or the decoder. Where an
 * interface has both roles, that is its error, and the missing section is its echo.
 */
final class MissingSection implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        List<Diagnostic> found = new ArrayList<>();
        if (!outline.twoRoles().isEmpty()) {
            return found;
        }
        for (Section role : Section.values()) {
            if (outline.candidates(role).isEmpty()) {
                String annotation = NestedType.annotation(role);
                found.add(Diagnostic.of(Message.MISSING_SECTION, outline.source(), outline.displayName(), annotation,
                        annotation, annotation.toLowerCase(Locale.ROOT)));
            }
        }
        return found;
    }
}
