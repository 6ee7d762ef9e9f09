package dev.latent.processor.read;

import dev.latent.processor.model.SourceRef;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;

/** A {@link SourceRef} backed by javac's element, annotation mirror and annotation value. */
public record ElementRef(Element element, AnnotationMirror annotation, AnnotationValue value) implements SourceRef {

    /** The element itself. */
    public static ElementRef of(Element element) {
        return new ElementRef(element, null, null);
    }

    /** An annotation on the element. */
    public static ElementRef of(Element element, AnnotationMirror annotation) {
        return new ElementRef(element, annotation, null);
    }

    @Override
    public SourceRef attribute(String... names) {
        if (annotation == null) {
            return this;
        }
        Map<? extends ExecutableElement, ? extends AnnotationValue> explicit = annotation.getElementValues();
        for (String name : names) {
            for (var entry : explicit.entrySet()) {
                if (entry.getKey().getSimpleName().contentEquals(name)) {
                    return new ElementRef(element, annotation, entry.getValue());
                }
            }
        }
        return new ElementRef(element, annotation, null);
    }
}
