package dev.latent.runtime.engine;

/**
 * xoroshiro128++ on the heap, for dropout's masks: about a nanosecond a value, reproducible from a
 * seed, and its whole state two words that a checkpoint saves. One generator serves a layer's
 * stages for every batch size, so a short last batch draws on from where the full ones stopped.
 */
final class MaskRandom {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double TWO_TO_32 = 4294967296.0;

    private long s0;
    private long s1;

    /** A generator keyed by {@code seed}: different seeds give unrelated streams. */
    MaskRandom(long seed) {
        // Two different words from a bijection of the seed: never both zero.
        s0 = mix(seed);
        s1 = mix(seed ^ GOLDEN_GAMMA);
    }

    long[] state() {
        return new long[] {s0, s1};
    }

    void restore(long[] state) {
        if (state == null || state.length != 2 || (state[0] == 0 && state[1] == 0)) {
            throw new IllegalArgumentException("a dropout generator's state is two words, not both zero");
        }
        s0 = state[0];
        s1 = state[1];
    }

    long next() {
        long a = s0;
        long b = s1;
        long result = Long.rotateLeft(a + b, 17) + a;
        b ^= a;
        s0 = Long.rotateLeft(a, 49) ^ b ^ (b << 21);
        s1 = Long.rotateLeft(b, 28);
        return result;
    }

    /**
     * Fills {@code mask[0, n)} with {@code scale} for a kept value and 0 for a dropped one, each
     * kept with probability {@code keep}: one 32-bit half of a word for each value.
     */
    void fill(float[] mask, int n, double keep, float scale) {
        long threshold = (long) Math.min(TWO_TO_32, Math.floor(keep * TWO_TO_32));
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long bits = next();
            mask[i] = (bits & 0xffffffffL) < threshold ? scale : 0f;
            mask[i + 1] = (bits >>> 32) < threshold ? scale : 0f;
        }
        if (i < n) {
            mask[i] = (next() & 0xffffffffL) < threshold ? scale : 0f;
        }
    }

    /** SplitMix64's finaliser: a bijection of 64-bit words that mixes every input bit into every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
