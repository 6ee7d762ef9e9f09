package dev.latent.processor.read;

import dev.latent.processor.model.SectionOutline;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * A section's layers are the methods it declares; methods it inherits from another interface
 * (the encoder's, say, for a decoder that extends it) would be silently left out. This reads
 * them, so that the rule {@code inherited-layers} can say so. Abstract, an inherited method would
 * be a layer Latent never reads; default, code it never runs. A super-interface without methods,
 * such as {@code Serializable}, adds nothing.
 */
final class InheritedMethods {
    private InheritedMethods() {}

    /** The instance methods {@code section} inherits, or null when it inherits none. */
    static SectionOutline.Inherited of(TypeElement section) {
        List<TypeElement> declaring = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        List<String> extended = new ArrayList<>();
        Set<TypeElement> seen = new LinkedHashSet<>();
        for (TypeElement direct : superInterfaces(section)) {
            int before = methods.size();
            collect(direct, seen, declaring, methods);
            if (methods.size() > before) {
                extended.add(direct.getSimpleName().toString());
            }
        }
        if (methods.isEmpty()) {
            return null;
        }
        return new SectionOutline.Inherited(methods, declaring.stream().map(ModelReader::displayName).toList(), extended);
    }

    /** The instance methods of {@code type} and of its super-interfaces, each interface once. */
    private static void collect(TypeElement type, Set<TypeElement> seen, List<TypeElement> declaring, List<String> methods) {
        if (!seen.add(type)) {
            return;
        }
        boolean declares = false;
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            // Static and private methods of an interface are not inherited.
            if (!method.getModifiers().contains(Modifier.STATIC) && !method.getModifiers().contains(Modifier.PRIVATE)) {
                methods.add(method.getSimpleName() + (method.getParameters().isEmpty() ? "()" : "(...)"));
                declares = true;
            }
        }
        if (declares) {
            declaring.add(type);
        }
        for (TypeElement parent : superInterfaces(type)) {
            collect(parent, seen, declaring, methods);
        }
    }

    private static List<TypeElement> superInterfaces(TypeElement type) {
        List<TypeElement> supers = new ArrayList<>();
        for (TypeMirror mirror : type.getInterfaces()) {
            if (mirror.getKind() == TypeKind.DECLARED) {
                supers.add((TypeElement) ((DeclaredType) mirror).asElement());
            }
        }
        return supers;
    }
}
