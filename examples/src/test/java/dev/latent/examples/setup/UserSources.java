package dev.latent.examples.setup;

/** The sources of the newcomer's project that {@link ReadmeSetupTest} builds: a model and its test. */
final class UserSources {

    private UserSources() {}

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
            import dev.latent.runtime.Shape;
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
