package dev.latent.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor under the Eclipse compiler (ECJ), which orders elements its own way: the seed's
 * conv model must generate exactly the golden file javac produces (layers in source order), and
 * an error must land on the same line. Files on disk: ECJ cannot read compile-testing's in-memory
 * sources.
 */
class EclipseCompilerTest {

    /** What ECJ reported, and where the generated sources went. */
    private record Result(List<Diagnostic<? extends JavaFileObject>> diagnostics, Path generated) {}

    private static Result compile(Path dir, String qualifiedName, String source) throws IOException {
        Path file = dir.resolve("src").resolve(qualifiedName.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source, StandardCharsets.UTF_8);
        Path generated = Files.createDirectories(dir.resolve("generated"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler ecj = new EclipseCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager files = ecj.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        files.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(generated.toFile()));
        files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        files.setLocation(StandardLocation.CLASS_PATH, Arrays.stream(path.split(File.pathSeparator)).map(File::new).toList());
        JavaCompiler.CompilationTask task = ecj.getTask(null, files, diagnostics, List.of("-17", "-proc:only"), null,
                files.getJavaFileObjects(file.toFile()));
        task.setProcessors(List.of(new LatentProcessor()));
        task.call();
        return new Result(new ArrayList<>(diagnostics.getDiagnostics()), generated);
    }

    @Test
    void layersComeOutInSourceOrderUnderEcj(@TempDir Path dir) throws IOException {
        String source = Files.readString(Path.of("../examples/src/main/java/dev/latent/examples/seed/SeedExample3.java"));
        Result result = compile(dir, "dev.latent.examples.seed.SeedExample3", source);
        assertTrue(result.diagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR),
                result.diagnostics().toString());
        String generated = Files.readString(result.generated().resolve("dev/latent/examples/seed/SeedExample3Network.java"));
        assertEquals(Files.readString(Path.of("src/test/resources/golden/SeedExample3Network.java.txt")), generated);
    }

    @Test
    void errorsLandOnTheSameLineUnderEcj(@TempDir Path dir) throws IOException {
        String source = String.join("\n",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Model {",
                "    @Encoder interface Encode { @Dense(32) void code(); }",
                "    @Decoder interface Decode {",
                "        @Dense(783) void pixels();",
                "    }",
                "}");
        Result result = compile(dir, "p.Model", source);
        Diagnostic<? extends JavaFileObject> error = result.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).findFirst()
                .orElseThrow(() -> new AssertionError("no error: " + result.diagnostics()));
        assertTrue(error.getMessage(Locale.ROOT).contains("[latent:output-shape] Model.Decode.pixels"), error.toString());
        assertEquals(7, error.getLineNumber());
    }
}
