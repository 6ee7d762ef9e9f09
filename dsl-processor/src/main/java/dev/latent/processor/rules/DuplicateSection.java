package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelOutline;
import dev.latent.processor.model.NestedType;
import dev.latent.processor.model.Section;
import java.util.ArrayList;
import java.util.List;

/** {@code latent:duplicate-section}: a second {@code @Encoder} or {@code @Decoder} interface, reported on each extra one. */
final class DuplicateSection implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        List<Diagnostic> found = new ArrayList<>();
        for (Section role : Section.values()) {
            List<NestedType> candidates = outline.candidates(role);
            for (NestedType extra : candidates.subList(Math.min(1, candidates.size()), candidates.size())) {
                found.add(Diagnostic.of(Message.DUPLICATE_SECTION, extra.role(role), extra.displayName(),
                        NestedType.annotation(role), candidates.get(0).simpleName(), extra.simpleName()));
            }
        }
        return found;
    }
}
