package dev.latent.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Every error the processor emits: its code and text, the file, and the line of the annotation
 * at fault. Models are written out in full so that the line numbers can be read off the source.
 */
class ErrorsTest {

    /** A model {@code p.Model}: line 1 is the package, the model's annotations start on line 3. */
    private static JavaFileObject model(String header, String encoder, String decoder) {
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
        return Compilations.source("p.Model", lines.toArray(String[]::new));
    }

    private static final String DENSE_ENCODER = """
                    @Flatten void flatten();
                    @Dense(128) void hidden();
                    @Dense(32) void code();""";

    private static final String DENSE_DECODER = """
                    @Dense(128) void hidden();
                    @Dense(units = 784, activation = Activation.SIGMOID) void pixels();
                    @Reshape({28, 28, 1}) void image();""";

    private static void assertNothingGenerated(JavaFileObject... sources) {
        assertTrue(Compilations.generatedFiles(sources).isEmpty(), "no sources may be generated for a failed model");
    }

    @Test
    void decoderOutputDiffersFromInput() {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})", """
                        @Conv2D(32) void conv1();
                        @MaxPool2D(2) void pool1();""", """
                        @UpSampling2D(2) void up();
                        @Conv2D(filters = 2, activation = Activation.SIGMOID) void pixels();""");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(
                "[latent:output-shape] Model.Decode.pixels: the decoder's output {28, 28, 2} differs from the input shape {28, 28, 1} (channels 2 instead of 1)")
                .inFile(source).onLine(11);
        assertThat(compilation).hadErrorContaining("Fix: set filters = 1 on pixels.");
        assertNothingGenerated(source);
    }

    @Test
    void reshapeOfTheWrongSize() {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})", DENSE_ENCODER, """
                        @Dense(3000) void expand();
                        @Reshape({7, 7, 64}) void unflatten();
                        @Conv2DTranspose(filters = 1, strides = 4, activation = Activation.SIGMOID) void pixels();""");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).hadErrorContaining(
                "[latent:reshape-size] Model.Decode.unflatten: @Reshape({7, 7, 64}) holds 3,136 values but its input {3000} from expand (Dense) holds 3,000")
                .inFile(source).onLine(12);
    }

    @Test
    void binaryCrossEntropyWithReluOutput() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})\n@Loss(LossFunction.BINARY_CROSSENTROPY)",
                "    @Dense(32) void code();", "    @Dense(784) void pixels();");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).hadErrorContaining(
                "[latent:loss-range] Model.Decode.pixels: BINARY_CROSSENTROPY needs outputs and data in [0, 1], found the output activation RELU of pixels")
                .inFile(source).onLine(10);
    }

    @Test
    void binaryCrossEntropyOnSymmetricData() {
        JavaFileObject source = model(
                "@Autoencoder(inputShape = {784}, range = DataRange.SYMMETRIC)\n@Loss(LossFunction.BINARY_CROSSENTROPY)",
                "    @Dense(32) void code();", "    @Dense(units = 784, activation = Activation.SIGMOID) void pixels();");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).hadErrorContaining("found data range SYMMETRIC").inFile(source).onLine(4);
    }

    @Test
    void emptyEncoder() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})", "", "    @Dense(784) void pixels();");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).hadErrorContaining("[latent:empty-section] Model.Encode: the encoder declares no layers")
                .inFile(source).onLine(5);
        assertNothingGenerated(source);
    }

    @Test
    void kernelLargerThanItsInput() {
        JavaFileObject source = model("@Autoencoder(inputShape = {4, 4, 1})",
                "    @Conv2D(filters = 8, kernel = 5, padding = Padding.VALID) void conv();",
                "    @Conv2DTranspose(filters = 1, kernel = 5) void pixels();");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).hadErrorContaining(
                "[latent:window-too-large] Model.Encode.conv: kernel 5 is larger than its input 4 x 4 from the input")
                .inFile(source).onLine(6);
    }

    @Test
    void poolWindowLargerThanItsInput() {
        JavaFileObject source = model("@Autoencoder(inputShape = {4, 4, 1})",
                "    @MaxPool2D(size = 8, padding = Padding.VALID) void pool();", "    @Dense(16) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining("pool size 8 is larger than its input 4 x 4")
                .inFile(source).onLine(6);
    }

    @Test
    void twoEncoders() {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Model {",
                "    @Encoder interface Encode { @Dense(32) void code(); }",
                "    @Encoder interface Again { @Dense(16) void code(); }",
                "    @Decoder interface Decode { @Dense(784) void pixels(); }",
                "}");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).hadErrorContaining(
                "[latent:duplicate-section] Model.Again: a second @Encoder interface; expected exactly one, found Encode and Again")
                .inFile(source).onLine(6);
        assertNothingGenerated(source);
    }

    @Test
    void missingDecoder() {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Model {",
                "    @Encoder interface Encode { @Dense(32) void code(); }",
                "}");
        assertThat(Compilations.compile(source)).hadErrorContaining("[latent:missing-section] Model: no @Decoder interface found")
                .inFile(source).onLine(3);
    }

    @Test
    void autoencoderOnAClass() {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public class Model {}");
        assertThat(Compilations.compile(source))
                .hadErrorContaining("[latent:not-an-interface] Model: @Autoencoder must be on an interface, found a class")
                .inFile(source).onLine(3);
    }

    @Test
    void layerMethodWithParametersOrAResult() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(32) int code(int size);", "    @Dense(784) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining(
                "[latent:layer-signature] Model.Encode.code: a layer method must take no arguments and return void, found 'int code(int size)'")
                .inFile(source).onLine(6);
    }

    @Test
    void methodWithoutALayer() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(32) void code();\n    void stray();", "    @Dense(784) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining("[latent:not-a-layer] Model.Encode.stray")
                .inFile(source).onLine(7);
    }

    @Test
    void twoLayerAnnotationsOnOneMethod() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(32) @Dropout(0.1) void code();", "    @Dense(784) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining(
                "[latent:two-layers] Model.Encode.code: one method declares one layer, found [@Dense, @Dropout]")
                .inFile(source).onLine(6);
    }

    @Test
    void sizeGivenTwice() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(value = 32, units = 64) void code();", "    @Dense(784) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining(
                "[latent:alias-conflict] Model.Encode.code: @Dense sets both 'value' (32) and 'units' (64)")
                .inFile(source).onLine(6);
    }

    @Test
    void sizeMissing() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(activation = Activation.TANH) void code();", "    @Dense(784) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining(
                "[latent:missing-size] Model.Encode.code: @Dense needs its units; found none. Fix: write @Dense(N) or @Dense(units = N).")
                .inFile(source).onLine(6);
    }

    @Test
    void denseOnAnImageWithoutFlatten() {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})",
                "    @Dense(32) void code();", "    @Dense(784) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining(
                "[latent:dense-input] Model.Encode.code: @Dense needs a vector input, found the image {28, 28, 1} from the input. Fix: add '@Flatten void flatten();' before it.")
                .inFile(source).onLine(6);
    }

    @Test
    void convolutionOnAVector() {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})", DENSE_ENCODER,
                "    @Conv2DTranspose(filters = 1, strides = 4) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining(
                "[latent:image-input] Model.Decode.pixels: @Conv2DTranspose needs an image input {H, W, C}, found the vector {32} from code (Dense)")
                .inFile(source).onLine(11);
    }

    @Test
    void flattenOfAVector() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Flatten void flatten();\n    @Dense(32) void code();", "    @Dense(784) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining("[latent:flatten-input] Model.Encode.flatten")
                .inFile(source).onLine(6);
    }

    @Test
    void transposedConvolutionWithKernelBelowStridesAndValidPadding() {
        JavaFileObject source = model("@Autoencoder(inputShape = {8, 8, 1})",
                "    @Conv2D(filters = 4, strides = 2) void down();",
                "    @Conv2DTranspose(filters = 1, kernel = 1, strides = 2, padding = Padding.VALID) void up();");
        assertThat(Compilations.compile(source)).hadErrorContaining("[latent:transpose-kernel] Model.Decode.up")
                .inFile(source).onLine(9);
    }

    @Test
    void attributesOutOfRange() {
        JavaFileObject source = model("""
                        @Autoencoder(inputShape = {784})
                        @Noise(gaussian = -0.1, masking = 1.5)
                        @Training(epochs = 0, learningRate = 0)""", """
                        @Dense(0) void code();
                        @Dropout(1.5) void drop();""", "    @Dense(784) void pixels();");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).hadErrorContaining("[latent:attribute-range] Model @Noise: gaussian = -0.1 is out of range")
                .inFile(source).onLine(4);
        assertThat(compilation).hadErrorContaining("Model @Noise: masking = 1.5 is out of range; expected a fraction in [0, 1)")
                .inFile(source).onLine(4);
        assertThat(compilation).hadErrorContaining("Model @Training: epochs = 0 is out of range; expected at least 1")
                .inFile(source).onLine(5);
        assertThat(compilation).hadErrorContaining("Model @Training: learningRate = 0.0 is out of range")
                .inFile(source).onLine(5);
        assertThat(compilation).hadErrorContaining("Model.Encode.code: units = 0 is out of range; expected at least 1")
                .inFile(source).onLine(8);
        assertThat(compilation).hadErrorContaining("Model.Encode.drop: rate = 1.5 is out of range")
                .inFile(source).onLine(9);
    }

    @Test
    void badInputShapes() {
        for (String shape : new String[] {"{}", "{0, 28, 1}", "{2, 2, 2, 2}", "{-1}"}) {
            JavaFileObject source = model("@Autoencoder(inputShape = " + shape + ")",
                    "    @Dense(32) void code();", "    @Dense(784) void pixels();");
            assertThat(Compilations.compile(source)).hadErrorContaining("[latent:input-shape] Model: inputShape")
                    .inFile(source).onLine(3);
        }
    }

    @Test
    void anOutputTooLargeForOneArray() {
        JavaFileObject source = model("@Autoencoder(inputShape = {1000, 1000, 1})",
                "    @UpSampling2D(50000) void huge();", "    @MaxPool2D(50000) void back();");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).hadErrorContaining("[latent:too-large] Model.Encode.huge: its output").inFile(source).onLine(6);
        JavaFileObject input = model("@Autoencoder(inputShape = {100000, 100000, 3})",
                "    @Flatten void flat();", "    @Dense(1) void out();");
        assertThat(Compilations.compile(input)).hadErrorContaining("more than 2147483647 values per sample")
                .inFile(input).onLine(3);
    }

    @Test
    void sequenceInputIsNotSupportedYet() {
        JavaFileObject source = model("@Autoencoder(inputShape = {100, 3})",
                "    @Dense(32) void code();", "    @Dense(300) void pixels();");
        assertThat(Compilations.compile(source)).hadErrorContaining("[latent:sequence-input]").inFile(source).onLine(3);
    }

    @Test
    void customNoiseThatIsNotANoiseModel() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})\n@Noise(custom = String.class)",
                "    @Dense(32) void code();", "    @Dense(784) void pixels();");
        Compilation compilation = Compilations.compile(source);
        assertThat(compilation).hadErrorContaining(
                "[latent:custom-class] Model @Noise: custom = String.class cannot be used: it does not implement dev.latent.runtime.noise.NoiseModel")
                .inFile(source).onLine(4);
    }

    @Test
    void customLossWithoutPublicConstructor() {
        JavaFileObject loss = Compilations.source("p.MyLoss",
                "package p;",
                "public abstract class MyLoss implements org.nd4j.linalg.lossfunctions.ILossFunction {}");
        JavaFileObject source = model("@Autoencoder(inputShape = {784})\n@Loss(custom = MyLoss.class)",
                "    @Dense(32) void code();", "    @Dense(784) void pixels();");
        assertThat(Compilations.compile(source, loss)).hadErrorContaining(
                "[latent:custom-class] Model @Loss: custom = MyLoss.class cannot be used: generated code cannot create it")
                .inFile(source).onLine(4);
    }

    @Test
    void aBrokenModelDoesNotStopTheOthers() {
        JavaFileObject broken = model("@Autoencoder(inputShape = {784})", "    @Dense(32) void code();",
                "    @Dense(783) void pixels();");
        JavaFileObject good = Compilations.source("q.Good",
                "package q;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Good {",
                "    @Encoder interface E { @Dense(32) void code(); }",
                "    @Decoder interface D { @Dense(units = 784, activation = Activation.SIGMOID) void pixels(); }",
                "}");
        Compilation compilation = Compilations.compile(broken, good);
        assertThat(compilation).hadErrorContaining("[latent:output-shape] Model.Decode.pixels: the decoder's output {783}")
                .inFile(broken).onLine(9);
        assertThat(compilation).hadErrorCount(1);
        assertEquals(List.of("q/GoodNetwork.java", "q/GoodTrainer.java"),
                Compilations.generatedFiles(broken, good).stream().sorted().toList());
    }

    @Test
    void everyErrorOfAModelInOneCompile() {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(0) void code();\n    void stray();", "    @Dropout(rate = 2) void drop();");
        assertThat(Compilations.compile(source)).hadErrorCount(3);
    }
}
