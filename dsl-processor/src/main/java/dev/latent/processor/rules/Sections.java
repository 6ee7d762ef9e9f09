package dev.latent.processor.rules;

import dev.latent.processor.model.MethodOutline;
import dev.latent.processor.model.ModelOutline;
import dev.latent.processor.model.SectionOutline;
import java.util.ArrayList;
import java.util.List;

/** The sections a model's outline has read, encoder first, for the rules over their methods. */
final class Sections {
    private Sections() {}

    /** The encoder and the decoder, those that exist. */
    static List<SectionOutline> of(ModelOutline outline) {
        List<SectionOutline> sections = new ArrayList<>();
        if (outline.encoder() != null) {
            sections.add(outline.encoder());
        }
        if (outline.decoder() != null) {
            sections.add(outline.decoder());
        }
        return sections;
    }

    /** Every method of both sections, encoder first, in source order. */
    static List<MethodOutline> methods(ModelOutline outline) {
        return of(outline).stream().flatMap(s -> s.methods().stream()).toList();
    }
}
