package dev.latent.processor.model;

/**
 * Where in the user's source a part of the model was declared: an element, an annotation on it,
 * or one attribute of that annotation. Opaque to everything after the reading step, so that the
 * model, the checks and the generators stay free of {@code javax.lang.model} types.
 */
public interface SourceRef {

    /**
     * The first of {@code names} that the annotation sets explicitly (aliases are passed in the
     * order the user most likely wrote them); the annotation itself when none is set.
     */
    SourceRef attribute(String... names);
}
