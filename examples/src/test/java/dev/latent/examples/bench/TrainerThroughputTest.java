package dev.latent.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench --trainer-only}'s choice of models; its timings are checked by running it, not here. */
class TrainerThroughputTest {
    private static final PrintStream NOWHERE = new PrintStream(PrintStream.nullOutputStream());

    @Test
    void anUnknownModelIsNamedWithTheModelsToUse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainerThroughput(List.of("SeedExample1", "SeedExample9"), NOWHERE));
        assertTrue(e.getMessage().contains("SeedExample9"), e.getMessage());
        assertTrue(e.getMessage().contains("SeedExample1, SeedExample2, SeedExample3"), e.getMessage());
    }

    @Test
    void theSeedModelsAreTheOnesThePeersTrain() {
        // examples/peers/compare.py and the peers (peers/common's PeerRun) name the same three.
        assertEquals(List.of("SeedExample1", "SeedExample2", "SeedExample3"), TrainerThroughput.NAMES);
        assertEquals(4, TrainerThroughput.EPOCHS);
    }
}
