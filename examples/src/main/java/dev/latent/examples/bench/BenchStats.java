package dev.latent.examples.bench;

import java.util.Arrays;
import org.nd4j.linalg.api.rng.Random;

/** Medians and clean-up shared by the bench's measurements. */
final class BenchStats {
    private BenchStats() {}

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static void close(Random random) {
        try {
            random.close();
        } catch (Exception ignored) {
            // Releasing a generator's native state cannot fail in a way the benchmark could act on.
        }
    }
}
