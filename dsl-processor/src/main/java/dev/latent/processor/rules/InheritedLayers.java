package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelOutline;
import dev.latent.processor.model.SectionOutline;
import java.util.List;

/**
 * {@code latent:inherited-layers}: a section that inherits methods from another interface. Latent
 * reads only the layer methods a section declares itself: an inherited abstract method would be a
 * layer it never reads, a default one code it never runs. Reported on the section's role.
 */
final class InheritedLayers implements StructureRule {

    @Override
    public List<Diagnostic> check(ModelOutline outline) {
        return Sections.of(outline).stream().filter(s -> s.inherited() != null).map(InheritedLayers::diagnostic).toList();
    }

    private static Diagnostic diagnostic(SectionOutline section) {
        SectionOutline.Inherited inherited = section.inherited();
        return Diagnostic.of(Message.INHERITED_LAYERS, section.role(), section.displayName(), section.which().prefix(),
                String.join(", ", inherited.methods()), String.join(", ", inherited.declaredIn()),
                section.which().prefix(), section.simpleName(), String.join(", ", inherited.extended()));
    }
}
