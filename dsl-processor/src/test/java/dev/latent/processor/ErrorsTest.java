package dev.latent.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latent.processor.Compilations.Compiler;
import java.util.List;
import javax.tools.JavaFileObject;

/**
 * Every error the processor emits: its code and text, the file, and the line of the annotation
 * at fault. Models are written out in full so that the line numbers can be read off the source.
 * Every case runs under javac (through compile-testing) and under the Eclipse compiler.
 *
 * <p>The cases are deliberately alike, one per message, each with its model and its expected
 * text and line side by side (as MapStruct's tests are): a table would hide which source line
 * each message points at.
 */
class ErrorsTest {

    /** A model {@code p.Model}: line 1 is the package, the model's annotations start on line 3. */
    private static JavaFileObject model(String header, String encoder, String decoder) {
        return Compilations.model(header, encoder, decoder);
    }

    private static final String DENSE_ENCODER = """
                    @Flatten void flatten();
                    @Dense(128) void hidden();
                    @Dense(32) void code();""";

    private static final String DENSE_DECODER = """
                    @Dense(128) void hidden();
                    @Dense(units = 784, activation = Activation.SIGMOID) void pixels();
                    @Reshape({28, 28, 1}) void image();""";

    @BothCompilers
    void decoderOutputDiffersFromInput(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})", """
                        @Conv2D(32) void conv1();
                        @MaxPool2D(2) void pool1();""", """
                        @UpSampling2D(2) void up();
                        @Conv2D(filters = 2, activation = Activation.SIGMOID) void pixels();""");
        Outcome compilation = compiler.compile(source);
        compilation.assertFailed();
        compilation.assertError(
                "[latent:output-shape] Model.Decode.pixels: the decoder's output {28, 28, 2} differs from the input shape {28, 28, 1} (channels 2 instead of 1)",
                source, 11);
        compilation.assertError("Fix: set filters = 1 on pixels.");
        // On the attribute, under both compilers.
        compilation.assertErrorOn("[latent:output-shape] Model.Decode.pixels", source, 11, "filters = 2");
        compilation.assertNothingGenerated();
    }

    @BothCompilers
    void reshapeOfTheWrongSize(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})", DENSE_ENCODER, """
                        @Dense(3000) void expand();
                        @Reshape({7, 7, 64}) void unflatten();
                        @Conv2DTranspose(filters = 1, strides = 4, activation = Activation.SIGMOID) void pixels();""");
        Outcome compilation = compiler.compile(source);
        compilation.assertError(
                "[latent:reshape-size] Model.Decode.unflatten: @Reshape({7, 7, 64}) holds 3,136 values but its input {3000} from expand (Dense) holds 3,000",
                source, 12);
    }

    @BothCompilers
    void binaryCrossEntropyWithReluOutput(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})\n@Loss(LossFunction.BINARY_CROSSENTROPY)",
                "    @Dense(32) void code();", "    @Dense(784) void pixels();");
        Outcome compilation = compiler.compile(source);
        compilation.assertError(
                "[latent:loss-range] Model.Decode.pixels: BINARY_CROSSENTROPY needs outputs and data in [0, 1], found the output activation RELU of pixels",
                source, 10);
    }

    @BothCompilers
    void binaryCrossEntropyOnSymmetricData(Compiler compiler) {
        JavaFileObject source = model(
                "@Autoencoder(inputShape = {784}, range = DataRange.SYMMETRIC)\n@Loss(LossFunction.BINARY_CROSSENTROPY)",
                "    @Dense(32) void code();", "    @Dense(units = 784, activation = Activation.SIGMOID) void pixels();");
        Outcome compilation = compiler.compile(source);
        compilation.assertError("found data range SYMMETRIC", source, 4);
    }

    @BothCompilers
    void emptyEncoder(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})", "", "    @Dense(784) void pixels();");
        Outcome compilation = compiler.compile(source);
        compilation.assertError("[latent:empty-section] Model.Encode: the encoder declares no layers", source, 5);
        compilation.assertNothingGenerated();
    }

    @BothCompilers
    void kernelLargerThanItsInput(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {4, 4, 1})",
                "    @Conv2D(filters = 8, kernel = 5, padding = Padding.VALID) void conv();",
                "    @Conv2DTranspose(filters = 1, kernel = 5) void pixels();");
        Outcome compilation = compiler.compile(source);
        compilation.assertError(
                "[latent:window-too-large] Model.Encode.conv: kernel 5 is larger than its input 4 x 4 from the input",
                source, 6);
    }

    @BothCompilers
    void poolWindowLargerThanItsInput(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {4, 4, 1})",
                "    @MaxPool2D(size = 8, padding = Padding.VALID) void pool();", "    @Dense(16) void pixels();");
        compiler.compile(source).assertError("pool size 8 is larger than its input 4 x 4", source, 6);
    }

    @BothCompilers
    void twoEncoders(Compiler compiler) {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Model {",
                "    @Encoder interface Encode { @Dense(32) void code(); }",
                "    @Encoder interface Again { @Dense(16) void code(); }",
                "    @Decoder interface Decode { @Dense(784) void pixels(); }",
                "}");
        Outcome compilation = compiler.compile(source);
        compilation.assertError(
                "[latent:duplicate-section] Model.Again: a second @Encoder interface; expected exactly one, found Encode and Again",
                source, 6);
        compilation.assertNothingGenerated();
    }

    @BothCompilers
    void missingDecoder(Compiler compiler) {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Model {",
                "    @Encoder interface Encode { @Dense(32) void code(); }",
                "}");
        compiler.compile(source).assertError("[latent:missing-section] Model: no @Decoder interface found", source, 3);
    }

    @BothCompilers
    void autoencoderOnAClass(Compiler compiler) {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public class Model {}");
        compiler.compile(source).assertError(
                "[latent:not-an-interface] Model: @Autoencoder must be on an interface, found a class",
                source, 3);
    }

    @BothCompilers
    void layerMethodWithParametersOrAResult(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(32) int code(int size);", "    @Dense(784) void pixels();");
        compiler.compile(source).assertError(
                "[latent:layer-signature] Model.Encode.code: a layer method must take no arguments and return void, found 'int code(int size)'",
                source, 6);
    }

    @BothCompilers
    void methodWithoutALayer(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(32) void code();\n    void stray();", "    @Dense(784) void pixels();");
        compiler.compile(source).assertError("[latent:not-a-layer] Model.Encode.stray", source, 7);
    }

    @BothCompilers
    void twoLayerAnnotationsOnOneMethod(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(32) @Dropout(0.1) void code();", "    @Dense(784) void pixels();");
        compiler.compile(source).assertError(
                "[latent:two-layers] Model.Encode.code: one method declares one layer, found [@Dense, @Dropout]",
                source, 6);
    }

    /** ECJ's Messager fails on an element annotated with an empty array; the error must still land on its line. */
    @BothCompilers
    void anEmptyArrayBesideTheFault(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Reshape({}) @MaxPool2D void both();\n    @Dense(32) void code();", "    @Dense(784) void pixels();");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertError("[latent:two-layers] Model.Encode.both: one method declares one layer, found "
                + "[@Reshape, @MaxPool2D]", source, 6);
        assertEquals(0, compilation.diagnostics().stream().filter(d -> d.message().contains("Internal compiler error")).count(),
                compilation.diagnostics().toString());
    }

    @BothCompilers
    void sizeGivenTwice(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(value = 32, units = 64) void code();", "    @Dense(784) void pixels();");
        compiler.compile(source).assertError(
                "[latent:alias-conflict] Model.Encode.code: @Dense sets both 'value' (32) and 'units' (64)",
                source, 6);
    }

    @BothCompilers
    void sizeMissing(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(activation = Activation.TANH) void code();", "    @Dense(784) void pixels();");
        compiler.compile(source).assertError(
                "[latent:missing-size] Model.Encode.code: @Dense needs its units; found none. Fix: write @Dense(N) or @Dense(units = N).",
                source, 6);
    }

    @BothCompilers
    void denseOnAnImageWithoutFlatten(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})",
                "    @Dense(32) void code();", "    @Dense(784) void pixels();");
        compiler.compile(source).assertError(
                "[latent:dense-input] Model.Encode.code: @Dense needs a vector input, found the image {28, 28, 1} from the input. Fix: add '@Flatten void flatten();' before it.",
                source, 6);
    }

    @BothCompilers
    void convolutionOnAVector(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})", DENSE_ENCODER,
                "    @Conv2DTranspose(filters = 1, strides = 4) void pixels();");
        compiler.compile(source).assertError(
                "[latent:image-input] Model.Decode.pixels: @Conv2DTranspose needs an image input {H, W, C}, found the vector {32} from code (Dense)",
                source, 11);
    }

    @BothCompilers
    void flattenOfAVector(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Flatten void flatten();\n    @Dense(32) void code();", "    @Dense(784) void pixels();");
        compiler.compile(source).assertError("[latent:flatten-input] Model.Encode.flatten", source, 6);
    }

    @BothCompilers
    void transposedConvolutionWithKernelBelowStridesAndValidPadding(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {8, 8, 1})",
                "    @Conv2D(filters = 4, strides = 2) void down();",
                "    @Conv2DTranspose(filters = 1, kernel = 1, strides = 2, padding = Padding.VALID) void up();");
        compiler.compile(source).assertError("[latent:transpose-kernel] Model.Decode.up", source, 9);
    }

    @BothCompilers
    void attributesOutOfRange(Compiler compiler) {
        JavaFileObject source = model("""
                        @Autoencoder(inputShape = {784})
                        @Noise(gaussian = -0.1, masking = 1.5)
                        @Training(epochs = 0, learningRate = 0)""", """
                        @Dense(0) void code();
                        @Dropout(1.5) void drop();""", "    @Dense(784) void pixels();");
        Outcome compilation = compiler.compile(source);
        compilation.assertError("[latent:attribute-range] Model @Noise: gaussian = -0.1 is out of range", source, 4);
        compilation.assertError(
                "Model @Noise: masking = 1.5 is out of range; expected a fraction in [0, 1)",
                source, 4);
        compilation.assertError("Model @Training: epochs = 0 is out of range; expected at least 1", source, 5);
        compilation.assertError("Model @Training: learningRate = 0.0 is out of range", source, 5);
        compilation.assertError("Model.Encode.code: units = 0 is out of range; expected at least 1", source, 8);
        compilation.assertError("Model.Encode.drop: rate = 1.5 is out of range", source, 9);
    }

    @BothCompilers
    void everyOtherAttributeOutOfRange(Compiler compiler) {
        JavaFileObject source = model("""
                        @Autoencoder(inputShape = {28, 28, 1})
                        @Noise(saltAndPepper = 1.0)
                        @Training(batchSize = 0, validationSplit = 1.0)""", """
                        @Conv2D(filters = 0, kernel = 0, strides = 0) void conv();
                        @MaxPool2D(size = 0) void pool();""", """
                        @UpSampling2D(0) void up();
                        @Conv2DTranspose(filters = 0) void pixels();""");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertError("[latent:attribute-range] Model @Noise: saltAndPepper = 1.0 is out of range; "
                + "expected a fraction in [0, 1)", source, 4);
        compilation.assertError("Model @Training: batchSize = 0 is out of range; expected at least 1", source, 5);
        compilation.assertError("Model @Training: validationSplit = 1.0 is out of range", source, 5);
        for (String attribute : new String[] {"filters", "kernel", "strides"}) {
            compilation.assertErrorOn("Model.Encode.conv: " + attribute + " = 0 is out of range; expected at least 1",
                    source, 8, attribute + " = 0");
        }
        compilation.assertError("Model.Encode.pool: size = 0 is out of range", source, 9);
        compilation.assertError("Model.Decode.up: size = 0 is out of range", source, 12);
        compilation.assertError("Model.Decode.pixels: filters = 0 is out of range", source, 13);
        compilation.assertNothingGenerated();
    }

    @BothCompilers
    void badInputShapes(Compiler compiler) {
        for (String shape : new String[] {"{}", "{0, 28, 1}", "{2, 2, 2, 2}", "{-1}"}) {
            JavaFileObject source = model("@Autoencoder(inputShape = " + shape + ")",
                    "    @Dense(32) void code();", "    @Dense(784) void pixels();");
            compiler.compile(source).assertError("[latent:input-shape] Model: inputShape", source, 3);
        }
    }

    @BothCompilers
    void anOutputTooLargeForOneArray(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {1000, 1000, 1})",
                "    @UpSampling2D(50000) void huge();", "    @MaxPool2D(50000) void back();");
        Outcome compilation = compiler.compile(source);
        compilation.assertError("[latent:too-large] Model.Encode.huge: its output", source, 6);
        JavaFileObject input = model("@Autoencoder(inputShape = {100000, 100000, 3})",
                "    @Flatten void flat();", "    @Dense(1) void out();");
        compiler.compile(input).assertError("more than 2147483647 values per sample", input, 3);
    }

    @BothCompilers
    void denseOnASequenceWithoutFlatten(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {100, 3})",
                "    @Dense(32) void code();", "    @Dense(300) void values();\n    @Reshape({100, 3}) void steps();");
        compiler.compile(source).assertError(
                "[latent:dense-input] Model.Encode.code: @Dense needs a vector input, found the sequence {100, 3} from the input. Fix: add '@Flatten void flatten();' before it.",
                source, 6);
    }

    @BothCompilers
    void oneDimensionalLayerOnAnImage(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})",
                "    @Conv1D(8) void conv();", "    @Conv2D(1) void pixels();");
        compiler.compile(source).assertError(
                "[latent:sequence-input] Model.Encode.conv: @Conv1D needs a sequence input {T, F}, found the image {28, 28, 1} from the input. "
                        + "Fix: use the 2-D layers on an image (@Conv2D, @MaxPool2D, @UpSampling2D), or add '@Reshape({T, F})' before it.",
                source, 6);
    }

    @BothCompilers
    void lstmOnAVector(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {100, 3})",
                "    @LSTM(16) void lstm();", "    @LSTM(units = 3, returnSequences = true) void back();");
        compiler.compile(source).assertError(
                "[latent:sequence-input] Model.Decode.back: @LSTM needs a sequence input {T, F}, found the vector {16} from lstm (LSTM). "
                        + "Fix: add '@Reshape({T, F})' before it.",
                source, 9);
    }

    @BothCompilers
    void twoDimensionalLayerOnASequence(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {100, 3})",
                "    @MaxPool2D(2) void pool();", "    @UpSampling1D(2) void up();");
        compiler.compile(source).assertError(
                "[latent:image-input] Model.Encode.pool: @MaxPool2D needs an image input {H, W, C}, found the sequence {100, 3} from the input. "
                        + "Fix: use the 1-D layers on a sequence",
                source, 6);
    }

    @BothCompilers
    void windowLongerThanTheSequence(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {4, 3})",
                "    @Conv1D(filters = 8, kernel = 5, padding = Padding.VALID) void conv();",
                "    @Conv1D(3) void values();");
        compiler.compile(source).assertError(
                "[latent:window-too-long] Model.Encode.conv: kernel 5 is longer than its input sequence of 4 time steps from the input. "
                        + "Fix: use kernel of at most 4, padding SAME, or a longer input.",
                source, 6);
        JavaFileObject pool = model("@Autoencoder(inputShape = {4, 3})",
                "    @MaxPool1D(size = 8, padding = Padding.VALID) void pool();", "    @UpSampling1D(8) void up();");
        compiler.compile(pool).assertError("[latent:window-too-long] Model.Encode.pool: pool size 8 is longer than its input sequence of 4",
                pool, 6);
    }

    @BothCompilers
    void sequenceDecoderWithTheWrongFeatures(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {24, 3})",
                "    @Conv1D(8) void conv();\n    @MaxPool1D(2) void pool();",
                "    @UpSampling1D(2) void up();\n    @Conv1D(filters = 2, activation = Activation.SIGMOID) void values();");
        Outcome compilation = compiler.compile(source);
        compilation.assertError(
                "[latent:output-shape] Model.Decode.values: the decoder's output {24, 2} differs from the input shape {24, 3} (features 2 instead of 3)",
                source, 11);
        compilation.assertError("Fix: set filters = 3 on values.");
    }

    @BothCompilers
    void customNoiseThatIsNotANoiseModel(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})\n@Noise(custom = String.class)",
                "    @Dense(32) void code();", "    @Dense(784) void pixels();");
        Outcome compilation = compiler.compile(source);
        compilation.assertError(
                "[latent:custom-class] Model @Noise: custom = String.class cannot be used: it does not implement dev.latent.runtime.noise.NoiseModel",
                source, 4);
    }

    @BothCompilers
    void customLossWithoutPublicConstructor(Compiler compiler) {
        JavaFileObject loss = Compilations.source("p.MyLoss",
                "package p;",
                "public abstract class MyLoss implements org.nd4j.linalg.lossfunctions.ILossFunction {}");
        JavaFileObject source = model("@Autoencoder(inputShape = {784})\n@Loss(custom = MyLoss.class)",
                "    @Dense(32) void code();", "    @Dense(784) void pixels();");
        compiler.compile(source, loss).assertError(
                "[latent:custom-class] Model @Loss: custom = MyLoss.class cannot be used: generated code cannot create it",
                source, 4);
    }

    @BothCompilers
    void customLossThatIsNotALossAndNoiseWithoutPublicConstructor(Compiler compiler) {
        JavaFileObject noise = Compilations.source("p.MyNoise",
                "package p;",
                "public class MyNoise implements dev.latent.runtime.noise.NoiseModel {",
                "    private MyNoise() {}",
                "    public org.nd4j.linalg.api.ndarray.INDArray corrupt(org.nd4j.linalg.api.ndarray.INDArray clean,",
                "            dev.latent.dsl.DataRange range, org.nd4j.linalg.api.rng.Random random) { return clean; }",
                "}");
        JavaFileObject source = model("@Autoencoder(inputShape = {784})\n@Noise(custom = MyNoise.class)\n"
                + "@Loss(custom = String.class)", "    @Dense(32) void code();", "    @Dense(784) void pixels();");
        Outcome compilation = compiler.compile(source, noise).assertFailed();
        compilation.assertError("[latent:custom-class] Model @Noise: custom = MyNoise.class cannot be used: generated "
                + "code cannot create it", source, 4);
        compilation.assertError("[latent:custom-class] Model @Loss: custom = String.class cannot be used: it does not "
                + "implement org.nd4j.linalg.lossfunctions.ILossFunction", source, 5);
    }

    @BothCompilers
    void aBrokenModelDoesNotStopTheOthers(Compiler compiler) {
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
        Outcome compilation = compiler.compile(broken, good);
        compilation.assertError("[latent:output-shape] Model.Decode.pixels: the decoder's output {783}", broken, 9);
        compilation.assertErrorCount(1);
        assertEquals(List.of("q/GoodNetwork.java", "q/GoodTrainer.java"),
                compilation.generatedFiles());
    }

    @BothCompilers
    void everyErrorOfAModelInOneCompile(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(0) void code();\n    void stray();", "    @Dropout(rate = 2) void drop();");
        compiler.compile(source).assertErrorCount(3);
    }
}
