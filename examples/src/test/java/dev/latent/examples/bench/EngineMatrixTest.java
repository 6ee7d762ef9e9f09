package dev.latent.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.examples.bench.EngineMatrix.Measurement;
import dev.latent.examples.bench.EngineMatrix.Subject;
import dev.latent.examples.bench.matrix.ConvChainNetwork;
import dev.latent.examples.cli.DataSources;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.engine.EngineChoice;
import dev.latent.runtime.engine.EnginePlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matrix's models compile, plan, and train a few batches through the matrix's own loop. */
class EngineMatrixTest {

    @Test
    void theMatrixHasOneModelPerLayerKind() {
        assertEquals(List.of("ConvChain", "ConvChainBatchNorm", "ConvChainDropout", "SequenceConv", "SequenceLstm",
                "DenseRegularised"), EngineMatrix.subjects().stream().map(Subject::name).toList());
        // The plain chain is the 3.2k-parameter model the issue measured.
        assertEquals(3_217, ConvChainNetwork.PARAMETER_COUNT);
    }

    @Test
    void everyModelPlansOnBothChoices() {
        for (Subject subject : EngineMatrix.subjects()) {
            EnginePlan auto = EngineMatrix.plan(subject, EngineChoice.AUTO);
            assertFalse(auto.summary().isBlank(), subject.name());
            assertEquals(auto.path() == EnginePlan.Path.DIRECT, !auto.steps().isEmpty(), subject.name() + ": " + auto);
            EnginePlan fit = EngineMatrix.plan(subject, EngineChoice.DL4J_FIT);
            assertEquals(EnginePlan.Path.DL4J_FIT, fit.path(), subject.name() + ": " + fit);
        }
    }

    @Test
    void theDenseModelTrainsWithL2AndClipping() {
        Subject dense = EngineMatrix.subjects().get(5);
        AutoencoderNetwork network = dense.network().get();
        assertEquals(1e-4, dense.training(network).l2());
        assertEquals(1.0, dense.training(network).gradientClipping());
    }

    @Test
    void eachModelTrainsAFewBatchesOnItsOwnShape() {
        Dataset digits = DataSources.mnist(DataRange.UNIT).train().head(256);
        for (Subject subject : EngineMatrix.subjects()) {
            Dataset train = digits.reshape(subject.network().get().inputShape());
            Measurement m = EngineMatrix.train(subject, EngineChoice.AUTO, train, EngineMatrix.MIN_BATCHES, 0);
            assertEquals(EngineMatrix.MIN_BATCHES, m.batches(), subject.name());
            assertTrue(m.samplesPerSecond() > 0, subject.name());
            assertTrue(Double.isFinite(m.lastLoss()) && m.lastLoss() > 0, subject.name() + ": loss " + m.lastLoss());
        }
    }
}
