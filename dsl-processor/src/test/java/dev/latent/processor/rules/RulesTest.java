package dev.latent.processor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.Activation;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Optimizer;
import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.LossSpec;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.NoiseSpec;
import dev.latent.processor.model.Section;
import dev.latent.processor.model.SourceRef;
import dev.latent.processor.model.TrainingSpec;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.ShapeError;
import dev.latent.processor.shape.ShapeInference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The rules and shape inference as pure functions over a model built by hand, without a compiler. */
class RulesTest {
    /** A source position that is the same wherever one asks. */
    private static final SourceRef HERE = new SourceRef() {
        @Override
        public SourceRef attribute(String... names) {
            return this;
        }
    };

    private static ModelSpec model(int[] input, List<Layer> encoder, List<Layer> decoder, NoiseSpec noise,
            Set<String> suppressed) {
        return new ModelSpec("p", "p.Model", "Model", "Model", input, DataRange.UNIT, "Encode", "Decode", encoder, decoder,
                noise, new LossSpec(LossFunction.MSE, null, HERE),
                new TrainingSpec(10, 64, Optimizer.ADAM, 1e-3, 42L, 0.1, 0, HERE), suppressed, HERE);
    }

    private static Layer.Dense dense(String name, Section section, int units) {
        return new Layer.Dense(name, section, HERE, units, Activation.SIGMOID);
    }

    @Test
    void shapeInferenceReturnsWhereItStoppedAsAValue() {
        ModelSpec model = model(new int[] {28, 28, 1}, List.of(dense("code", Section.ENCODER, 32)),
                List.of(dense("out", Section.DECODER, 784)), NoiseSpec.none(HERE), Set.of());

        InferredModel shapes = ShapeInference.infer(model);

        ShapeError.NotAVector failure = assertInstanceOf(ShapeError.NotAVector.class, shapes.failure());
        assertEquals("code", failure.layer().method());
        assertEquals(Dims.of(28, 28, 1), failure.input());
        assertEquals(List.of(), shapes.layers());
        List<Diagnostic> found = new DenseInput().check(model, shapes);
        assertEquals(1, found.size());
        assertTrue(found.get(0).text().startsWith("[latent:dense-input] Model.Encode.code: @Dense needs a vector input"),
                found.get(0).text());
        assertEquals(List.of(), new ImageInput().check(model, shapes), "one failure, one rule");
    }

    @Test
    void aSuppressedWarningIsDroppedAndTheOthersSayHowToSilenceThem() {
        List<Layer> encoder = List.of(dense("code", Section.ENCODER, 32));
        List<Layer> decoder = List.of(dense("out", Section.DECODER, 784));
        ModelSpec loud = model(new int[] {784}, encoder, decoder, NoiseSpec.none(HERE), Set.of());
        ModelSpec quiet = model(new int[] {784}, encoder, decoder, NoiseSpec.none(HERE), Set.of("latent:noise-too-weak"));
        List<Diagnostic> warnings = new NoiseTooWeak().check(loud, ShapeInference.infer(loud));

        List<Diagnostic> shown = Validator.unsuppressed(loud, warnings);
        assertEquals(1, shown.size());
        assertTrue(shown.get(0).text().endsWith("See docs/errors-and-warnings.md#noise-too-weak. "
                + "Silence with @SuppressWarnings(\"latent:noise-too-weak\") on Model."), shown.get(0).text());
        assertEquals(List.of(), Validator.unsuppressed(quiet, warnings));
    }

    @Test
    void anInternalErrorCarriesTheStackTrace() {
        IllegalStateException failure = new IllegalStateException("no such layer");

        String text = Diagnostic.internal(HERE, "p.Model", failure).text();

        assertTrue(text.startsWith("[latent:internal] p.Model: the Latent processor failed on this model "
                + "(java.lang.IllegalStateException: no such layer)"), text);
        assertTrue(text.contains("\tat dev.latent.processor.rules.RulesTest.anInternalErrorCarriesTheStackTrace("), text);
    }

    @Test
    void everyCodeIsUniqueAndEveryRuleIsTheClassNamedAfterIt() throws ClassNotFoundException {
        Set<String> codes = new HashSet<>();
        for (Message message : Message.values()) {
            assertTrue(codes.add(message.code()), "two messages share " + message.code());
            if (message == Message.INTERNAL) {
                continue;
            }
            String name = Arrays.stream(message.code().substring("latent:".length()).split("-"))
                    .map(word -> word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1))
                    .collect(Collectors.joining());
            Class.forName("dev.latent.processor.rules." + name);
        }
    }

    @Test
    void everyCodeHasItsSectionInTheDocs() throws IOException {
        String docs = Files.readString(Path.of("../docs/errors-and-warnings.md"));
        for (Message message : Message.values()) {
            String anchor = message.docs().substring(message.docs().indexOf('#') + 1);
            assertTrue(docs.contains("<a id=\"" + anchor + "\"></a>"), "no section for " + message.code() + " in the docs");
        }
    }
}
