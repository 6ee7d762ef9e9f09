package dev.latent.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The kit's gradient check against DL4J's own GradientCheckUtil, on every parameter of networks
 * small enough for it (GradientCheckUtil checks them all): they agree on a sound and a frozen one.
 */
@Tag("slow")
class GradientCheckTest {

    @Test
    void agreesWithDl4jsGradientCheckOnASoundNetwork() {
        AutoencoderNetwork network = new TinyConvNetwork();
        INDArray batch = SyntheticBatch.of(network.inputShape(), network.range(), 2);
        assertTrue(GradientCheck.run(network, batch, NetworkAssert.DEFAULT_GRADIENT_ENTRIES, 1e-3)
                .failures(1e-3).isEmpty());
        assertTrue(dl4jAgrees(network, batch));
    }

    @Test
    void agreesWithDl4jsGradientCheckOnAFrozenLayer() {
        AutoencoderNetwork network = BrokenNetwork.frozenAtZero(new TinyConvNetwork(), "decoder.up1");
        INDArray batch = SyntheticBatch.of(network.inputShape(), network.range(), 2);
        var failures = GradientCheck.run(network, batch, NetworkAssert.DEFAULT_GRADIENT_ENTRIES, 1e-3).failures(1e-3);
        assertFalse(failures.isEmpty());
        assertEquals(Set.of("decoder.up1"),
                failures.stream().map(GradientCheck.Entry::layer).collect(Collectors.toSet()));
        assertFalse(dl4jAgrees(network, batch));
    }

    // GradientCheckUtil wants the default data type double and no updater but NoOp (or SGD at 1.0).
    private static boolean dl4jAgrees(AutoencoderNetwork network, INDArray batch) {
        DataType defaultType = Nd4j.dataType();
        DataType floatingType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraph graph = GradientCheck.doubleCopy(network);
            graph.getConfiguration().getVertices().values().forEach(vertex -> {
                if (vertex instanceof LayerVertex layer) {
                    var conf = layer.getLayerConf().getLayer();
                    while (conf instanceof BaseWrapperLayer wrapper) {
                        conf = wrapper.getUnderlying();
                    }
                    if (conf instanceof BaseLayer base) {
                        base.setIUpdater(new NoOp());
                    }
                }
            });
            INDArray input = batch.castTo(DataType.DOUBLE);
            INDArray labels = input.reshape('c', input.size(0), input.length() / input.size(0));
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                    .inputs(new INDArray[] {input}).labels(new INDArray[] {labels})
                    .epsilon(GradientCheck.EPSILON).maxRelError(1e-3).minAbsoluteError(GradientCheck.MIN_ABSOLUTE_ERROR)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, floatingType);
        }
    }
}
