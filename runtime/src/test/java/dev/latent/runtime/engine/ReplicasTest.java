package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.latent.runtime.testing.SmallDenseNetwork;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The seams data-parallel training uses: the gradient handed over each step, and a replica's state taken over. */
class ReplicasTest {
    private static final SmallDenseNetwork NETWORK = new SmallDenseNetwork();

    private static GraphEngine engine() {
        return GraphEngine.create(NETWORK, NETWORK.training(), NETWORK.loss());
    }

    private static INDArray batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, NETWORK.inputShape().batchShape(16));
    }

    @Test
    void theExchangeGetsEachStepsGradientBeforeTheOptimizerAppliesIt() {
        INDArray first = batch(1);
        INDArray second = batch(2);
        // The gradient of the second batch, as the exchange sees it.
        List<INDArray> seen = new ArrayList<>();
        List<Long> samples = new ArrayList<>();
        GraphEngine onSecond = engine();
        Replicas.exchangeGradients(onSecond, (gradients, n) -> {
            seen.add(gradients.dup());
            samples.add(n);
        });
        onSecond.fitBatch(second, second);
        assertEquals(List.of(16L), samples);
        assertEquals(NETWORK.parameterCount(), seen.get(0).length());

        // An engine trained on the first batch, whose exchange swaps in the second's gradient, takes the second's step.
        GraphEngine swapped = engine();
        Replicas.exchangeGradients(swapped, (gradients, n) -> gradients.assign(seen.get(0)));
        swapped.fitBatch(first, first);
        assertEquals(onSecond.parameters(), swapped.parameters());

        GraphEngine plain = engine();
        plain.fitBatch(first, first);
        assertNotEquals(plain.parameters(), swapped.parameters());
    }

    @Test
    void anEngineThatTakesAReplicasStateTrainsOnExactlyAsTheReplica() {
        GraphEngine replica = engine();
        for (int step = 0; step < 5; step++) {
            replica.fitBatch(batch(step), batch(step));
        }
        GraphEngine driver = engine();
        Replicas.restore(driver, replica.parameters(), Replicas.updaterState(replica), Replicas.iterations(replica));
        assertEquals(5, Replicas.iterations(driver));
        for (int step = 5; step < 10; step++) {
            assertEquals(replica.fitBatch(batch(step), batch(step)), driver.fitBatch(batch(step), batch(step)), 0.0);
        }
        assertEquals(replica.parameters(), driver.parameters());
    }
}
