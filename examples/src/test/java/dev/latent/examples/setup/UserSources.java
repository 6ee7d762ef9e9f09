package dev.latent.examples.setup;

import java.util.Set;
import java.util.TreeSet;

/** The sources of the newcomer's project that {@link ReadmeSetupTest} builds, besides the README's. */
final class UserSources {

    /** The test class that runs in the user's project. */
    static final String TEST_CLASS = "TinyDenoiserTest";

    private UserSources() {}

    /**
     * The README's tour snippets as one compilable class: their imports on top, their statements,
     * in order, as the body of one method, as a user pasting them into a {@code main} would.
     */
    static String tour(String snippets) {
        Set<String> imports = new TreeSet<>();
        StringBuilder body = new StringBuilder();
        for (String line : snippets.split("\n")) {
            if (line.startsWith("import ")) {
                imports.add(line);
            } else {
                body.append("        ").append(line).append('\n');
            }
        }
        return "package my.models;\n\n" + String.join("\n", imports) + "\n\n"
                + "/** The README's tour, compiled as pasted; never run (it reads an MNIST file). */\n"
                + "final class ReadmeTour {\n"
                + "    static void tour() throws Exception {\n"
                + body
                + "    }\n"
                + "}\n";
    }

    /** A small dense model on vectors of 16 values: 624 parameters. */
    static final String MODEL = """
            package my.models;

            import dev.latent.dsl.Activation;
            import dev.latent.dsl.Autoencoder;
            import dev.latent.dsl.Decoder;
            import dev.latent.dsl.Dense;
            import dev.latent.dsl.Encoder;
            import dev.latent.dsl.Noise;
            import dev.latent.dsl.Training;

            @Autoencoder(inputShape = {16})
            @Noise(gaussian = 0.1)
            @Training(epochs = 2, batchSize = 16, learningRate = 3e-3)
            public interface TinyDenoiser {

                @Encoder
                interface Encode {
                    @Dense(12) void hidden();
                    @Dense(8) void code();
                }

                @Decoder
                interface Decode {
                    @Dense(12) void hidden();
                    @Dense(units = 16, activation = Activation.SIGMOID) void values();
                }
            }
            """;

    /** The test kit's checks, a short training run, a save and a load. */
    static final String TEST = """
            package my.models;

            import static org.junit.jupiter.api.Assertions.assertEquals;

            import dev.latent.dsl.DataRange;
            import dev.latent.runtime.settings.Shape;
            import dev.latent.runtime.data.Dataset;
            import dev.latent.runtime.data.Datasets;
            import dev.latent.runtime.model.Denoiser;
            import dev.latent.runtime.train.TrainingResult;
            import dev.latent.testkit.LatentAssertions;
            import java.nio.file.Path;
            import org.junit.jupiter.api.Test;
            import org.junit.jupiter.api.io.TempDir;

            class TinyDenoiserTest {

                @Test
                void isSound() {
                    LatentAssertions.assertThat(new TinyDenoiserNetwork())
                            .hasInputShape(16)
                            .hasParameterCount(624)
                            .reconstructsInputShape()
                            .outputStaysInItsRange()
                            .passesGradientCheck()
                            .isDeterministic()
                            .survivesSaveAndLoad();
                }

                @Test
                void trainsSavesAndLoads(@TempDir Path dir) {
                    int count = 256;
                    float[] values = new float[count * 16];
                    for (int i = 0; i < values.length; i++) {
                        int sample = i / 16;
                        values[i] = (float) (0.5 + 0.4 * Math.sin(sample * 0.37 + (i % 16) * 0.6));
                    }
                    Dataset waves = Datasets.fromFloats(values, count, Shape.of(16), DataRange.UNIT, "waves");

                    TrainingResult result = new TinyDenoiserTrainer().epochs(2).quiet().fit(waves);
                    assertEquals(2, result.epochs().size());

                    result.model().save(dir.resolve("tiny.zip"));
                    Denoiser loaded = Denoiser.load(dir.resolve("tiny.zip"));
                    assertEquals(Shape.of(16), loaded.inputShape());
                    assertEquals(624, loaded.parameterCount());
                }
            }
            """;
}
