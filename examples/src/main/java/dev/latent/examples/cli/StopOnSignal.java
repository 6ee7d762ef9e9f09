package dev.latent.examples.cli;

import dev.latent.runtime.train.DenoisingTrainer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While a command trains: a TERM or INT (Ctrl-C) asks the trainer to stop at its next batch
 * boundary and waits, at most {@value #WAIT_SECONDS} s, for the command to say so and end, so
 * that the run ends on its last whole epoch's checkpoint rather than wherever the signal fell.
 */
final class StopOnSignal implements AutoCloseable {
    /** How long the signal waits for the command: a batch, and the report when training was done. */
    static final long WAIT_SECONDS = 15;

    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook;

    private StopOnSignal(DenoisingTrainer<?> trainer) {
        this.hook = new Thread(() -> {
            trainer.requestStop();
            try {
                ended.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "latent-stop-training");
    }

    static StopOnSignal install(DenoisingTrainer<?> trainer) {
        StopOnSignal stop = new StopOnSignal(trainer);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** The command has ended: a signal now ends the process at once. */
    @Override
    public void close() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down: the hook runs now, and has just been told that the command ended.
        }
    }
}
