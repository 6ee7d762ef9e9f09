package dev.latent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * What is generated for models other than the seed's, compiled with {@code -Xlint:all}. The cases
 * are deliberately alike: each states its whole model next to what it expects.
 */
class GenerationTest {

    @Test
    void aModelDeclaredInsideAClassGetsTheOuterNameAsPrefix() {
        JavaFileObject source = Compilations.source("p.Models",
                "package p;",
                "import dev.latent.dsl.*;",
                "public class Models {",
                "    @Autoencoder(inputShape = {32, 32, 3})",
                "    @Noise(masking = 0.25, resample = Resample.EVERY_EPOCH)",
                "    @Loss(LossFunction.MAE)",
                "    @Training(epochs = 3, batchSize = 16, optimizer = Optimizer.RMSPROP, learningRate = 5e-4, seed = 7,",
                "            validationSplit = 0.2, earlyStoppingPatience = 2)",
                "    public interface Rgb {",
                "        @Encoder interface E {",
                "            @Conv2D(16) void c1();",
                "            @BatchNormalization void bn();",
                "            @MaxPool2D void p1();",
                "            @Conv2D(filters = 8, strides = 2, padding = Padding.VALID) void c2();",
                "            @Dropout(0.1) void drop();",
                "        }",
                "        @Decoder interface D {",
                "            @UpSampling2D(size = 2) void u1();",
                "            @Conv2DTranspose(filters = 8, kernel = 4, strides = 2, padding = Padding.VALID) void t1();",
                "            @Flatten void flat();",
                "            @Dense(units = 3072, activation = Activation.TANH) void dense();",
                "            @Reshape({32, 32, 3}) void image();",
                "        }",
                "    }",
                "}");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).succeeded();
        // TANH on unit data trains (calibrate activation), so no warning.
        assertThat(compilation).hadWarningCount(0);
        assertThat(compilation).generatedSourceFile("p.Models_RgbNetwork").contentsAsUtf8String()
                .contains("NoiseSettings.none().withMasking(0.25).withResample(Resample.EVERY_EPOCH)");
        assertThat(compilation).generatedSourceFile("p.Models_RgbNetwork").contentsAsUtf8String()
                .contains("TrainingSettings.defaults().withEpochs(3).withBatchSize(16).withOptimizer(Optimizer.RMSPROP)"
                        + ".withLearningRate(5.0E-4).withSeed(7L).withValidationSplit(0.2).withEarlyStoppingPatience(2)");
        assertThat(compilation).generatedSourceFile("p.Models_RgbTrainer");
    }

    @Test
    void aVectorModelInTheUnnamedPackage() {
        JavaFileObject source = Compilations.source("Flat",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {20}, range = DataRange.UNBOUNDED)",
                "@Noise(gaussian = 0.1, clip = false)",
                "interface Flat {",
                "    @Encoder interface E { @Dense(8) void h(); @BatchNormalization void bn(); @Dense(units = 3, activation = Activation.IDENTITY) void code(); }",
                "    @Decoder interface D { @Dense(8) void h(); @Reshape({20}) void same(); }",
                "}");
        Compilation compilation = Compilations.compile(source);
        // The last @Reshape needs 8 values to become 20: an error, not a crash.
        assertThat(compilation).hadErrorContaining("[latent:reshape-size]");
        JavaFileObject fixed = Compilations.source("Flat",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {20}, range = DataRange.UNBOUNDED)",
                "@Noise(gaussian = 0.1, clip = false)",
                "interface Flat {",
                "    @Encoder interface E { @Dense(8) void h(); @BatchNormalization void bn(); @Dense(units = 3, activation = Activation.IDENTITY) void code(); }",
                "    @Decoder interface D { @Dense(units = 20, activation = Activation.IDENTITY) void h(); @Reshape({20}) void same(); }",
                "}");
        Compilation ok = Compilations.compile(fixed);
        assertThat(ok).succeeded();
        assertThat(ok).hadWarningContaining("[latent:narrow-code] Flat.E.code: the code holds 3 values for an input of 20");
        assertThat(ok).generatedSourceFile("FlatNetwork").contentsAsUtf8String().contains("PARAMETER_COUNT = 307L");
    }

    @Test
    void aSequenceModelUsesTheRecurrentLayers() {
        JavaFileObject source = Compilations.source("p.Weather",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {24, 3}, range = DataRange.UNBOUNDED)",
                "@Noise(gaussian = 0.3, clip = false)",
                "public interface Weather {",
                "    @Encoder interface E {",
                "        @Conv1D(16) void conv();",
                "        @MaxPool1D(2) void pool();",
                "        @LSTM(units = 8, returnSequences = true) void lstm();",
                "        @LSTM(12) void last();",
                "    }",
                "    @Decoder interface D {",
                "        @Dense(96) void expand();",
                "        @Reshape({12, 8}) void steps();",
                "        @UpSampling1D(2) void up();",
                "        @Conv1D(filters = 3, activation = Activation.IDENTITY) void values();",
                "    }",
                "}");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).succeeded();
        var generated = assertThat(compilation).generatedSourceFile("p.WeatherNetwork").contentsAsUtf8String();
        generated.contains("InputType.recurrent(3, 24)");
        generated.contains("new Convolution1DLayer.Builder()");
        generated.contains("new Subsampling1DLayer.Builder(SubsamplingLayer.PoolingType.MAX)");
        generated.contains("new Upsampling1D.Builder(2).build()");
        generated.contains("new LastTimeStep(new LSTM.Builder()");
        // {12, 8} in the engine's layout [n, F, T]; the loss sees the output flattened.
        generated.contains("new SequenceReshapeVertex(8, 12)");
        generated.contains("graph.addVertex(\"loss.input\", new ReshapeVertex(-1, 72)");
        // 3 * 3 * 16 + 16, 4 * (16 * 8 + 8 * 8 + 8), 4 * (8 * 12 + 12 * 12 + 12), 12 * 96 + 96, 3 * 8 * 3 + 3
        generated.contains("PARAMETER_COUNT = 3_291L");
    }
}
