package dev.latent.processor.model;

import java.util.List;

/**
 * One method of a section, as declared: what the structure rules look at, and the layer it
 * declares when it is a well-formed layer method.
 *
 * @param name the method's name
 * @param where how messages name it: {@code ConvDenoiser.Encode.conv1}
 * @param source the method itself
 * @param layerAnnotations the simple names of its layer annotations, e.g. {@code [Dense]}
 * @param layerSources where each of those annotations is, in the same order
 * @param bodyModifiers the modifiers that give it a body, as written ({@code default},
 *     {@code private static}), or "" for none
 * @param signature its signature as written, e.g. {@code int code(int size)}
 * @param takesNothingReturnsVoid whether it has no parameters and returns {@code void}
 * @param size its layer's size as written ({@code value} and its Keras-named alias), or null for a
 *     layer without one or a method that is not a {@linkplain #isLayerCandidate() layer candidate}
 * @param layer the layer it declares, or null when it declares none or its size is missing or given twice
 */
public record MethodOutline(String name, String where, SourceRef source, List<String> layerAnnotations,
        List<SourceRef> layerSources, String bodyModifiers, boolean isDefault, boolean isStatic, boolean isPrivate,
        String signature, boolean takesNothingReturnsVoid, AliasedSize size, Layer layer) {

    /** A method with a layer annotation and a body: an error, however it is written. */
    public boolean hasLayerAndBody() {
        return !bodyModifiers.isEmpty() && !layerAnnotations.isEmpty();
    }

    /** A static or private method without a layer annotation: the section's helper, not a layer. */
    public boolean isHelper() {
        return !hasLayerAndBody() && (isStatic || isPrivate);
    }

    /** Whether the method stands where a layer should: every method but a helper. */
    public boolean isLayerMethod() {
        return !isHelper();
    }

    /** A layer method without a body and with one layer annotation: the rest depends on its signature. */
    public boolean hasOneLayer() {
        return isLayerMethod() && !hasLayerAndBody() && layerAnnotations.size() == 1;
    }

    /** A method whose annotation's values are read: one layer, no body, no arguments, {@code void}. */
    public boolean isLayerCandidate() {
        return hasOneLayer() && takesNothingReturnsVoid;
    }

    /**
     * A layer's main size as written: {@code value} or its Keras-named alias ({@code units},
     * {@code filters}, {@code size}, {@code rate}).
     *
     * @param kind the layer's annotation, e.g. {@code Dense}
     * @param named the alias, e.g. {@code units}
     * @param value {@code value} as written, or null when it is not written
     * @param namedValue the alias as written, or null
     * @param fallback the size when neither is written, or null when the layer has no default
     * @param annotation the layer's annotation
     * @param namedAttribute the alias's value in the source (the annotation when not written)
     */
    public record AliasedSize(String kind, String named, Number value, Number namedValue, Number fallback,
            SourceRef annotation, SourceRef namedAttribute) {

        /** Both forms written. */
        public boolean isConflict() {
            return value != null && namedValue != null;
        }

        /** Neither form written, and no default. */
        public boolean isMissing() {
            return value == null && namedValue == null && fallback == null;
        }

        /** The size, or null when it is {@linkplain #isConflict() given twice} or {@linkplain #isMissing() missing}. */
        public Number resolved() {
            if (isConflict()) {
                return null;
            }
            return value != null ? value : namedValue != null ? namedValue : fallback;
        }
    }
}
