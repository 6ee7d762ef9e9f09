package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.noise.StandardNoise;
import java.util.ArrayList;
import java.util.List;
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
}
