package dev.latent.examples.bench;

import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.model.Denoiser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** How fast a trained model denoises: one image, a batch, and one model shared by threads. */
final class InferenceTimings {
    private InferenceTimings() {}

    static double[] latencyMs(Denoiser model, Dataset test) {
        INDArray one = test.features().get(NDArrayIndex.point(0));
        int warmup = 20;
        int runs = 200;
        double[] ms = new double[runs];
        for (int i = 0; i < warmup + runs; i++) {
            long start = System.nanoTime();
            model.denoise(one);
            if (i >= warmup) {
                ms[i - warmup] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        return new double[] {ms[runs / 2], ms[(int) Math.ceil(runs * 0.99) - 1]};
    }

    /** Single images a second that {@code threads} threads get from one shared Denoiser. */
    static double sharedThroughput(Denoiser model, Dataset test, int threads) {
        int perThread = 200;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        model.denoise(test.features().get(NDArrayIndex.point((offset * perThread + i) % test.size())));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            return threads * perThread / ((System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a thread's denoise failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static double batchThroughput(Denoiser model, Dataset batch) {
        double best = 0;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            model.denoise(batch.features());
            best = Math.max(best, batch.size() / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }
}
