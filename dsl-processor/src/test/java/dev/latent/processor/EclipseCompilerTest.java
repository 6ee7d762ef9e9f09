package dev.latent.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.JavaFileObjects;
import dev.latent.processor.Compilations.Compiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The processor under the Eclipse compiler (ECJ), which orders elements its own way: the seed's
 * conv model must generate exactly the golden file javac produces (layers in source order), and
 * the generated code must compile under ECJ. {@link ErrorsTest} and {@link WarningsTest} run
 * every diagnostic's case under both compilers.
 */
class EclipseCompilerTest {

    @Test
    void layersComeOutInSourceOrderUnderEcj() throws IOException {
        String source = Files.readString(Path.of("../examples/src/main/java/dev/latent/examples/seed/SeedExample3.java"));
        Outcome outcome = Compiler.ECJ.compile(JavaFileObjects.forSourceString("dev.latent.examples.seed.SeedExample3", source))
                .assertSucceeded();
        assertEquals(Files.readString(Path.of("src/test/resources/golden/SeedExample3Network.java.txt")),
                outcome.generatedSource("dev/latent/examples/seed/SeedExample3Network.java"));
    }
}
