package dev.latent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Noise(blockMasking, blockSize)}: what it generates, and its errors on the right line. */
class BlockMaskingTest {

    /** A conv model {@code p.Blocks} with the given {@code @Noise} on line 4. */
    private static JavaFileObject model(String noise, String inputShape) {
        boolean image = inputShape.contains(",");
        return Compilations.source("p.Blocks",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = " + inputShape + ")",
                noise,
                "public interface Blocks {",
                image ? "    @Encoder interface E { @Conv2D(8) void c1(); @MaxPool2D void p1(); }"
                        : "    @Encoder interface E { @Dense(16) void h(); @Dense(8) void code(); }",
                image ? "    @Decoder interface D { @UpSampling2D void u1(); "
                        + "@Conv2D(filters = 1, activation = Activation.SIGMOID) void pixels(); }"
                        : "    @Decoder interface D { @Dense(16) void h(); "
                        + "@Dense(units = 40, activation = Activation.SIGMOID) void out(); }",
                "}");
    }

    @Test
    void blocksReachTheGeneratedNoiseAndCountAsNoise() {
        Compilation compilation = Compilations.compile(model("@Noise(blockMasking = 0.25, blockSize = 7)", "{28, 28, 1}"));
        assertThat(compilation).succeeded();
        // Block masking alone is noise enough: no latent:noise-too-weak.
        assertThat(compilation).hadWarningCount(0);
        assertThat(compilation).generatedSourceFile("p.BlocksNetwork").contentsAsUtf8String()
                .contains("NoiseSettings.none().withBlockMasking(0.25, 7)");
    }

    @Test
    void spansOnVectors() {
        Compilation compilation = Compilations.compile(model("@Noise(gaussian = 0.1, blockMasking = 0.2, blockSize = 5)", "{40}"));
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("p.BlocksNetwork").contentsAsUtf8String()
                .contains("NoiseSettings.none().withGaussian(0.1).withBlockMasking(0.2, 5)");
    }

    @Test
    void blockMaskingIsAFraction() {
        JavaFileObject source = model("@Noise(blockMasking = 1.5)", "{28, 28, 1}");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[latent:attribute-range] Blocks @Noise: blockMasking = 1.5")
                .inFile(source).onLine(4);
    }

    @Test
    void blocksFitTheInput() {
        JavaFileObject source = model("@Noise(blockMasking = 0.2, blockSize = 30)", "{28, 28, 1}");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("blockSize = 30").inFile(source).onLine(4);
        assertThat(compilation).hadErrorContaining("from 1 to 28, the input's smaller side");
        JavaFileObject vector = model("@Noise(blockMasking = 0.2, blockSize = 41)", "{40}");
        assertThat(Compilations.compile(vector)).hadErrorContaining("from 1 to 40, the input's length")
                .inFile(vector).onLine(4);
    }

    @Test
    void spansOfTimeStepsOnSequences() {
        String layers = "    @Encoder interface E { @Conv1D(8) void c1(); @MaxPool1D void p1(); }\n"
                + "    @Decoder interface D { @UpSampling1D void u1(); @Conv1D(filters = 3, activation = Activation.SIGMOID) void out(); }";
        JavaFileObject ok = Compilations.source("p.Spans", "package p;", "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {100, 3})", "@Noise(blockMasking = 0.2, blockSize = 10)",
                "public interface Spans {", layers, "}");
        assertThat(Compilations.compile(ok)).succeeded();
        JavaFileObject tooLong = Compilations.source("p.Spans", "package p;", "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {100, 3})", "@Noise(blockMasking = 0.2, blockSize = 101)",
                "public interface Spans {", layers, "}");
        assertThat(Compilations.compile(tooLong)).hadErrorContaining("from 1 to 100, the input's time steps")
                .inFile(tooLong).onLine(4);
    }
}
