package dev.latent.examples.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.engine.EnginePlan;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The processor's shape inference agrees with DL4J's own: for 300 random valid architectures
 * (vectors and images, every layer kind, seeded) and 150 sequence ones, every layer's output shape and parameter count
 * as the processor infers them (the generated {@code layers()}) equal what DL4J computes for the
 * configuration the generated code builds ({@code getLayerActivationTypes}, {@code numParams}).
 */
class ShapeAgreementTest {
    private static final int MODELS = 300;
    private static final int SEQUENCE_MODELS = 150;

    @Test
    @Tag("slow")
    void processorAndDl4jAgreeOnEveryLayer() throws Exception {
        int checkedLayers = agreeOn(MODELS, "M", RandomModels::source);
        assertTrue(checkedLayers > MODELS * 3, "checked " + checkedLayers + " layers");
    }

    /** The same for sequences {T, F}: every 1-D layer, LSTMs with and without returnSequences. */
    @Test
    void processorAndDl4jAgreeOnEverySequenceLayer() throws Exception {
        int checkedLayers = agreeOn(SEQUENCE_MODELS, "S", RandomModels::sequenceSource);
        assertTrue(checkedLayers > SEQUENCE_MODELS * 3, "checked " + checkedLayers + " layers");
    }

    private static int agreeOn(int models, String prefix, java.util.function.BiFunction<String, Random, String> generator)
            throws Exception {
        int checkedLayers = 0;
        for (AutoencoderNetwork network : CompiledModels.compile(models, prefix, generator, new Random(20261127L))) {
            checkedLayers += agree(network.modelName(), network);
        }
        return checkedLayers;
    }

    private static int agree(String name, AutoencoderNetwork network) {
        ComputationGraphConfiguration conf = network.configuration(GraphPart.AUTOENCODER, network.training(), network.loss());
        Shape in = network.inputShape();
        InputType input = in.isImage() ? InputType.convolutional(in.dim(0), in.dim(1), in.dim(2))
                : in.isSequence() ? InputType.recurrent(in.dim(1), in.dim(0)) : InputType.feedForward(in.dim(0));
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        for (LayerInfo layer : network.layers()) {
            InputType type = types.get(layer.name());
            assertEquals(layer.outputShape().toString(), shapeOf(type), name + " " + layer.name() + " (" + layer.kind()
                    + ") output shape, DL4J's " + type);
            long dl4jParams = graph.getLayer(layer.name()) == null ? 0 : graph.getLayer(layer.name()).numParams();
            assertEquals(layer.parameters(), dl4jParams, name + " " + layer.name() + " parameters");
        }
        assertEquals(network.parameterCount(), graph.numParams(), name + " total parameters");
        // Every model the processor accepts trains through the executor, not DL4J's fit.
        long[] batch = in.batchShape(1);
        EnginePlan plan = Engines.plan(graph, Arrays.copyOfRange(batch, 1, batch.length));
        assertEquals(EnginePlan.Path.DIRECT, plan.path(), name + ": " + plan);
        return network.layers().size();
    }

    /** DL4J's type as the processor writes shapes, in Keras order: {@code {T, F}} for a sequence. */
    private static String shapeOf(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return Shape.of((int) c.getHeight(), (int) c.getWidth(), (int) c.getChannels()).toString();
        }
        if (type instanceof InputType.InputTypeRecurrent r) {
            return "{" + r.getTimeSeriesLength() + ", " + r.getSize() + "}";
        }
        return Shape.of((int) type.arrayElementsPerExample()).toString();
    }
}
