package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.noise.StandardNoise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Noise drawn ahead on a worker is the noise drawn in place: same batches, same generator state. */
class NoiseAheadTest {

    private static List<INDArray> batches(int count) {
        List<INDArray> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batches.add(Nd4j.valueArrayOf(new long[] {16, 1, 8, 8}, i / (double) count, DataType.FLOAT));
        }
        return batches;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void drawsWhatTheTrainingThreadWouldDrawAndStopsAtTheEpochsEnd(boolean onWorker) {
        NoiseModel noise = new StandardNoise(0.3, 0.1, 0, true);
        List<INDArray> epoch = batches(NoiseAhead.DEPTH * 3 + 1);
        Random inPlace = Nd4j.getRandomFactory().getNewRandomInstance(5);
        Random ahead = Nd4j.getRandomFactory().getNewRandomInstance(5);
        try (NoiseAhead worker = new NoiseAhead(noise, DataRange.UNIT, ahead, onWorker)) {
            for (int e = 0; e < 2; e++) {
                worker.start(epoch);
                for (INDArray clean : epoch) {
                    assertEquals(noise.corrupt(clean, DataRange.UNIT, inPlace), worker.next());
                }
                // Between epochs the generator is where the training thread's is: a checkpoint saves it.
                assertEquals(inPlace.rootState(), ahead.rootState());
                assertEquals(inPlace.nodeState(), ahead.nodeState());
            }
            assertThrows(IllegalStateException.class, worker::next);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFailingNoiseModelFailsTheBatchThatUsesIt(boolean onWorker) {
        NoiseModel broken = (clean, range, random) -> {
            throw new IllegalArgumentException("broken noise");
        };
        try (NoiseAhead worker = new NoiseAhead(broken, DataRange.UNIT, Nd4j.getRandomFactory().getNewRandomInstance(1), onWorker)) {
            worker.start(batches(2));
            assertEquals("broken noise", assertThrows(IllegalArgumentException.class, worker::next).getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void drawsIntoBatchesNoLongerInUseAndFreesThoseAModelPassesOver(boolean onWorker) {
        List<INDArray> offered = new ArrayList<>();
        NoiseModel makesNew = new NoiseModel() {
            @Override
            public INDArray corrupt(INDArray clean, DataRange range, Random random) {
                return clean.add(1);
            }

            @Override
            public INDArray corrupt(INDArray clean, DataRange range, Random random, INDArray reuse) {
                synchronized (offered) {
                    offered.add(reuse);
                }
                return corrupt(clean, range, random);
            }
        };
        List<INDArray> epoch = batches(NoiseAhead.DEPTH * 3);
        List<INDArray> taken = new ArrayList<>();
        try (NoiseAhead worker = new NoiseAhead(makesNew, DataRange.UNIT, Nd4j.getRandomFactory().getNewRandomInstance(3),
                onWorker)) {
            worker.start(epoch);
            for (int k = 0; k < epoch.size(); k++) {
                INDArray noisy = worker.next();
                // The batch training now and the one before it are still whole.
                assertEquals(epoch.get(k).add(1), noisy);
                if (k > 0) {
                    assertEquals(epoch.get(k - 1).add(1), taken.get(k - 1));
                }
                taken.add(noisy);
            }
        }
        int ring = NoiseAhead.DEPTH + 2;
        for (int k = 0; k < epoch.size(); k++) {
            // Batch k is drawn into batch k - ring's array, which the model passed over, so it was freed.
            INDArray expected = k < ring ? null : taken.get(k - ring);
            assertTrue(offered.get(k) == expected, "batch " + k + " was offered the wrong array");
            if (expected != null) {
                assertTrue(expected.wasClosed(), "batch " + (k - ring) + "'s array was not freed");
            }
        }
    }

    @Test
    void aViewOfTheArrayHandedBackIsNotFreed() {
        NoiseModel viewing = new NoiseModel() {
            @Override
            public INDArray corrupt(INDArray clean, DataRange range, Random random) {
                return clean.add(1);
            }

            @Override
            public INDArray corrupt(INDArray clean, DataRange range, Random random, INDArray reuse) {
                if (reuse == null) {
                    return corrupt(clean, range, random);
                }
                // Another array object over the same values.
                INDArray view = reuse.reshape('c', new long[] {reuse.length()}).reshape('c', clean.shape());
                return view.assign(clean).addi(1);
            }
        };
        List<INDArray> epoch = batches(NoiseAhead.DEPTH * 3);
        try (NoiseAhead worker = new NoiseAhead(viewing, DataRange.UNIT, Nd4j.getRandomFactory().getNewRandomInstance(3),
                false)) {
            worker.start(epoch);
            for (INDArray clean : epoch) {
                INDArray noisy = worker.next();
                assertFalse(noisy.wasClosed(), "a batch drawn into a view of a spent one was freed");
                assertEquals(clean.add(1), noisy);
            }
        }
    }
}
