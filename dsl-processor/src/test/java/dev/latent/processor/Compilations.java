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
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaFileObject;

/** Compiles test sources with the Latent processor and the runtime on the class path. */
final class Compilations {
    private Compilations() {}

    /** Compiles {@code sources} with the processor and {@code -Xlint:all}. */
    static Compilation compile(JavaFileObject... sources) {
        return javac()
                .withProcessors(new LatentProcessor())
                .withClasspath(testClassPath())
                .withOptions("-Xlint:all")
                .compile(sources);
    }

    /**
     * The names of the files the processor generates for {@code sources}, whether or not the
     * compilation succeeds (compile-testing hides them when it fails).
     */
    static List<String> generatedFiles(JavaFileObject... sources) {
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
            try (Stream<Path> walk = Files.walk(out)) {
                return walk.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
