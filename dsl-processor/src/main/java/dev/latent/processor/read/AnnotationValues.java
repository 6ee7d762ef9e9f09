package dev.latent.processor.read;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Typed access to one annotation mirror's values, defaults included. Reads mirrors rather than
 * {@code getAnnotation()}, which cannot return class-valued members.
 */
final class AnnotationValues {
    private final AnnotationMirror mirror;
    private final Map<? extends ExecutableElement, ? extends AnnotationValue> withDefaults;

    AnnotationValues(AnnotationMirror mirror, Elements elements) {
        this.mirror = mirror;
        this.withDefaults = elements.getElementValuesWithDefaults(mirror);
    }

    /** Whether the user wrote {@code name = ...} (or, for {@code value}, the short form). */
    boolean isSet(String name) {
        return find(mirror.getElementValues(), name).isPresent();
    }

    int getInt(String name) {
        return as(Number.class, name).intValue();
    }

    long getLong(String name) {
        return as(Number.class, name).longValue();
    }

    double getDouble(String name) {
        return as(Number.class, name).doubleValue();
    }

    boolean getBoolean(String name) {
        return as(Boolean.class, name);
    }

    <E extends Enum<E>> E getEnum(String name, Class<E> type) {
        return Enum.valueOf(type, as(VariableElement.class, name).getSimpleName().toString());
    }

    int[] getInts(String name) {
        Object raw = value(name);
        // A single value written without braces arrives as that value, not as a list.
        if (raw instanceof Number n) {
            return new int[] {n.intValue()};
        }
        if (!(raw instanceof List<?> list)) {
            throw new UnreadableValueException(name);
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof AnnotationValue item) || !(item.getValue() instanceof Number n)) {
                throw new UnreadableValueException(name);
            }
            out[i] = n.intValue();
        }
        return out;
    }

    TypeMirror getType(String name) {
        return as(TypeMirror.class, name);
    }

    /**
     * The value as {@code type}. A value javac could not evaluate (an undefined constant, say)
     * arrives as something else; javac has reported it already, so the model is skipped.
     */
    private <T> T as(Class<T> type, String name) {
        Object raw = value(name);
        if (!type.isInstance(raw)) {
            throw new UnreadableValueException(name);
        }
        return type.cast(raw);
    }

    private Object value(String name) {
        return find(withDefaults, name)
                .orElseThrow(() -> new IllegalStateException("no attribute " + name + " on " + mirror))
                .getValue();
    }

    private static Optional<AnnotationValue> find(Map<? extends ExecutableElement, ? extends AnnotationValue> values,
            String name) {
        for (var entry : values.entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(name)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }
}
