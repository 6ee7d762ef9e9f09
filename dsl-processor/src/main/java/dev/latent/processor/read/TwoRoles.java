package dev.latent.processor.read;

import dev.latent.processor.check.Message;
import dev.latent.processor.check.Report;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * One nested interface may be the encoder or the decoder, not both: read as both, its layers
 * would run twice, once as each half. Such an interface is reported here, on its
 * {@code @Decoder}, and is then neither section, so that it is not also a second encoder or
 * decoder beside a real one.
 */
final class TwoRoles {
    private TwoRoles() {}

    /** The nested interfaces of {@code model} annotated both {@code @Encoder} and {@code @Decoder}, each reported. */
    static Set<TypeElement> report(TypeElement model, String display, Report report) {
        Set<TypeElement> both = new LinkedHashSet<>();
        for (TypeElement nested : ElementFilter.typesIn(model.getEnclosedElements())) {
            AnnotationMirror decoder = ModelReader.mirror(nested, "Decoder");
            if (nested.getKind() == ElementKind.INTERFACE && decoder != null && ModelReader.mirror(nested, "Encoder") != null) {
                report.add(Message.TWO_ROLES, ElementRef.of(nested, decoder), display + "." + nested.getSimpleName(),
                        nested.getSimpleName());
                both.add(nested);
            }
        }
        return both;
    }
}
