package dev.latent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated sources of the seed's three models, and of two models of the processor's own
 * ({@code src/test/resources/golden/models}: every sequence layer, batch normalisation and
 * dropout), compared with reviewed golden files in {@code src/test/resources/golden}. After an
 * intended change, regenerate them with
 * {@code mvn -pl dsl-processor test -Dtest=GoldenFilesTest -Dlatent.updateGolden=true} and review the diff.
 */
class GoldenFilesTest {
    private static final Path SEED = Path.of("../examples/src/main/java/dev/latent/examples/seed");
    private static final Path MODELS = Path.of("src/test/resources/golden/models");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    /**
     * The seed's second example is its example of failure (the study: COLLAPSED): the processor
     * says so; both dense examples get the contract's shallow-encoder.
     */
    @ParameterizedTest
    @CsvSource({"SeedExample1, latent:shallow-encoder", "SeedExample2, latent:noise-too-strong latent:shallow-encoder",
            "SeedExample3, ''"})
    void generatedSourcesMatchGoldenFiles(String model, String warnings) throws IOException {
        matchesGoldenFiles("dev.latent.examples.seed." + model, SEED.resolve(model + ".java"), warnings);
    }

    /** The layers the seed does not use: Conv1D, MaxPool1D, UpSampling1D, LSTM, BatchNormalization, Dropout. */
    @ParameterizedTest
    @CsvSource({"SequenceLayers", "RegularisedConv"})
    void sequenceAndRegularisationLayersMatchGoldenFiles(String model) throws IOException {
        matchesGoldenFiles("dev.latent.golden." + model, MODELS.resolve(model + ".java"), "");
    }

    private static void matchesGoldenFiles(String name, Path file, String warnings) throws IOException {
        JavaFileObject source = JavaFileObjects.forSourceString(name, Files.readString(file));
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).succeeded();
        String[] expected = warnings.isBlank() ? new String[0] : warnings.split(" ");
        assertThat(compilation).hadWarningCount(expected.length);
        for (String code : expected) {
            assertThat(compilation).hadWarningContaining("[" + code + "]").inFile(source);
        }
        String model = name.substring(name.lastIndexOf('.') + 1);
        for (String suffix : new String[] {"Network", "Trainer"}) {
            String generated = compilation.generatedSourceFile(name + suffix)
                    .orElseThrow(() -> new AssertionError(model + suffix + " was not generated"))
                    .getCharContent(true).toString();
            Path golden = GOLDEN.resolve(model + suffix + ".java.txt");
            if (Boolean.getBoolean("latent.updateGolden")) {
                Files.writeString(golden, generated, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(golden), generated, "generated " + model + suffix + " differs from " + golden);
        }
    }
}
