package dev.latent.examples.cli;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.latent.processor.LatentProcessor;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's own models, compiled elsewhere, through --classpath; a name that matches none suggests the fix. */
class ClassPathTest {
    private static final String MODEL = """
            package my.models;

            import dev.latent.dsl.Activation;
            import dev.latent.dsl.Autoencoder;
            import dev.latent.dsl.Decoder;
            import dev.latent.dsl.Dense;
            import dev.latent.dsl.Encoder;

            @Autoencoder(inputShape = {16})
            public interface FashionDense {
                @Encoder
                interface Encode {
                    @Dense(4) void code();
                }

                @Decoder
                interface Decode {
                    @Dense(units = 16, activation = Activation.SIGMOID) void out();
                }
            }
            """;

    @TempDir
    static Path classes;

    private final CapturedMain cli = new CapturedMain();

    /** my.models.FashionDense compiled with latent-processor into a folder of class files, as a user's build leaves it. */
    @BeforeAll
    static void compileTheUsersModel() throws Exception {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Compilation compilation = javac().withProcessors(new LatentProcessor())
                .withClasspath(Arrays.stream(path.split(File.pathSeparator)).map(File::new).toList())
                .compile(JavaFileObjects.forSourceString("my.models.FashionDense", MODEL));
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics().toString());
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS) {
                String name = file.toUri().getPath();
                Path target = classes.resolve(name.substring(name.indexOf("my/models/")));
                Files.createDirectories(target.getParent());
                try (InputStream in = file.openInputStream()) {
                    Files.copy(in, target);
                }
            }
        }
    }

    @Test
    void theUsersModelRunsFromItsClassesFolderOrJar(@TempDir Path dir) throws Exception {
        assertEquals(0, cli.run("--classpath", classes.toString(), "summary", "my.models.FashionDense"), cli.err());
        assertTrue(cli.out().startsWith("Model: my.models.FashionDense"), cli.out());
        assertTrue(cli.out().contains("Total params: 148"), cli.out());

        Path jar = jar(dir.resolve("models.jar"));
        assertEquals(0, cli.run("summary", "my.models.FashionDense", "-cp", dir + File.pathSeparator + jar), cli.err());
        assertTrue(cli.out().startsWith("Model: my.models.FashionDense"), cli.out());
    }

    @Test
    void aNameThatMatchesNoModelSuggestsTheFix() {
        assertEquals(2, cli.run("summary", "my.models.FashonDense", "--classpath", classes.toString()));
        assertEquals("latent: no model interface my.models.FashonDense on the class path; did you mean "
                + "my.models.FashionDense? (searched the command line's own models and " + classes.toAbsolutePath()
                + ") (see 'latent summary --help')\n", cli.err());

        assertEquals(2, cli.run("summary", "my.models.FashionDense"));
        assertEquals("latent: no model interface my.models.FashionDense on the class path (for a model compiled "
                + "elsewhere, add its classes folder or jar with --classpath PATH) (see 'latent summary --help')\n",
                cli.err());

        assertEquals(2, cli.run("summary", "SeedExample3"));
        assertTrue(cli.err().contains("did you mean dev.latent.examples.seed.SeedExample3?"), cli.err());
    }

    @Test
    void aClassPathEntryThatIsNotThereIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("target/clases");
        assertEquals(2, cli.run("-cp", missing.toString(), "summary", "my.models.FashionDense"));
        assertEquals("latent: --classpath: " + missing + " does not exist; give folders of compiled classes (e.g. "
                + "target/classes) and jars, separated by ':' (see 'latent summary --help')\n", cli.err());
    }

    @Test
    void modelNamesAreFoundInFoldersAndJarsAndComparedByEditDistance(@TempDir Path dir) throws Exception {
        assertEquals(java.util.Set.of("my.models.FashionDense"), ModelNames.in(List.of(classes, jar(dir.resolve("m.jar")))));
        assertEquals(1, ModelNames.distance("FashonDense", "FashionDense"));
        assertEquals(List.of(), ModelNames.closest("something.Else", java.util.Set.of("my.models.FashionDense")));
    }

    private static Path jar(Path file) throws Exception {
        try (OutputStream stream = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(stream);
                var walk = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                jar.write(Files.readAllBytes(p));
                jar.closeEntry();
            }
        }
        return file;
    }
}
