package dev.latent.runtime.train;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.NativeSettings;
import dev.latent.runtime.noise.NoiseModel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * Draws the next batch's noise on a worker thread while the current batch trains, so that on a
 * machine with a spare core fresh noise every batch costs training no time, as PyTorch's data
 * loader workers make it. The worker alone uses the noise generator, batch after batch in order,
 * so a run stays reproducible from its seed.
 */
final class NoiseAhead implements AutoCloseable {
    private final ExecutorService worker = Executors.newSingleThreadExecutor(NativeSettings.workerThreads("latent-noise"));
    private final NoiseModel noise;
    private final DataRange range;
    private final Random random;
    private Future<INDArray> pending;

    NoiseAhead(NoiseModel noise, DataRange range, Random random) {
        this.noise = noise;
        this.range = range;
        this.random = random;
    }

    /** Starts corrupting {@code clean}, which must not change until {@link #take()} returns it. */
    void prepare(INDArray clean) {
        if (pending != null) {
            throw new IllegalStateException("the previous batch's noise was not taken");
        }
        pending = worker.submit(() -> noise.corrupt(clean, range, random));
    }

    /** The corrupted copy of the batch last {@linkplain #prepare prepared}, waiting for it if need be. */
    INDArray take() {
        Future<INDArray> result = pending;
        pending = null;
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing noise", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the noise model failed: " + e.getCause(), e.getCause());
        }
    }

    /** Waits for a batch still in preparation, so that nothing touches the generator after it closes. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(1, TimeUnit.MINUTES)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
