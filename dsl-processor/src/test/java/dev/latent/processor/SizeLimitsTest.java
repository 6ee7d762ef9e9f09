package dev.latent.processor;

import static dev.latent.processor.Compilations.model;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.processor.Compilations.Compiler;
import javax.tools.JavaFileObject;

/**
 * Sizes past what one array holds: every shape, parameter count and sum is computed without
 * wrapping, and a layer past a limit is an error on the attribute that makes it so large. Each
 * case here compiled before, with a wrapped shape or parameter count. Under javac and ECJ.
 *
 * <p>The cases are deliberately alike, one per message, each with its model and its expected
 * text and line side by side (as MapStruct's tests are): a table would hide which source line
 * each message points at.
 */
class SizeLimitsTest {

    /** 28 x 2^31 rows wrapped the flattened size to {8}, and the model compiled. */
    @BothCompilers
    void anUpsamplingPastAnIntIsAnErrorOnItsSize(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 8})", """
                        @UpSampling2D(Integer.MAX_VALUE) void up();
                        @Flatten void flat();""", """
                        @Dense(6272) void values();
                        @Reshape({28, 28, 8}) void image();""");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertErrorOn("[latent:too-large] Model.Encode.up: its output {60129542116, 60129542116, 8} holds "
                + "at least 9,223,372,036,854,775,807 values per sample; at most 2,147,483,647 fit in one array. "
                + "Fix: lower size to 585 or less, or downsample before it.", source, 6, "Integer.MAX_VALUE");
        compilation.assertErrorCount(1);
        compilation.assertNothingGenerated();
    }

    /** Integer.MAX_VALUE + 27 wrapped in the output size of a SAME convolution, which came out as 0 rows. */
    @BothCompilers
    void aStrideLargerThanTheImageGivesOneRowAndColumn(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})\n"
                        + "@SuppressWarnings({\"latent:narrow-code\", \"latent:shallow-decoder\"})",
                "    @Conv2D(filters = 1, strides = Integer.MAX_VALUE) void down();",
                "    @UpSampling2D(28) void up();\n    @Conv2D(filters = 1, activation = Activation.SIGMOID) void pixels();");
        Outcome compilation = compiler.compile(source).assertSucceeded();
        assertTrue(compilation.generatedSource("p/ModelNetwork.java").contains("encoder.down (Conv2D)"),
                compilation.generatedSource("p/ModelNetwork.java"));
        assertTrue(compilation.generatedSource("p/ModelNetwork.java").contains("(1, 1, 1)"),
                compilation.generatedSource("p/ModelNetwork.java"));
    }

    /** 2^31 filters of 28 x 28: too many values per sample, on filters, with the largest count that fits. */
    @BothCompilers
    void tooManyFiltersIsAnErrorOnFilters(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})",
                "    @Conv2D(filters = 3000000, kernel = 1) void wide();",
                "    @Conv2D(filters = 1, kernel = 1) void pixels();");
        compiler.compile(source).assertErrorOn("[latent:too-large] Model.Encode.wide: its output {28, 28, 3000000} holds "
                + "2,352,000,000 values per sample; at most 2,147,483,647 fit in one array. Fix: lower filters to 2,739,137 "
                + "or less, or downsample before it.", source, 6, "filters = 3000000");
    }

    /** A transposed convolution grows the image with its strides: the error goes there, with the largest that fits. */
    @BothCompilers
    void aTransposedConvolutionWithTooLargeStridesIsAnErrorOnStrides(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {28, 28, 1})",
                "    @Conv2DTranspose(filters = 1, strides = 100000) void up();", "    @MaxPool2D(100000) void down();");
        compiler.compile(source).assertErrorOn("[latent:too-large] Model.Encode.up: its output {2800000, 2800000, 1} holds "
                + "7,840,000,000,000 values per sample; at most 2,147,483,647 fit in one array. Fix: lower strides to 1,655 "
                + "or less, or downsample before it.", source, 6, "strides = 100000");
    }

    /**
     * Batch normalisation of 600 million features holds 2.4e9 parameters; it has no size of its
     * own, so the error is on the annotation, and the model's total, past the limit too, is its echo.
     */
    @BothCompilers
    void batchNormalisationOfTooManyFeaturesIsAnErrorOnTheLayer(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {600000000})",
                "    @BatchNormalization void norm();\n    @Dense(1) void code();", "    @Dense(600000000) void values();");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertError("[latent:layer-parameters] Model.Encode.norm: @BatchNormalization holds 2,400,000,000 "
                + "parameters; at most 2,147,483,647 fit in one layer's parameter array. Fix: downsample before it to at "
                + "most 536,870,911 features or channels.", source, 6);
        compilation.assertErrorCount(1);
    }

    /** @Dense(Integer.MAX_VALUE) on 1,600 inputs compiled with 3.4e12 parameters. */
    @BothCompilers
    void aDenseLayerWithTooManyParametersIsAnErrorOnUnits(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {1600})",
                "    @Dense(Integer.MAX_VALUE) void code();", "    @Dense(1600) void values();");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertErrorOn("[latent:layer-parameters] Model.Encode.code: @Dense holds 3,438,121,318,847 parameters; "
                + "at most 2,147,483,647 fit in one layer's parameter array. Fix: lower units to 1,341,338 or less, or "
                + "downsample before it.", source, 6, "Integer.MAX_VALUE");
        compilation.assertErrorOn("[latent:layer-parameters] Model.Decode.values: @Dense holds 3,435,973,836,800 "
                + "parameters", source, 9, "1600");
        compilation.assertErrorCount(2);
        compilation.assertNothingGenerated();
    }

    /** Four layers of 2^62 parameters each gave a negative PARAMETER_COUNT. */
    @BothCompilers
    void parameterCountsPastALongAreErrorsNotNegativeNumbers(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {2147483647})", """
                        @Dense(Integer.MAX_VALUE) void one();
                        @Dense(Integer.MAX_VALUE) void two();""", """
                        @Dense(Integer.MAX_VALUE) void three();
                        @Dense(Integer.MAX_VALUE) void four();""");
        Outcome compilation = compiler.compile(source).assertFailed();
        for (String layer : new String[] {"Encode.one", "Encode.two", "Decode.three", "Decode.four"}) {
            compilation.assertError("[latent:layer-parameters] Model." + layer + ": @Dense holds 4,611,686,016,279,904,256 "
                    + "parameters; at most 2,147,483,647 fit in one layer's parameter array. Fix: downsample before it; even units = 1 is too large on its input {2147483647}.");
        }
        compilation.assertErrorCount(4);
    }

    /** Two layers that fit alone and not together: an error on the larger, naming the total. */
    @BothCompilers
    void tooManyParametersInAllIsAnErrorOnTheLargestLayer(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {40000})",
                "    @Dense(30000) void code();", "    @Dense(40000) void values();");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertErrorOn("[latent:model-parameters] Model.Decode.values: the model holds 2,400,070,000 parameters "
                + "in all; at most 2,147,483,647 fit in the network's one parameter array, and this layer holds the most, "
                + "1,200,040,000. Fix: use fewer units here or in other layers, or downsample before them.", source, 9, "40000");
        compilation.assertErrorCount(1);
    }

    /** An LSTM's four gates of 2^62 weights each wrapped past a long. */
    @BothCompilers
    void anLstmWithTooManyParametersIsAnErrorOnUnits(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {100, 3})",
                "    @LSTM(units = Integer.MAX_VALUE) void lstm();",
                "    @Dense(300) void values();\n    @Reshape({100, 3}) void steps();");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertErrorOn("[latent:layer-parameters] Model.Encode.lstm: @LSTM holds at least "
                + "9,223,372,036,854,775,807 parameters; at most 2,147,483,647 fit in one layer's parameter array. "
                + "Fix: lower units to 23,168 or less", source, 6, "units = Integer.MAX_VALUE");
    }

    /** A reshape target whose product wraps to the input's 210 values compiled. */
    @BothCompilers
    void aReshapeTargetPastALongIsNotTakenForASmallOne(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {210})",
                "    @Reshape({5155727, 6272573, 570406}) void wrapped();\n    @Flatten void flat();",
                "    @Dense(210) void values();");
        compiler.compile(source).assertError("[latent:reshape-size] Model.Encode.wrapped: @Reshape({5155727, 6272573, "
                + "570406}) holds at least 9,223,372,036,854,775,807 values but its input {210} from the input holds 210.",
                source, 6);
    }

    /** An input shape whose product wraps to a negative long passed the input check. */
    @BothCompilers
    void anInputShapePastALongIsAnError(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {2147483647, 2147483647, 4})",
                "    @Flatten void flat();", "    @Dense(1) void out();");
        compiler.compile(source).assertError("[latent:input-shape] Model: inputShape {2147483647, 2147483647, 4} is not "
                + "a valid sample shape: more than 2147483647 values per sample", source, 3);
    }
}
