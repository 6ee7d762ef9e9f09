package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shuffling generator draws java.util.Random's sequence and continues it from its stored state. */
class ShufflingRandomTest {
    @Test
    void drawsWhatRandomDrawsAndResumesFromItsState() {
        for (long seed : new long[] {0, 42, -7, Long.MAX_VALUE}) {
            Random reference = new Random(seed);
            ShufflingRandom shuffling = new ShufflingRandom(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(reference.nextInt(i + 1), shuffling.nextInt(i + 1));
            }
            ShufflingRandom resumed = ShufflingRandom.ofState(shuffling.state());
            for (int i = 0; i < 1000; i++) {
                assertEquals(reference.nextInt(97), resumed.nextInt(97));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ShufflingRandom.ofState(-1));
        assertThrows(IllegalArgumentException.class, () -> ShufflingRandom.ofState(ShufflingRandom.STATES));
    }
}
