package dev.latent.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;

/** Compiles test sources with the Latent processor and the runtime on the class path. */
final class Compilations {
    private Compilations() {}

    /**
     * The compilers the processor must work under. ECJ cannot read compile-testing's in-memory
     * sources, so it gets them written to a temporary folder; both then compile the generated
     * code too, so a model that "succeeds" has generated code that compiles.
     */
    enum Compiler {
        JAVAC {
            @Override
            Outcome compile(JavaFileObject... sources) {
                Compilation compilation = Compilations.compile(sources);
                List<Outcome.Reported> reported = compilation.diagnostics().stream()
                        .map(d -> new Outcome.Reported(d.getKind(), d.getMessage(Locale.ROOT),
                                d.getSource() == null ? null : Outcome.pathOf(d.getSource()), d.getLineNumber(),
                                d.getColumnNumber()))
                        .toList();
                return new Outcome(this, compilation.status() == Compilation.Status.SUCCESS, reported,
                        () -> generatedFiles(sources));
            }
        },
        ECJ {
            @Override
            Outcome compile(JavaFileObject... sources) {
                try {
                    return compileWithEcj(this, sources);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        /** Compiles {@code sources} with the processor, the runtime on the class path. */
        abstract Outcome compile(JavaFileObject... sources);
    }

    private static Outcome compileWithEcj(Compiler self, JavaFileObject... sources) throws IOException {
        Path dir = Files.createTempDirectory("latent-ecj");
        try {
            Path src = Files.createDirectories(dir.resolve("src"));
            List<File> files = new ArrayList<>();
            for (JavaFileObject source : sources) {
                Path file = src.resolve(Outcome.pathOf(source));
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getCharContent(true), StandardCharsets.UTF_8);
                files.add(file.toFile());
            }
            Path generated = Files.createDirectories(dir.resolve("generated"));
            JavaCompiler ecj = new EclipseCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            StandardJavaFileManager manager = ecj.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
            manager.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(generated.toFile()));
            manager.setLocation(StandardLocation.CLASS_OUTPUT, List.of(Files.createDirectories(dir.resolve("classes")).toFile()));
            manager.setLocation(StandardLocation.CLASS_PATH, testClassPath());
            JavaCompiler.CompilationTask task = ecj.getTask(new StringWriter(), manager, diagnostics, List.of("-17"), null,
                    manager.getJavaFileObjectsFromFiles(files));
            task.setProcessors(List.of(new LatentProcessor()));
            boolean succeeded = task.call();
            List<Outcome.Reported> reported = diagnostics.getDiagnostics().stream()
                    .map(d -> new Outcome.Reported(d.getKind(), d.getMessage(Locale.ROOT), relativeFile(d, src, generated),
                            d.getLineNumber(), d.getColumnNumber()))
                    .toList();
            Map<String, String> written = readTree(generated);
            return new Outcome(self, succeeded, reported, () -> written);
        } finally {
            delete(dir);
        }
    }

    /** A diagnostic's file relative to the source or generated folder, as javac's in-memory files name it. */
    private static String relativeFile(Diagnostic<? extends JavaFileObject> d, Path src, Path generated) {
        if (d.getSource() == null) {
            return null;
        }
        Path file = Path.of(d.getSource().toUri());
        return file.startsWith(src) ? src.relativize(file).toString()
                : file.startsWith(generated) ? generated.relativize(file).toString() : file.toString();
    }

    /** Compiles {@code sources} with the processor and {@code -Xlint:all}. */
    static Compilation compile(JavaFileObject... sources) {
        return javac()
                .withProcessors(new LatentProcessor())
                .withClasspath(testClassPath())
                .withOptions("-Xlint:all")
                .compile(sources);
    }

    /**
     * The files the processor generates for {@code sources} under javac, by path, whether or not
     * the compilation succeeds (compile-testing hides them when it fails).
     */
    static Map<String, String> generatedFiles(JavaFileObject... sources) {
        try {
            Path out = Files.createTempDirectory("latent-generated");
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null);
            files.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(out.toFile()));
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            files.setLocation(StandardLocation.CLASS_PATH, testClassPath());
            JavaCompiler.CompilationTask task = compiler.getTask(new StringWriter(), files, null, List.of("-proc:only"),
                    null, List.of(sources));
            task.setProcessors(List.of(new LatentProcessor()));
            task.call();
            Map<String, String> generated = readTree(out);
            delete(out);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under {@code root}, by relative path, with its text. */
    private static Map<String, String> readTree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * A model {@code p.Model}: line 1 is the package, the model's annotations start on
     * line 3, the encoder's layers on the line after the model's header and {@code @Encoder}.
     */
    static JavaFileObject model(String header, String encoder, String decoder) {
        List<String> lines = new ArrayList<>(List.of(
                "package p;",
                "import dev.latent.dsl.*;"));
        lines.addAll(List.of(header.split("\n")));
        lines.add("public interface Model {");
        lines.add("    @Encoder interface Encode {");
        lines.addAll(List.of(encoder.split("\n")));
        lines.add("    }");
        lines.add("    @Decoder interface Decode {");
        lines.addAll(List.of(decoder.split("\n")));
        lines.add("    }");
        lines.add("}");
        return source("p.Model", lines.toArray(String[]::new));
    }

    /** A source file {@code p.Name} from its lines, so that line numbers in assertions are easy to read. */
    static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    /**
     * The test class path. Surefire starts tests through a manifest-only jar, so
     * {@code java.class.path} does not list it; Surefire passes the real one in a property.
     */
    private static List<File> testClassPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(path.split(File.pathSeparator)).map(File::new).toList();
    }
}
