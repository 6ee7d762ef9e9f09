package dev.latent.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.opentest4j.AssertionFailedError;

/**
 * The kit passes sound networks and fails each deliberately broken one with a message that says why.
 * The chains are deliberately written out in full, as a user's test would be.
 */
class LatentAssertionsTest {

    @Test
    void aSoundDenseNetworkPassesEveryCheck() {
        LatentAssertions.assertThat(new SmallDenseNetwork())
                .hasInputShape(28, 28, 1)
                .hasParameterCount(103_328)
                .reconstructsInputShape()
                .outputStaysIn(DataRange.UNIT)
                .passesGradientCheck()
                .overfitsOneBatch()
                .isDeterministic()
                .survivesSaveAndLoad();
    }

    @Test
    void aConvNetworkWithAnImageCodeAndBinaryCrossEntropyPasses() {
        // Two channels, an image code, and a loss whose minimum on soft targets is not 0.
        LatentAssertions.assertThat(new TinyConvNetwork())
                .hasInputShape(14, 14, 2)
                .hasParameterCount(new TinyConvNetwork().parameterCount())
                .reconstructsInputShape()
                .outputStaysInItsRange()
                .passesGradientCheck()
                .overfitsOneBatch()
                .isDeterministic()
                .survivesSaveAndLoad();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dl4j", "auto"})
    void theKitRunsOnEitherEngine(String engine) {
        String before = System.getProperty(Engines.PROPERTY);
        System.setProperty(Engines.PROPERTY, engine);
        try {
            LatentAssertions.assertThat(new TinyConvNetwork())
                    .reconstructsInputShape()
                    .outputStaysInItsRange()
                    .overfitsOneBatch()
                    .isDeterministic()
                    .survivesSaveAndLoad();
        } finally {
            if (before == null) {
                System.clearProperty(Engines.PROPERTY);
            } else {
                System.setProperty(Engines.PROPERTY, before);
            }
        }
    }

    @Test
    void realDigitsCanStandInForTheSyntheticBatch() {
        LatentAssertions.assertThat(new TinyConvNetwork())
                .usingBatch(Mnist.twoChannelDigits(16).features())
                .outputStaysInItsRange()
                .passesGradientCheck()
                .overfitsOneBatch()
                .isDeterministic();
    }

    @Test
    void aBatchOfTheWrongShapeIsRefusedWithTheShapeExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatentAssertions.assertThat(new SmallDenseNetwork()).usingBatch(Nd4j.zeros(4, 28, 28, 1)));
        assertTrue(e.getMessage().contains("[n, 1, 28, 28]") && e.getMessage().contains("[4, 28, 28, 1]"), e.getMessage());
    }

    @Test
    void aFrozenZeroLayerFailsTheGradientCheckNamingIt() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> LatentAssertions.assertThat(BrokenNetwork.frozenAtZero(new SmallDenseNetwork(), "decoder.hidden")).passesGradientCheck());
        String message = e.getMessage();
        assertTrue(message.contains("fails the gradient check"), message);
        assertTrue(message.contains("layer decoder.hidden, parameter W[") && message.contains("backprop 0,"), message);
        assertTrue(message.contains("Layers at fault: decoder.hidden."), message);
        assertTrue(message.contains("relative error 1"), message);
    }

    @Test
    void aFrozenZeroLayerCannotOverfitAndTheFailureNamesTheLayersThatNeverChanged() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> LatentAssertions.assertThat(BrokenNetwork.frozenAtZero(new SmallDenseNetwork(), "decoder.hidden")).overfitsOneBatch());
        String message = e.getMessage();
        assertTrue(message.contains("does not overfit one batch: MSE training loss on a fixed batch of 8 went from"), message);
        assertTrue(message.contains("in " + NetworkAssert.DEFAULT_OVERFIT_STEPS + " steps"), message);
        // The frozen layer, and the encoder it cuts off from the loss.
        assertTrue(message.contains("Layers whose parameters never changed: encoder.hidden, encoder.code, decoder.hidden "),
                message);
        assertTrue(e.isExpectedDefined() && e.isActualDefined());
    }

    @Test
    void aDecoderThatLeavesTheRangeFailsNamingTheOutputLayerAndActivation() {
        AssertionError tanh = assertThrows(AssertionError.class, () -> LatentAssertions
                .assertThat(BrokenNetwork.withActivation(new SmallDenseNetwork(), "decoder.pixels", Activation.TANH)).outputStaysIn(DataRange.UNIT));
        assertTrue(tanh.getMessage().contains("leave UNIT [0, 1]"), tanh.getMessage());
        assertTrue(tanh.getMessage().contains("The output layer is decoder.pixels (Dense, activation tanh)"),
                tanh.getMessage());
        assertTrue(tanh.getMessage().contains("SIGMOID"), tanh.getMessage());

        AssertionError identity = assertThrows(AssertionError.class, () -> LatentAssertions
                .assertThat(BrokenNetwork.withActivation(new SmallDenseNetwork(), "decoder.pixels", Activation.IDENTITY)).outputStaysInItsRange());
        assertTrue(identity.getMessage().contains("decoder.pixels (Dense, activation identity)"), identity.getMessage());
    }

    @Test
    void aTanhOutputStaysInSymmetricRangeButAnIdentityOutputDoesNot() {
        // The probes go far past the edges: tanh saturates at -1 and 1 and stays in, identity follows them out.
        LatentAssertions.assertThat(BrokenNetwork.withActivation(new SmallDenseNetwork(), "decoder.pixels", Activation.TANH))
                .outputStaysIn(DataRange.SYMMETRIC);
        AssertionError e = assertThrows(AssertionError.class,
                () -> LatentAssertions.assertThat(BrokenNetwork.withActivation(new SmallDenseNetwork(), "decoder.pixels", Activation.IDENTITY))
                        .outputStaysIn(DataRange.SYMMETRIC));
        assertTrue(e.getMessage().contains("TANH"), e.getMessage());
    }

    @Test
    void aSigmoidOutputOnSymmetricDataFailsTheRangeCheckNamingTheLayer() {
        // Sigmoid stays inside [-1, 1], so containment alone passed it; it never reaches below 0.
        AutoencoderNetwork broken = BrokenNetwork.withRange(new SmallDenseNetwork(), DataRange.SYMMETRIC);
        LatentAssertions.assertThat(broken).outputStaysIn(DataRange.SYMMETRIC);

        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> LatentAssertions.assertThat(broken).outputStaysInItsRange());
        String message = e.getMessage();
        assertTrue(message.contains("the output layer decoder.pixels (Dense, activation sigmoid) gives values in [0, 1], "
                + "which cannot cover SYMMETRIC data in [-1, 1]: it never goes below 0"), message);
        assertTrue(message.contains("For SYMMETRIC data give pixels activation = Activation.TANH."), message);
        assertEquals(message, assertThrows(AssertionError.class,
                () -> LatentAssertions.assertThat(broken).outputCoversItsRange()).getMessage());
    }

    @Test
    void aReluOutputOnStandardisedDataFailsAndALinearOneCoversIt() {
        AutoencoderNetwork relu = BrokenNetwork.withActivation(new SmallDenseNetwork(), "decoder.pixels", Activation.RELU)
                .inRange(DataRange.UNBOUNDED);
        AssertionError e = assertThrows(AssertionError.class,
                () -> LatentAssertions.assertThat(relu).outputCoversItsRange());
        assertTrue(e.getMessage().contains("decoder.pixels (Dense, activation relu) gives values in [0, inf]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("which reaches 3 standard deviations either side of 0: it never goes below 0"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Activation.IDENTITY"), e.getMessage());

        LatentAssertions.assertThat(BrokenNetwork.withActivation(new SmallDenseNetwork(), "decoder.pixels",
                Activation.IDENTITY).inRange(DataRange.UNBOUNDED)).outputCoversItsRange();
        LatentAssertions.assertThat(BrokenNetwork.withActivation(new SmallDenseNetwork(), "decoder.pixels",
                Activation.TANH).inRange(DataRange.SYMMETRIC)).outputStaysInItsRange();
        LatentAssertions.assertThat(new SmallDenseNetwork()).outputCoversItsRange();
    }

    @Test
    void aLearningRateFarTooLowCannotOverfitAndTheFailureSaysWhatToTry() {
        AutoencoderNetwork slow = new SmallDenseNetwork(16,
                new dev.latent.runtime.settings.TrainingSettings(10, 16, dev.latent.dsl.Optimizer.ADAM, 1e-6, 42L, 0.2, 0),
                NoiseSettings.gaussian(0.3), LossSettings.of(dev.latent.dsl.LossFunction.MSE));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> LatentAssertions.assertThat(slow).overfitsOneBatch(60, 0.25));
        String message = e.getMessage();
        assertTrue(message.contains("in 60 steps"), message);
        assertTrue(message.contains("The loss was still falling when the 60 steps ran out: allow more steps, "
                + "overfitsOneBatch(240, 0.25), or raise the learning rate (ADAM at 1.000e-06)"), message);
    }

    @Test
    void noiseThatIgnoresItsGeneratorIsNotDeterministic() {
        AutoencoderNetwork broken = BrokenNetwork.withNoise(new SmallDenseNetwork(),
                NoiseSettings.custom("UnseededNoise", UnseededNoise::new));
        AssertionError e = assertThrows(AssertionError.class, () -> LatentAssertions.assertThat(broken).isDeterministic());
        String message = e.getMessage();
        assertTrue(message.contains("the noise drawn for the same batch by two generators seeded 42 (noise custom UnseededNoise"),
                message);
        assertTrue(message.contains("differ in 6,272 of 6,272 values"), message);
        assertTrue(message.contains("must draw every random number from the Random it is given"), message);
        // The same network with the built-in noise is deterministic: the failure is the noise's.
        LatentAssertions.assertThat(new SmallDenseNetwork()).isDeterministic();
    }

    @Test
    void aCustomLossThatCannotBeReadBackFailsTheRoundTrip() {
        AutoencoderNetwork broken = BrokenNetwork.withLoss(new SmallDenseNetwork(),
                LossSettings.custom("UnreadableLoss", () -> new UnreadableLoss(1.0)));
        AssertionError e = assertThrows(AssertionError.class,
                () -> LatentAssertions.assertThat(broken).survivesSaveAndLoad());
        assertTrue(e.getMessage().startsWith("dev.latent.runtime.testing.SmallDense: loading the saved model failed: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("cannot restore the network") && e.getMessage().contains("UnreadableLoss"),
                e.getMessage());
    }

    @Test
    void aWrongShapeOrCountFailsWithExpectedFoundAndTheLayerTable() {
        AssertionFailedError shape = assertThrows(AssertionFailedError.class,
                () -> LatentAssertions.assertThat(new SmallDenseNetwork()).hasInputShape(28, 28, 3));
        assertEquals("dev.latent.runtime.testing.SmallDense takes input {28, 28, 1}, expected {28, 28, 3}",
                shape.getMessage());
        assertEquals("{28, 28, 3}", shape.getExpected().getValue());
        assertEquals("{28, 28, 1}", shape.getActual().getValue());

        AssertionFailedError count = assertThrows(AssertionFailedError.class,
                () -> LatentAssertions.assertThat(new SmallDenseNetwork()).hasParameterCount(100_000));
        assertTrue(count.getMessage().startsWith(
                "dev.latent.runtime.testing.SmallDense has 103,328 parameters, expected 100,000 (+3,328):"),
                count.getMessage());
        assertTrue(count.getMessage().matches("(?s).*decoder\\.pixels \\(Dense\\) +\\{784\\} +50,960\n.*"), count.getMessage());
    }

    @Test
    void aSummaryWhoseLastLayerIsNotTheInputShapeFails() {
        // Say the summary's last layer were off: the check catches it before running anything.
        AutoencoderNetwork lying = BrokenNetwork.withLayers(new SmallDenseNetwork(), layers -> {
            layers.set(layers.size() - 1, new LayerInfo("decoder.unflatten", "Reshape", Shape.of(7, 28, 1), 0));
        });
        AssertionError e = assertThrows(AssertionError.class,
                () -> LatentAssertions.assertThat(lying).reconstructsInputShape());
        assertTrue(e.getMessage().contains("the last layer decoder.unflatten (Reshape) outputs {7, 28, 1}, but the input is {28, 28, 1}"),
                e.getMessage());
    }
}
