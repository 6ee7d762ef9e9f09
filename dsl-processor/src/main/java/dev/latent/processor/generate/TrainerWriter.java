package dev.latent.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.latent.processor.model.ModelSpec;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code <Name>Trainer}: the runtime's trainer bound to the model's network, so that its
 * fluent overrides return the model's own trainer type.
 */
public final class TrainerWriter {
    private TrainerWriter() {}

    /** The source file of the trainer class. */
    public static JavaFile write(ModelSpec model, String processorName) {
        ClassName name = Names.trainer(model);
        ClassName network = Names.network(model);
        TypeSpec type = TypeSpec.classBuilder(name)
                .addJavadoc("Trains {@link $T} with the noise, loss and training settings declared on {@link $T}.\n"
                        + "Every setting can be overridden before {@code fit}, e.g.\n"
                        + "{@code new $T().epochs(5).learningRate(3e-4).fit(data)}.\n", network, Names.model(model), name)
                .addAnnotation(NetworkWriter.generated(model, processorName))
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(ParameterizedTypeName.get(Types.DENOISING_TRAINER, name))
                .addMethod(MethodSpec.constructorBuilder()
                        .addJavadoc("A trainer with the declared settings.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .addStatement("super(new $T())", network)
                        .build())
                .addMethod(MethodSpec.methodBuilder("create")
                        .addJavadoc("A trainer with the declared settings.\n")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .returns(name)
                        .addStatement("return new $T()", name)
                        .build())
                .build();
        return JavaFile.builder(model.packageName(), type).skipJavaLangImports(true).indent("    ").build();
    }
}
