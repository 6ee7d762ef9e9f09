package dev.latent.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import dev.latent.runtime.testing.TinySequenceNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One Denoiser called from 16 threads at once answers every call as it does from one thread. */
class DenoiserConcurrencyTest {
    private static final int THREADS = 16;
    private static final int CALLS = 12;
    private static final int INPUTS = 4;

    @ParameterizedTest
    @ValueSource(strings = {"dense", "conv", "sequence"})
    void sixteenThreadsGetTheSingleThreadAnswers(String kind, @TempDir Path dir) throws Exception {
        AutoencoderNetwork network = switch (kind) {
            case "dense" -> new SmallDenseNetwork();
            case "conv" -> new TinyConvNetwork();
            default -> new TinySequenceNetwork();
        };
        // Loaded from a file, as a server would; batches of several sizes, so the engine's per-size arrays vary.
        Path file = dir.resolve("model.zip");
        Denoiser.of(network, Engines.create(network, network.training(), network.loss())).save(file);
        Denoiser model = Denoiser.load(file);
        Nd4j.getRandom().setSeed(7);
        List<INDArray> inputs = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            inputs.add(Nd4j.rand(network.inputShape().batchShape(1 + 3 * i)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        }
        List<float[]> denoised = new ArrayList<>();
        List<float[]> codes = new ArrayList<>();
        List<float[]> decoded = new ArrayList<>();
        for (INDArray input : inputs) {
            denoised.add(model.denoise(input).ravel().toFloatVector());
            INDArray code = model.encode(input);
            codes.add(code.ravel().toFloatVector());
            decoded.add(model.decode(code).ravel().toFloatVector());
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int call = 0; call < CALLS; call++) {
                        int i = (thread + call) % INPUTS;
                        INDArray input = inputs.get(i);
                        assertArrayEquals(denoised.get(i), model.denoise(input).ravel().toFloatVector(),
                                kind + " denoise, thread " + thread + ", call " + call);
                        INDArray code = model.encode(input);
                        assertArrayEquals(codes.get(i), code.ravel().toFloatVector(), kind + " encode");
                        assertArrayEquals(decoded.get(i), model.decode(code).ravel().toFloatVector(), kind + " decode");
                        checked += 3;
                    }
                    return checked;
                }));
            }
            start.countDown();
            int checked = 0;
            for (Future<Integer> result : results) {
                checked += result.get(5, TimeUnit.MINUTES);
            }
            assertEquals(THREADS * CALLS * 3, checked);
        } finally {
            pool.shutdownNow();
        }
    }
}
