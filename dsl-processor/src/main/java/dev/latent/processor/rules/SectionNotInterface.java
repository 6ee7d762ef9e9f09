package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelOutline;
import dev.latent.processor.model.NestedType;
import dev.latent.processor.model.Section;
import java.util.ArrayList;
import java.util.List;

/** {@code latent:section-not-interface}: {@code @Encoder} or {@code @Decoder} on a nested class, enum or record. */
final class SectionNotInterface implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        List<Diagnostic> found = new ArrayList<>();
        for (Section role : Section.values()) {
            for (NestedType nested : outline.withRole(role)) {
                if (!nested.isInterface()) {
                    found.add(Diagnostic.of(Message.SECTION_NOT_INTERFACE, nested.role(role), nested.displayName(),
                            NestedType.annotation(role), nested.kindName()));
                }
            }
        }
        return found;
    }
}
