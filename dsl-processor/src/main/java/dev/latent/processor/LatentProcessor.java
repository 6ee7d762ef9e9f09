package dev.latent.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.generate.NetworkWriter;
import dev.latent.processor.generate.TrainerWriter;
import dev.latent.processor.model.ModelOutline;
import dev.latent.processor.read.ElementRef;
import dev.latent.processor.read.ModelReader;
import dev.latent.processor.read.UnreadableValueException;
import dev.latent.processor.rules.Validator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * Turns each {@code @Autoencoder} interface into {@code <Name>Network} and {@code <Name>Trainer}:
 * read (into a model), check (the rules, with shape inference), generate; it prints what the
 * rules found once, between the two. A model with an error gets no generated
 * files; other models in the round go on. Isolating for Gradle: each generated file has the
 * model interface as its one originating element.
 */
@AutoService(Processor.class)
// Claims Latent's own annotations, and the @Generated on the code it writes, so that
// -Xlint:processing has no unclaimed annotation to warn about in a user's build.
@SupportedAnnotationTypes({"dev.latent.dsl.*", "javax.annotation.processing.Generated"})
public final class LatentProcessor extends AbstractProcessor {
    static final String AUTOENCODER = "dev.latent.dsl.Autoencoder";

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement autoencoder = processingEnv.getElementUtils().getTypeElement(AUTOENCODER);
        if (autoencoder == null) {
            return true;
        }
        for (Element element : round.getElementsAnnotatedWith(autoencoder)) {
            if (element instanceof TypeElement type) {
                processModel(type);
            }
        }
        return true;
    }

    private void processModel(TypeElement type) {
        Validator.Checked checked;
        try {
            ModelOutline outline = new ModelReader(processingEnv.getElementUtils(), processingEnv.getTypeUtils()).read(type);
            checked = Validator.check(outline);
        } catch (UnreadableValueException e) {
            // javac has reported the value it could not evaluate; a second error would only confuse.
            return;
        } catch (RuntimeException e) {
            // Don't crash the compiler: the failure is an error on the model, with its stack trace.
            print(List.of(Diagnostic.internal(ElementRef.of(type), type.getQualifiedName().toString(), e)));
            return;
        }
        print(checked.diagnostics());
        if (!checked.generates()) {
            return;
        }
        try {
            write(NetworkWriter.write(checked.model(), checked.shapes(), getClass().getCanonicalName()), type);
            write(TrainerWriter.write(checked.model(), getClass().getCanonicalName()), type);
        } catch (RuntimeException e) {
            print(List.of(Diagnostic.internal(ElementRef.of(type), type.getQualifiedName().toString(), e)));
        }
    }

    private void print(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            javax.tools.Diagnostic.Kind kind = d.isError() ? javax.tools.Diagnostic.Kind.ERROR
                    : javax.tools.Diagnostic.Kind.WARNING;
            ElementRef at = (ElementRef) d.where();
            Messager messager = processingEnv.getMessager();
            // ECJ 3.33's Messager throws a NullPointerException looking for an annotation or value
            // on an element whose annotations hold an empty array such as @Reshape({}); the
            // diagnostic then goes on the annotation, or on the element, rather than nowhere.
            if (at.annotation() != null && at.value() != null
                    && printed(() -> messager.printMessage(kind, d.text(), at.element(), at.annotation(), at.value()))) {
                continue;
            }
            if (at.annotation() != null && printed(() -> messager.printMessage(kind, d.text(), at.element(), at.annotation()))) {
                continue;
            }
            messager.printMessage(kind, d.text(), at.element());
        }
    }

    private static boolean printed(Runnable print) {
        try {
            print.run();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void write(JavaFile file, TypeElement origin) {
        String name = file.packageName().isEmpty() ? file.typeSpec().name() : file.packageName() + "." + file.typeSpec().name();
        try {
            JavaFileObject source = processingEnv.getFiler().createSourceFile(name, origin);
            try (Writer writer = source.openWriter()) {
                file.writeTo(writer);
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
                    "[latent:write] could not write " + name + ": " + e.getMessage(), origin);
        }
    }
}
