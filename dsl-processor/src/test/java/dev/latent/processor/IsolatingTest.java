package dev.latent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Gradle's isolating contract: the processor says it is isolating, and every file it generates
 * has exactly one originating element, the model interface it came from.
 */
class IsolatingTest {

    @Test
    void declaresItselfIsolatingForGradle() throws IOException {
        try (InputStream in = LatentProcessor.class.getResourceAsStream("/META-INF/gradle/incremental.annotation.processors")) {
            assertEquals("dev.latent.processor.LatentProcessor,isolating",
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }

    @Test
    void everyGeneratedFileHasItsModelAsTheOneOriginatingElement() {
        Recording recording = new Recording();
        Compilation compilation = javac().withProcessors(recording).compile(
                Compilations.source("p.A",
                        "package p;", "import dev.latent.dsl.*;",
                        "@Autoencoder(inputShape = {8}) @Noise(gaussian = 0.2)",
                        "public interface A {",
                        "    @Encoder interface E { @Dense(4) void code(); @Dense(8) void more(); }",
                        "    @Decoder interface D { @Dense(8) void h(); @Dense(units = 8, activation = Activation.SIGMOID) void out(); }",
                        "}"),
                Compilations.source("p.Outer",
                        "package p;", "import dev.latent.dsl.*;",
                        "public class Outer {",
                        "    @Autoencoder(inputShape = {8}) @Noise(gaussian = 0.2)",
                        "    public interface B {",
                        "        @Encoder interface E { @Dense(4) void code(); @Dense(8) void more(); }",
                        "        @Decoder interface D { @Dense(8) void h(); @Dense(units = 8, activation = Activation.SIGMOID) void out(); }",
                        "    }",
                        "}"));
        assertThat(compilation).succeeded();
        assertEquals(List.of("p.ANetwork <- p.A", "p.ATrainer <- p.A", "p.Outer_BNetwork <- p.Outer.B",
                "p.Outer_BTrainer <- p.Outer.B"), recording.files.stream().sorted().toList());
    }

    /** Runs the Latent processor with a filer that records each file's originating elements. */
    private static final class Recording extends AbstractProcessor {
        private final LatentProcessor latent = new LatentProcessor();
        final List<String> files = new ArrayList<>();

        @Override
        public synchronized void init(ProcessingEnvironment env) {
            super.init(env);
            Filer recording = new Filer() {
                @Override
                public JavaFileObject createSourceFile(CharSequence name, Element... origins) throws IOException {
                    assertTrue(origins.length == 1, name + " has " + origins.length + " originating elements");
                    files.add(name + " <- " + ((TypeElement) origins[0]).getQualifiedName());
                    return env.getFiler().createSourceFile(name, origins);
                }

                @Override
                public JavaFileObject createClassFile(CharSequence name, Element... origins) throws IOException {
                    return env.getFiler().createClassFile(name, origins);
                }

                @Override
                public FileObject createResource(JavaFileManager.Location location, CharSequence pkg, CharSequence name,
                        Element... origins) throws IOException {
                    return env.getFiler().createResource(location, pkg, name, origins);
                }

                @Override
                public FileObject getResource(JavaFileManager.Location location, CharSequence pkg, CharSequence name)
                        throws IOException {
                    return env.getFiler().getResource(location, pkg, name);
                }
            };
            latent.init(new ProcessingEnvironment() {
                public Map<String, String> getOptions() { return env.getOptions(); }
                public Messager getMessager() { return env.getMessager(); }
                public Filer getFiler() { return recording; }
                public Elements getElementUtils() { return env.getElementUtils(); }
                public Types getTypeUtils() { return env.getTypeUtils(); }
                public SourceVersion getSourceVersion() { return env.getSourceVersion(); }
                public Locale getLocale() { return env.getLocale(); }
            });
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return latent.getSupportedAnnotationTypes();
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return latent.getSupportedSourceVersion();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            return latent.process(annotations, round);
        }
    }
}
