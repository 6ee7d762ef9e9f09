package dev.latent.runtime.data;

import java.util.Random;

/** The shuffle the trainer and the benchmarks share, so a run's order is one function of its seed. */
public final class Permutations {
    private Permutations() {}

    /** A uniformly random order of {@code 0 .. n-1} (Fisher–Yates), drawing {@code n - 1} ints from {@code random}. */
    public static int[] of(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
