package dev.latent.processor.read;

import dev.latent.dsl.Activation;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Padding;
import dev.latent.dsl.Resample;
import dev.latent.processor.check.Message;
import dev.latent.processor.check.Report;
import dev.latent.processor.model.CustomClass;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.LossSpec;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.NoiseSpec;
import dev.latent.processor.model.Section;
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
 * Reads one {@code @Autoencoder} interface into a {@link ModelSpec}, reporting what is wrong
 * with its structure (sections, layer methods, aliases). With the rules beside it in this package
 * ({@link TwoRoles}, {@link InheritedLayers}) and {@link ElementRef}, the only part of the processor
 * that sees {@code javax.lang.model}.
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

    /**
     * The model of {@code type}, or null when its structure is too broken to check further
     * (the reasons are in {@code report}).
     */
    public ModelSpec read(TypeElement type, Report report) {
        String display = displayName(type);
        AnnotationMirror autoencoder = mirror(type, "Autoencoder");
        ElementRef modelRef = ElementRef.of(type, autoencoder);
        if (type.getKind() != ElementKind.INTERFACE) {
            report.add(Message.NOT_AN_INTERFACE, modelRef, display, kindName(type), type.getSimpleName());
            return null;
        }
        AnnotationValues model = new AnnotationValues(autoencoder, elements);

        Set<TypeElement> twoRoles = TwoRoles.report(type, display, report);
        TypeElement encoder = section(type, display, "Encoder", twoRoles, report);
        TypeElement decoder = section(type, display, "Decoder", twoRoles, report);
        List<Layer> encoderLayers = encoder == null ? List.of() : layers(encoder, Section.ENCODER, display, report);
        List<Layer> decoderLayers = decoder == null ? List.of() : layers(decoder, Section.DECODER, display, report);
        if (encoder == null || decoder == null || !twoRoles.isEmpty()) {
            return null;
        }

        String packageName = packageOf(type).getQualifiedName().toString();
        return new ModelSpec(
                packageName,
                type.getQualifiedName().toString(),
                display,
                display.replace('.', '_'),
                model.getInts("inputShape"),
                model.getEnum("range", DataRange.class),
                encoder.getSimpleName().toString(),
                decoder.getSimpleName().toString(),
                encoderLayers,
                decoderLayers,
                noise(type, modelRef),
                loss(type),
                training(type, modelRef),
                suppressed(type),
                modelRef);
    }

    /**
     * The one nested interface annotated {@code @Encoder} or {@code @Decoder}, leaving out those
     * with both roles ({@code twoRoles}), which have their own error.
     */
    private TypeElement section(TypeElement model, String display, String annotation, Set<TypeElement> twoRoles,
            Report report) {
        List<TypeElement> found = new ArrayList<>();
        for (TypeElement nested : ElementFilter.typesIn(model.getEnclosedElements())) {
            AnnotationMirror mirror = mirror(nested, annotation);
            if (mirror == null || twoRoles.contains(nested)) {
                continue;
            }
            if (nested.getKind() != ElementKind.INTERFACE) {
                report.add(Message.SECTION_NOT_INTERFACE, ElementRef.of(nested, mirror), display + "." + nested.getSimpleName(),
                        annotation, kindName(nested));
                continue;
            }
            found.add(nested);
        }
        if (found.isEmpty() && !twoRoles.isEmpty()) {
            return null;
        }
        if (found.isEmpty()) {
            report.add(Message.MISSING_SECTION, ElementRef.of(model, mirror(model, "Autoencoder")), display, annotation,
                    annotation, annotation.toLowerCase(java.util.Locale.ROOT));
            return null;
        }
        for (TypeElement extra : found.subList(1, found.size())) {
            report.add(Message.DUPLICATE_SECTION, ElementRef.of(extra, mirror(extra, annotation)),
                    display + "." + extra.getSimpleName(), annotation, found.get(0).getSimpleName(), extra.getSimpleName());
        }
        return found.get(0);
    }

    private List<Layer> layers(TypeElement section, Section which, String display, Report report) {
        List<Layer> layers = new ArrayList<>();
        String sectionName = display + "." + section.getSimpleName();
        AnnotationMirror role = mirror(section, which == Section.ENCODER ? "Encoder" : "Decoder");
        boolean inherits = InheritedLayers.report(section, which, role, display, report);
        int methods = 0;
        for (ExecutableElement method : ElementFilter.methodsIn(section.getEnclosedElements())) {
            String where = sectionName + "." + method.getSimpleName();
            List<AnnotationMirror> layerMirrors = method.getAnnotationMirrors().stream()
                    .filter(m -> LAYER_ANNOTATIONS.contains(simpleDslName(m)))
                    .map(m -> (AnnotationMirror) m)
                    .toList();
            String body = bodyModifiers(method);
            if (!body.isEmpty() && !layerMirrors.isEmpty()) {
                methods++;
                report.add(Message.LAYER_BODY, ElementRef.of(method, layerMirrors.get(0)), where, body,
                        method.getModifiers().contains(Modifier.DEFAULT) ? "whose code Latent never runs"
                                : "which Latent would leave out of the network",
                        body, method.getSimpleName());
                continue;
            }
            // Static and private methods without a layer annotation are the section's helpers, not layers.
            if (method.getModifiers().contains(Modifier.STATIC) || method.getModifiers().contains(Modifier.PRIVATE)) {
                continue;
            }
            methods++;
            if (layerMirrors.isEmpty()) {
                report.add(Message.NOT_A_LAYER, ElementRef.of(method), where, which.prefix());
                continue;
            }
            if (layerMirrors.size() > 1) {
                report.add(Message.TWO_LAYERS, ElementRef.of(method, layerMirrors.get(1)), where,
                        layerMirrors.stream().map(m -> "@" + simpleDslName(m)).toList());
                continue;
            }
            if (!method.getParameters().isEmpty() || method.getReturnType().getKind() != TypeKind.VOID) {
                report.add(Message.LAYER_SIGNATURE, ElementRef.of(method), where, signature(method), method.getSimpleName());
                continue;
            }
            Layer layer = layer(method, layerMirrors.get(0), which, where, report);
            if (layer != null) {
                layers.add(layer);
            }
        }
        // A section whose layers are all inherited has that error; being empty is its echo.
        if (methods == 0 && !inherits) {
            report.add(Message.EMPTY_SECTION, ElementRef.of(section, role), sectionName, which.prefix());
        }
        return layers;
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

    private Layer layer(ExecutableElement method, AnnotationMirror mirror, Section section, String where, Report report) {
        String name = method.getSimpleName().toString();
        String kind = simpleDslName(mirror);
        ElementRef ref = ElementRef.of(method, mirror);
        AnnotationValues v = new AnnotationValues(mirror, elements);
        return switch (kind) {
            case "Dense" -> {
                Integer units = aliased(v, ref, where, kind, "units", "int", report, null);
                yield units == null ? null
                        : new Layer.Dense(name, section, ref, units, v.getEnum("activation", Activation.class));
            }
            case "Conv2D", "Conv2DTranspose" -> {
                Integer filters = aliased(v, ref, where, kind, "filters", "int", report, null);
                yield filters == null ? null
                        : new Layer.Conv2D(name, section, ref, filters, v.getInt("kernel"), v.getInt("strides"),
                                v.getEnum("padding", Padding.class), v.getEnum("activation", Activation.class),
                                kind.equals("Conv2DTranspose"));
            }
            case "MaxPool2D" -> {
                Integer size = aliased(v, ref, where, kind, "size", "int", report, 2);
                yield size == null ? null
                        : new Layer.MaxPool2D(name, section, ref, size, v.getInt("strides"), v.getEnum("padding", Padding.class));
            }
            case "UpSampling2D" -> {
                Integer size = aliased(v, ref, where, kind, "size", "int", report, 2);
                yield size == null ? null : new Layer.UpSampling2D(name, section, ref, size);
            }
            case "Conv1D" -> {
                Integer filters = aliased(v, ref, where, kind, "filters", "int", report, null);
                yield filters == null ? null
                        : new Layer.Conv1D(name, section, ref, filters, v.getInt("kernel"), v.getInt("strides"),
                                v.getEnum("padding", Padding.class), v.getEnum("activation", Activation.class));
            }
            case "MaxPool1D" -> {
                Integer size = aliased(v, ref, where, kind, "size", "int", report, 2);
                yield size == null ? null
                        : new Layer.MaxPool1D(name, section, ref, size, v.getInt("strides"), v.getEnum("padding", Padding.class));
            }
            case "UpSampling1D" -> {
                Integer size = aliased(v, ref, where, kind, "size", "int", report, 2);
                yield size == null ? null : new Layer.UpSampling1D(name, section, ref, size);
            }
            case "LSTM" -> {
                Integer units = aliased(v, ref, where, kind, "units", "int", report, null);
                yield units == null ? null
                        : new Layer.Lstm(name, section, ref, units, v.getBoolean("returnSequences"),
                                v.getEnum("activation", Activation.class));
            }
            case "Dropout" -> {
                Double rate = aliasedDouble(v, ref, where, report);
                yield rate == null ? null : new Layer.Dropout(name, section, ref, rate);
            }
            case "Flatten" -> new Layer.Flatten(name, section, ref);
            case "Reshape" -> new Layer.Reshape(name, section, ref, Dims.of(v.getInts("value")));
            case "BatchNormalization" -> new Layer.BatchNormalization(name, section, ref, v.getDouble("momentum"),
                    v.getDouble("epsilon"));
            default -> throw new IllegalStateException("unknown layer annotation @" + kind);
        };
    }

    /** Resolves {@code value} and its Keras-named alias; null (and an error) when both or, without default, neither is set. */
    private static Integer aliased(AnnotationValues v, ElementRef ref, String where, String kind, String named,
            String type, Report report, Integer fallback) {
        boolean hasValue = v.isSet("value");
        boolean hasNamed = v.isSet(named);
        if (hasValue && hasNamed) {
            report.add(Message.ALIAS_CONFLICT, ref.attribute(named), where, kind, v.getInt("value"), named,
                    v.getInt(named), kind, v.getInt(named));
            return null;
        }
        if (hasValue) {
            return v.getInt("value");
        }
        if (hasNamed) {
            return v.getInt(named);
        }
        if (fallback == null) {
            report.add(Message.ALIAS_MISSING, ref, where, kind, named, kind, kind, named);
        }
        return fallback;
    }

    private static Double aliasedDouble(AnnotationValues v, ElementRef ref, String where, Report report) {
        boolean hasValue = v.isSet("value");
        boolean hasNamed = v.isSet("rate");
        if (hasValue && hasNamed) {
            report.add(Message.ALIAS_CONFLICT, ref.attribute("rate"), where, "Dropout", v.getDouble("value"), "rate",
                    v.getDouble("rate"), "Dropout", v.getDouble("rate"));
            return null;
        }
        if (!hasValue && !hasNamed) {
            report.add(Message.ALIAS_MISSING, ref, where, "Dropout", "rate", "Dropout", "Dropout", "rate");
            return null;
        }
        return v.getDouble(hasValue ? "value" : "rate");
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
            return new TrainingSpec(10, 64, Optimizer.ADAM, 1e-3, 42L, 0.1, 0, modelRef);
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
