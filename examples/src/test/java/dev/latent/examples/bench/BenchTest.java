package dev.latent.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latent.examples.seed.SeedExample1Network;
import dev.latent.examples.seed.SeedExample3Network;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic and its hand-written reference networks. */
class BenchTest {

    @Test
    void trainingFlopsPerSampleAreTheSeedStudysFigures() {
        // 61.8 and 1.25 MFLOP per training sample: forward, input gradient and weight gradient.
        assertEquals(61.8e6, Bench.trainFlopsPerSample(HandWritten.conv(SeedExample3Network.TRAINING),
                new SeedExample3Network()), 0.1e6);
        assertEquals(1.25e6, Bench.trainFlopsPerSample(HandWritten.dense(SeedExample1Network.TRAINING),
                new SeedExample1Network()), 0.01e6);
    }

    @Test
    void handWrittenNetworksHaveTheGeneratedOnesParameters() {
        ComputationGraph conv = HandWritten.conv(SeedExample3Network.TRAINING);
        assertEquals(SeedExample3Network.PARAMETER_COUNT, conv.numParams());
        assertEquals(SeedExample1Network.PARAMETER_COUNT, HandWritten.dense(SeedExample1Network.TRAINING).numParams());
    }
}
