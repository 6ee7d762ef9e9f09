package dev.latent.processor.read;

import dev.latent.dsl.Activation;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Padding;
import dev.latent.dsl.Resample;
import dev.latent.processor.model.CustomClass;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.LossSpec;
import dev.latent.processor.model.MethodOutline;
import dev.latent.processor.model.MethodOutline.AliasedSize;
import dev.latent.processor.model.ModelOutline;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.NestedType;
import dev.latent.processor.model.NoiseSpec;
import dev.latent.processor.model.Section;
import dev.latent.processor.model.SectionOutline;
import dev.latent.processor.model.SourceRef;
import dev.latent.processor.model.TrainingSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads one {@code @Autoencoder} type into a {@link ModelOutline}: what it declares (sections,
 * methods, annotations) and, when its structure allows, the {@link ModelSpec}. It only reads: what
 * is wrong with the structure is for the structure rules in {@code rules} to say. With
 * {@link InheritedMethods} and {@link ElementRef}, the only part of the processor that sees
 * {@code javax.lang.model}.
 */
public final class ModelReader {
    private static final String DSL = "dev.latent.dsl.";
    private static final String NOISE_MODEL = "dev.latent.runtime.noise.NoiseModel";
    private static final String LOSS_FUNCTION = "org.nd4j.linalg.lossfunctions.ILossFunction";
    private static final Set<String> LAYER_ANNOTATIONS = Set.of("Dense", "Conv2D", "Conv2DTranspose", "MaxPool2D",
            "UpSampling2D", "Flatten", "Reshape", "Dropout", "BatchNormalization", "Conv1D", "MaxPool1D", "UpSampling1D",
            "LSTM");

    private final Elements elements;
    private final Types types;

    public ModelReader(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    /** What {@code type} declares, and its model when the structure allows one; reports nothing. */
    public ModelOutline read(TypeElement type) {
        String display = displayName(type);
        AnnotationMirror autoencoder = mirror(type, "Autoencoder");
        ElementRef modelRef = ElementRef.of(type, autoencoder);
        if (type.getKind() != ElementKind.INTERFACE) {
            return new ModelOutline(display, type.getSimpleName().toString(), kindName(type), false, modelRef, List.of(),
                    null, null, null);
        }
        List<NestedType> nested = new ArrayList<>();
        List<TypeElement> nestedElements = new ArrayList<>();
        for (TypeElement element : ElementFilter.typesIn(type.getEnclosedElements())) {
            AnnotationMirror encoderRole = mirror(element, "Encoder");
            AnnotationMirror decoderRole = mirror(element, "Decoder");
            if (encoderRole != null || decoderRole != null) {
                nested.add(new NestedType(element.getSimpleName().toString(), display + "." + element.getSimpleName(),
                        kindName(element), element.getKind() == ElementKind.INTERFACE,
                        encoderRole == null ? null : ElementRef.of(element, encoderRole),
                        decoderRole == null ? null : ElementRef.of(element, decoderRole)));
                nestedElements.add(element);
            }
        }
        ModelOutline structure = new ModelOutline(display, type.getSimpleName().toString(), "interface", true, modelRef,
                nested, null, null, null);
        SectionOutline encoder = section(structure, nestedElements, Section.ENCODER);
        SectionOutline decoder = section(structure, nestedElements, Section.DECODER);
        if (encoder == null || decoder == null || !structure.twoRoles().isEmpty()) {
            return new ModelOutline(display, structure.simpleName(), "interface", true, modelRef, nested, encoder, decoder,
                    null);
        }
        AnnotationValues model = new AnnotationValues(autoencoder, elements);
        String packageName = packageOf(type).getQualifiedName().toString();
        ModelSpec spec = new ModelSpec(
                packageName,
                type.getQualifiedName().toString(),
                display,
                display.replace('.', '_'),
                model.getInts("inputShape"),
                model.getEnum("range", DataRange.class),
                encoder.simpleName(),
                decoder.simpleName(),
                encoder.layers(),
                decoder.layers(),
                noise(type, modelRef),
                loss(type),
                training(type, modelRef),
                suppressed(type),
                modelRef);
        return new ModelOutline(display, structure.simpleName(), "interface", true, modelRef, nested, encoder, decoder, spec);
    }

    /** The section {@code role}, read from the first of its candidates; null when there is none. */
    private SectionOutline section(ModelOutline structure, List<TypeElement> nestedElements, Section role) {
        List<NestedType> candidates = structure.candidates(role);
        if (candidates.isEmpty()) {
            return null;
        }
        NestedType chosen = candidates.get(0);
        TypeElement section = nestedElements.get(structure.nested().indexOf(chosen));
        List<MethodOutline> methods = new ArrayList<>();
        for (ExecutableElement method : ElementFilter.methodsIn(section.getEnclosedElements())) {
            methods.add(method(method, role, chosen.displayName() + "." + method.getSimpleName()));
        }
        return new SectionOutline(role, chosen.simpleName(), chosen.displayName(), chosen.role(role), methods,
                InheritedMethods.of(section));
    }

    private MethodOutline method(ExecutableElement method, Section section, String where) {
        List<AnnotationMirror> layerMirrors = method.getAnnotationMirrors().stream()
                .filter(m -> LAYER_ANNOTATIONS.contains(simpleDslName(m)))
                .map(m -> (AnnotationMirror) m)
                .toList();
        Set<Modifier> modifiers = method.getModifiers();
        MethodOutline outline = new MethodOutline(method.getSimpleName().toString(), where, ElementRef.of(method),
                layerMirrors.stream().map(ModelReader::simpleDslName).toList(),
                layerMirrors.stream().map(m -> (SourceRef) ElementRef.of(method, m)).toList(),
                bodyModifiers(method), modifiers.contains(Modifier.DEFAULT), modifiers.contains(Modifier.STATIC),
                modifiers.contains(Modifier.PRIVATE), signature(method),
                method.getParameters().isEmpty() && method.getReturnType().getKind() == TypeKind.VOID, null, null);
        // Only a well-formed layer method's values are read: the others have their errors already.
        if (!outline.isLayerCandidate()) {
            return outline;
        }
        AnnotationMirror mirror = layerMirrors.get(0);
        AnnotationValues values = new AnnotationValues(mirror, elements);
        AliasedSize size = size(values, ElementRef.of(method, mirror), simpleDslName(mirror));
        Layer layer = layer(method, mirror, values, section, size == null ? null : size.resolved());
        return new MethodOutline(outline.name(), where, outline.source(), outline.layerAnnotations(),
                outline.layerSources(), outline.bodyModifiers(), outline.isDefault(), outline.isStatic(),
                outline.isPrivate(), outline.signature(), true, size, layer);
    }

    /** The modifiers that give an interface method a body, as written: {@code default}, {@code private static}; "" for none. */
    private static String bodyModifiers(ExecutableElement method) {
        List<String> words = new ArrayList<>();
        for (Modifier modifier : List.of(Modifier.PRIVATE, Modifier.STATIC, Modifier.DEFAULT)) {
            if (method.getModifiers().contains(modifier)) {
                words.add(modifier.toString());
            }
        }
        return String.join(" ", words);
    }

    /** The main size as written, for the layers that have one; null for the others. */
    private static AliasedSize size(AnnotationValues v, ElementRef ref, String kind) {
        return switch (kind) {
            case "Dense", "LSTM" -> aliased(v, ref, kind, "units", null);
            case "Conv2D", "Conv2DTranspose", "Conv1D" -> aliased(v, ref, kind, "filters", null);
            case "MaxPool2D", "UpSampling2D", "MaxPool1D", "UpSampling1D" -> aliased(v, ref, kind, "size", 2);
            case "Dropout" -> new AliasedSize(kind, "rate", v.isSet("value") ? v.getDouble("value") : null,
                    v.isSet("rate") ? v.getDouble("rate") : null, null, ref, ref.attribute("rate"));
            default -> null;
        };
    }

    private static AliasedSize aliased(AnnotationValues v, ElementRef ref, String kind, String named, Integer fallback) {
        return new AliasedSize(kind, named, v.isSet("value") ? v.getInt("value") : null,
                v.isSet(named) ? v.getInt(named) : null, fallback, ref, ref.attribute(named));
    }

    /** The layer {@code mirror} declares; null when its size ({@code size}) could not be resolved. */
    private static Layer layer(ExecutableElement method, AnnotationMirror mirror, AnnotationValues v, Section section,
            Number size) {
        String name = method.getSimpleName().toString();
        String kind = simpleDslName(mirror);
        ElementRef ref = ElementRef.of(method, mirror);
        return switch (kind) {
            case "Dense" -> size == null ? null
                    : new Layer.Dense(name, section, ref, size.intValue(), v.getEnum("activation", Activation.class));
            case "Conv2D", "Conv2DTranspose" -> size == null ? null
                    : new Layer.Conv2D(name, section, ref, size.intValue(), v.getInt("kernel"), v.getInt("strides"),
                            v.getEnum("padding", Padding.class), v.getEnum("activation", Activation.class),
                            kind.equals("Conv2DTranspose"));
            case "MaxPool2D" -> size == null ? null
                    : new Layer.MaxPool2D(name, section, ref, size.intValue(), v.getInt("strides"),
                            v.getEnum("padding", Padding.class));
            case "UpSampling2D" -> size == null ? null : new Layer.UpSampling2D(name, section, ref, size.intValue());
            case "Conv1D" -> size == null ? null
                    : new Layer.Conv1D(name, section, ref, size.intValue(), v.getInt("kernel"), v.getInt("strides"),
                            v.getEnum("padding", Padding.class), v.getEnum("activation", Activation.class));
            case "MaxPool1D" -> size == null ? null
                    : new Layer.MaxPool1D(name, section, ref, size.intValue(), v.getInt("strides"),
                            v.getEnum("padding", Padding.class));
            case "UpSampling1D" -> size == null ? null : new Layer.UpSampling1D(name, section, ref, size.intValue());
            case "LSTM" -> size == null ? null
                    : new Layer.Lstm(name, section, ref, size.intValue(), v.getBoolean("returnSequences"),
                            v.getEnum("activation", Activation.class));
            case "Dropout" -> size == null ? null : new Layer.Dropout(name, section, ref, size.doubleValue());
            case "Flatten" -> new Layer.Flatten(name, section, ref);
            case "Reshape" -> new Layer.Reshape(name, section, ref, Dims.of(v.getInts("value")));
            case "BatchNormalization" -> new Layer.BatchNormalization(name, section, ref, v.getDouble("momentum"),
                    v.getDouble("epsilon"));
            default -> throw new IllegalStateException("unknown layer annotation @" + kind);
        };
    }

    private NoiseSpec noise(TypeElement type, ElementRef modelRef) {
        AnnotationMirror mirror = mirror(type, "Noise");
        if (mirror == null) {
            return NoiseSpec.none(modelRef);
        }
        AnnotationValues v = new AnnotationValues(mirror, elements);
        ElementRef ref = ElementRef.of(type, mirror);
        return new NoiseSpec(v.getDouble("gaussian"), v.getDouble("masking"), v.getDouble("saltAndPepper"),
                v.getDouble("blockMasking"), v.getInt("blockSize"), v.getBoolean("clip"), v.getEnum("resample", Resample.class),
                custom(v.getType("custom"), NOISE_MODEL, ref.attribute("custom")), ref);
    }

    private LossSpec loss(TypeElement type) {
        AnnotationMirror mirror = mirror(type, "Loss");
        if (mirror == null) {
            return new LossSpec(LossFunction.MSE, null, ElementRef.of(type, mirror(type, "Autoencoder")));
        }
        AnnotationValues v = new AnnotationValues(mirror, elements);
        ElementRef ref = ElementRef.of(type, mirror);
        return new LossSpec(v.getEnum("value", LossFunction.class),
                custom(v.getType("custom"), LOSS_FUNCTION, ref.attribute("custom")), ref);
    }

    private TrainingSpec training(TypeElement type, ElementRef modelRef) {
        AnnotationMirror mirror = mirror(type, "Training");
        if (mirror == null) {
            return TrainingSpec.defaults(modelRef);
        }
        AnnotationValues v = new AnnotationValues(mirror, elements);
        return new TrainingSpec(v.getInt("epochs"), v.getInt("batchSize"), v.getEnum("optimizer", Optimizer.class),
                v.getDouble("learningRate"), v.getLong("seed"), v.getDouble("validationSplit"),
                v.getInt("earlyStoppingPatience"), ElementRef.of(type, mirror));
    }

    /** What generated code needs to know of a {@code custom = X.class}; null for the default {@code void.class}. */
    private CustomClass custom(TypeMirror type, String requiredInterface, SourceRef ref) {
        if (type.getKind() == TypeKind.VOID) {
            return null;
        }
        if (type.getKind() != TypeKind.DECLARED) {
            return new CustomClass(type.toString(), false, requiredInterface, false, ref);
        }
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        TypeElement required = elements.getTypeElement(requiredInterface);
        boolean implementsRequired = required != null
                && types.isAssignable(types.erasure(type), types.erasure(required.asType()));
        boolean instantiable = element.getKind() == ElementKind.CLASS
                && element.getModifiers().contains(Modifier.PUBLIC)
                && !element.getModifiers().contains(Modifier.ABSTRACT)
                && (element.getNestingKind() == NestingKind.TOP_LEVEL || element.getModifiers().contains(Modifier.STATIC))
                && ElementFilter.constructorsIn(element.getEnclosedElements()).stream()
                        .anyMatch(c -> c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC));
        return new CustomClass(element.getQualifiedName().toString(), implementsRequired, requiredInterface,
                instantiable, ref);
    }

    private Set<String> suppressed(TypeElement type) {
        Set<String> codes = new LinkedHashSet<>();
        SuppressWarnings annotation = type.getAnnotation(SuppressWarnings.class);
        if (annotation != null) {
            for (String code : annotation.value()) {
                if (code.startsWith("latent:")) {
                    codes.add(code);
                }
            }
        }
        return codes;
    }

    /** The annotation {@code @dev.latent.dsl.<dslName>} on {@code element}, or null. */
    static AnnotationMirror mirror(Element element, String dslName) {
        for (AnnotationMirror m : element.getAnnotationMirrors()) {
            TypeElement annotationType = (TypeElement) m.getAnnotationType().asElement();
            if (annotationType.getQualifiedName().contentEquals(DSL + dslName)) {
                return m;
            }
        }
        return null;
    }

    private static String simpleDslName(AnnotationMirror m) {
        String name = ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString();
        return name.startsWith(DSL) ? name.substring(DSL.length()) : "";
    }

    /** A type's simple names joined by dots, without its package: {@code Outer.ConvDenoiser}. */
    static String displayName(TypeElement type) {
        StringBuilder name = new StringBuilder(type.getSimpleName());
        for (Element e = type.getEnclosingElement(); e instanceof TypeElement outer; e = outer.getEnclosingElement()) {
            name.insert(0, outer.getSimpleName() + ".");
        }
        return name.toString();
    }

    private static PackageElement packageOf(Element e) {
        while (!(e instanceof PackageElement)) {
            e = e.getEnclosingElement();
        }
        return (PackageElement) e;
    }

    private static String kindName(Element e) {
        return switch (e.getKind()) {
            case ANNOTATION_TYPE -> "annotation type";
            case ENUM -> "enum";
            case RECORD -> "record";
            case CLASS -> "class";
            default -> e.getKind().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String signature(ExecutableElement method) {
        return method.getReturnType() + " " + method.getSimpleName() + "("
                + String.join(", ", method.getParameters().stream().map(p -> p.asType() + " " + p.getSimpleName()).toList())
                + ")";
    }

}
