package dev.latent.runtime.train;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.engine.NonFinite;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.settings.NativeSettings;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * Corrupts an epoch's batches on a worker thread a few batches ahead of training, so that on a
 * machine with a spare core fresh noise every batch costs training almost nothing, as PyTorch's
 * data loader workers make it. Corrupting a batch of 64 digits with Gaussian noise and checking it
 * for NaN takes about 0.2 ms on one core ({@code GaussianDraw}, {@code NonFinite}; ND4J's ops took
 * 0.6 to 1.1 ms), 15% of a dense model's step.
 *
 * <p>Runs stay reproducible: the worker alone draws from the generator, batch after batch in
 * order, so the noise is the same as drawn on the training thread. It never runs past the end of
 * an epoch, so the generator's state between epochs, which a checkpoint saves, is the same too.
 *
 * <p>Without a spare core (training already uses every core, as a convolutional network does) the
 * same draws happen on the calling thread: a worker would only take time from training (the conv
 * model lost 3 to 5% to it on two cores, against 1% drawing in place).
 */
final class NoiseAhead implements AutoCloseable {
    /** Batches corrupted ahead: enough to hide the draw's jitter, few enough to bound memory. */
    static final int DEPTH = 4;

    // One native thread: the worker runs beside training, which has the cores it was given.
    private final ExecutorService worker;
    private final NoiseModel noise;
    private final DataRange range;
    private final Random random;
    private final Deque<Future<Drawn>> pending = new ArrayDeque<>();
    private boolean lastFinite = true;
    private List<INDArray> batches = List.of();
    private int submitted;
    // Spent noisy batches, drawn into again: the ones drawn ahead, the one training and the one
    // the engine may still hold are never among them. Touched only where the draws run.
    private final INDArray[] spent = new INDArray[DEPTH + 2];
    private long drawn;

    /** Draws on a worker when {@code onWorker}, else in place, in the same order either way. */
    NoiseAhead(NoiseModel noise, DataRange range, Random random, boolean onWorker) {
        this.worker = onWorker ? Executors.newSingleThreadExecutor(NativeSettings.workerThreads("latent-noise", 1)) : null;
        this.noise = noise;
        this.range = range;
        this.random = random;
    }

    /**
     * Starts a run of batches (an epoch, or one block of a streamed epoch): the clean batches, in
     * training order, which must not change until their noisy copies are {@linkplain #next()
     * taken}. The previous run's must all have been taken.
     */
    void start(List<INDArray> cleanBatches) {
        if (!pending.isEmpty() || submitted < batches.size()) {
            throw new IllegalStateException("the previous run's noisy batches were not all taken");
        }
        batches = List.copyOf(cleanBatches);
        submitted = 0;
        while (submitted < Math.min(DEPTH, batches.size())) {
            submitNext();
        }
    }

    /** A noisy batch, and whether all its values are finite (checked where it was drawn). */
    private record Drawn(INDArray values, boolean finite) {}

    /**
     * The noisy copy of the run's next batch, waiting for it if need be. Its array is drawn into
     * again once two more batches have been taken.
     */
    INDArray next() {
        Future<Drawn> result = pending.poll();
        if (result == null) {
            throw new IllegalStateException("no batch left in this run");
        }
        if (submitted < batches.size()) {
            submitNext();
        }
        try {
            Drawn drawn = result.get();
            lastFinite = drawn.finite();
            return drawn.values();
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

    /** Whether the batch {@link #next()} returned last has only finite values. */
    boolean lastFinite() {
        return lastFinite;
    }

    private Drawn draw(INDArray clean, int slot) {
        INDArray previous = spent[slot];
        INDArray noisy = noise.corrupt(clean, range, random, previous);
        if (previous != null && !sharesMemory(previous, noisy) && previous.data().closeable()) {
            // A model that makes new arrays: free the one it passed over now, not when the collector finds it.
            previous.data().close();
        }
        spent[slot] = noisy;
        return new Drawn(noisy, !NonFinite.in(noisy));
    }

    /** Whether the two arrays' values overlap: a model may hand back a view of the array it was given. */
    private static boolean sharesMemory(INDArray a, INDArray b) {
        long aStart = a.data().address();
        long bStart = b.data().address();
        long aEnd = aStart + a.data().length() * a.data().getElementSize();
        long bEnd = bStart + b.data().length() * b.data().getElementSize();
        return aStart < bEnd && bStart < aEnd;
    }

    private void submitNext() {
        INDArray clean = batches.get(submitted++);
        int slot = (int) (drawn++ % spent.length);
        if (worker != null) {
            pending.add(worker.submit(() -> draw(clean, slot)));
            return;
        }
        try {
            pending.add(CompletableFuture.completedFuture(draw(clean, slot)));
        } catch (RuntimeException | Error e) {
            // Failed when its batch is taken, as on the worker.
            pending.add(CompletableFuture.failedFuture(e));
        }
    }

    /**
     * Stops the worker once the batches under way are drawn, so that nothing touches the
     * generator after the trainer closes it (a run that stops early leaves some behind).
     */
    @Override
    public void close() {
        pending.forEach(f -> f.cancel(false));
        if (worker == null) {
            return;
        }
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
