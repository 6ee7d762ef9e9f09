package dev.latent.processor;

import dev.latent.processor.Compilations.Compiler;
import javax.tools.JavaFileObject;

/**
 * Every warning: code, text, file and line, that the model still compiles and generates, and that
 * {@code @SuppressWarnings("latent:CODE")} on the model silences it; under javac and under the
 * Eclipse compiler alike.
 *
 * <p>The cases are deliberately alike, one per message, each with its model and its expected
 * text and line side by side (as MapStruct's tests are): a table would hide which source line
 * each message points at.
 */
class WarningsTest {
    private static final String GOOD_ENCODER = "    @Conv2D(16) void conv(); @MaxPool2D void pool(); @Flatten void flat(); @Dense(32) void code();";
    private static final String GOOD_DECODER = "    @Dense(196) void hidden(); @Reshape({14, 14, 1}) void grid(); "
            + "@Conv2DTranspose(filters = 1, strides = 2, activation = Activation.SIGMOID) void pixels();";

    /** A model {@code p.Model} on {28, 28, 1}: the annotations from line 3, the model line after them. */
    private static JavaFileObject model(String header, String encoder, String decoder) {
        return Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                header,
                "public interface Model {",
                "    @Encoder interface Encode {",
                encoder,
                "    }",
                "    @Decoder interface Decode {",
                decoder,
                "    }",
                "}");
    }

    private static void warns(Compiler compiler, JavaFileObject source, String code, String text, int line) {
        compiler.compile(source).assertSucceeded()
                .assertWarning("[latent:" + code + "] " + text, source, line)
                .assertWarning(" See docs/errors-and-warnings.md#" + code + ". Silence with @SuppressWarnings(\"latent:" + code + "\") on Model.")
                .assertGenerated("p/ModelNetwork.java");
    }

    private static void silenced(Compiler compiler, String header, String encoder, String decoder, String code) {
        JavaFileObject source = model("@SuppressWarnings(\"latent:" + code + "\")\n" + header, encoder, decoder);
        compiler.compile(source).assertSucceeded().assertNoWarning(code);
    }

    @BothCompilers
    void aWellBuiltModelHasNoWarnings(Compiler compiler) {
        compiler.compile(model("@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2)", GOOD_ENCODER,
                GOOD_DECODER)).assertSucceeded().assertNoLatentWarnings();
    }

    @org.junit.jupiter.api.Test
    void aWellBuiltModelHasNoWarningsAtAllUnderJavac() {
        com.google.testing.compile.CompilationSubject.assertThat(Compilations.compile(model(
                "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2)", GOOD_ENCODER, GOOD_DECODER)))
                .succeededWithoutWarnings();
    }

    @BothCompilers
    void noiseTooStrong(Compiler compiler) {
        String header = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 2.0)";
        warns(compiler, model(header, GOOD_ENCODER, GOOD_DECODER), "noise-too-strong",
                "Model @Noise: gaussian = 2.0 is 2.0 times the width of the data's range [0.0, 1.0]", 3);
        silenced(compiler, header, GOOD_ENCODER, GOOD_DECODER, "noise-too-strong");
    }

    @BothCompilers
    void noiseTooWeakOrAbsent(Compiler compiler) {
        String header = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.01)";
        warns(compiler, model(header, GOOD_ENCODER, GOOD_DECODER), "noise-too-weak",
                "Model @Noise: gaussian = 0.01 is under 0.02, 2% of the data's range", 3);
        warns(compiler, model("@Autoencoder(inputShape = {28, 28, 1})", GOOD_ENCODER, GOOD_DECODER), "noise-too-weak",
                "Model: there is no @Noise, so the input is clean", 3);
        silenced(compiler, header, GOOD_ENCODER, GOOD_DECODER, "noise-too-weak");
    }

    @BothCompilers
    void staticNoise(Compiler compiler) {
        String header = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2, resample = Resample.ONCE)";
        warns(compiler, model(header, GOOD_ENCODER, GOOD_DECODER), "static-noise", "Model @Noise: resample = ONCE", 3);
        silenced(compiler, header, GOOD_ENCODER, GOOD_DECODER, "static-noise");
    }

    @BothCompilers
    void shallowEncoder(Compiler compiler) {
        String header = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2)";
        String encoder = "    @Flatten void flat(); @Dense(32) void code();";
        warns(compiler, model(header, encoder, GOOD_DECODER), "shallow-encoder",
                "Model.Encode.flat: the encoder of this image model has only dense layers", 6);
        silenced(compiler, header, encoder, GOOD_DECODER, "shallow-encoder");
    }

    @BothCompilers
    void shallowDecoder(Compiler compiler) {
        String header = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2)";
        String decoder = "    @Dense(units = 784, activation = Activation.SIGMOID) void pixels(); @Reshape({28, 28, 1}) void image();";
        warns(compiler, model(header, GOOD_ENCODER, decoder), "shallow-decoder",
                "Model.Decode.pixels: the decoder is a single weighted layer from a code of 32 values to 784", 9);
        silenced(compiler, header, GOOD_ENCODER, decoder, "shallow-decoder");
        // From a code of 64 one layer cost 1% or less: no warning.
        String wideCode = "    @Conv2D(16) void conv(); @MaxPool2D void pool(); @Flatten void flat(); @Dense(64) void code();";
        compiler.compile(model(header, wideCode, decoder)).assertSucceeded().assertNoWarning("shallow-decoder");
    }

    @BothCompilers
    void narrowCode(Compiler compiler) {
        String header = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2)";
        String encoder = "    @Conv2D(16) void conv(); @MaxPool2D void pool(); @Flatten void flat(); @Dense(4) void code();";
        warns(compiler, model(header, encoder, GOOD_DECODER), "narrow-code",
                "Model.Encode.code: the code holds 4 values for an input of 784 (1 in 196); below 8 values", 6);
        silenced(compiler, header, encoder, GOOD_DECODER, "narrow-code");
        compiler.compile(model(header, encoder.replace("@Dense(4)", "@Dense(8)"), GOOD_DECODER)).assertSucceeded()
                .assertNoWarning("narrow-code");
    }

    @BothCompilers
    void outputActivationOutOfTheDataRange(Compiler compiler) {
        String header = "@Autoencoder(inputShape = {28, 28, 1}, range = DataRange.UNBOUNDED) @Noise(gaussian = 0.2)";
        String decoder = "    @Dense(196) void hidden(); @Reshape({14, 14, 1}) void grid(); "
                + "@Conv2DTranspose(filters = 1, strides = 2, activation = Activation.RELU) void pixels();";
        warns(compiler, model(header, GOOD_ENCODER, decoder), "output-activation-range",
                "Model.Decode.pixels: the output activation RELU cannot go below 0, but the data is UNBOUNDED", 9);
        String symmetric = "@Autoencoder(inputShape = {28, 28, 1}, range = DataRange.SYMMETRIC) @Noise(gaussian = 0.2)";
        warns(compiler, model(symmetric, GOOD_ENCODER, GOOD_DECODER), "output-activation-range",
                "Model.Decode.pixels: the output activation SIGMOID cannot go below 0, but the data is SYMMETRIC", 9);
        warns(compiler, model(symmetric, GOOD_ENCODER, decoder.replace("RELU", "LEAKY_RELU")), "output-activation-range",
                "Model.Decode.pixels: the output activation LEAKY_RELU reaches -1 only from inputs near -100", 9);
        silenced(compiler, header, GOOD_ENCODER, decoder, "output-activation-range");
        // Measured: every activation trained on unit data, including those that can leave [0, 1].
        String unit = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2)";
        compiler.compile(model(unit, GOOD_ENCODER, decoder.replace("RELU", "IDENTITY"))).assertSucceeded()
                .assertNoWarning("output-activation-range");
    }

    @BothCompilers
    void smallBatch(Compiler compiler) {
        String header = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2) @Training(batchSize = 2)";
        warns(compiler, model(header, GOOD_ENCODER, GOOD_DECODER), "small-batch", "Model @Training: batchSize = 2", 3);
        silenced(compiler, header, GOOD_ENCODER, GOOD_DECODER, "small-batch");
        compiler.compile(model(header.replace("batchSize = 2", "batchSize = 8"), GOOD_ENCODER, GOOD_DECODER))
                .assertSucceeded().assertNoWarning("small-batch");
    }

    @BothCompilers
    void learningRateTooHighOrTooLow(Compiler compiler) {
        String high = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2) @Training(learningRate = 0.5)";
        warns(compiler, model(high, GOOD_ENCODER, GOOD_DECODER), "learning-rate",
                "Model @Training: learningRate = 0.5 is too high for ADAM: above 0.01 it saturates and collapses towards "
                        + "the mean image. Fix: learningRate = 0.001.", 3);
        String low = "@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2) "
                + "@Training(optimizer = Optimizer.SGD, learningRate = 1e-6)";
        warns(compiler, model(low, GOOD_ENCODER, GOOD_DECODER), "learning-rate",
                "Model @Training: learningRate = 1.00e-06 is too low for SGD: below 1.0 it learns too slowly", 3);
        silenced(compiler, high, GOOD_ENCODER, GOOD_DECODER, "learning-rate");
        warns(compiler, model(low.replace("1e-6", "0.5"), GOOD_ENCODER, GOOD_DECODER), "learning-rate",
                "Model @Training: learningRate = 0.5 is too low for SGD", 3);
        for (String fine : new String[] {"learningRate = 1e-4", "learningRate = 0.01",
                "optimizer = Optimizer.NESTEROVS, learningRate = 1", "optimizer = Optimizer.SGD, learningRate = 10"}) {
            compiler.compile(model("@Autoencoder(inputShape = {28, 28, 1}) @Noise(gaussian = 0.2) @Training(" + fine + ")",
                    GOOD_ENCODER, GOOD_DECODER)).assertSucceeded().assertNoWarning("learning-rate");
        }
    }
}
