package dev.latent.examples.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latent.dsl.DataRange;
import dev.latent.examples.seed.SeedExample1Network;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.TrainingSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

/**
 * The calibration's hand-built probe is the network the processor generates: the seed's layout
 * gives the seed's parameters, and every probe's own count is DL4J's.
 */
class DenseProbeTest {

    @Test
    void theSeedLayoutIsTheGeneratedSeedNetwork() {
        DenseProbe probe = DenseProbe.seedWithCode(32);
        assertEquals(SeedExample1Network.PARAMETER_COUNT, probe.parameterCount());
        assertEquals(new SeedExample1Network().layers().stream().map(LayerInfo::outputShape).toList(),
                probe.layers().stream().map(LayerInfo::outputShape).toList());
    }

    @Test
    void everyPartBuildsAndCountsAsDl4jDoes() {
        DenseProbe probe = new DenseProbe("deep", new int[] {256, 128, 8}, new int[] {}, Activation.TANH,
                DataRange.SYMMETRIC);
        ComputationGraph graph = new ComputationGraph(probe.configuration(GraphPart.AUTOENCODER,
                TrainingSettings.defaults(), probe.loss()));
        graph.init();
        assertEquals(probe.parameterCount(), graph.numParams());
        long parts = 0;
        for (GraphPart part : new GraphPart[] {GraphPart.ENCODER, GraphPart.DECODER}) {
            ComputationGraph piece = new ComputationGraph(probe.configuration(part, TrainingSettings.defaults(), probe.loss()));
            piece.init();
            parts += piece.numParams();
        }
        assertEquals(probe.parameterCount(), parts, "the encoder and the decoder hold every parameter between them");
        assertEquals(8, probe.codeShape().size());
    }
}
