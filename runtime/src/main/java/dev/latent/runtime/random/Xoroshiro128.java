package dev.latent.runtime.random;

/**
 * xoroshiro128++ on the heap: about a nanosecond a 64-bit word, reproducible from a key, its whole
 * state two words that a checkpoint can save. The runtime's heap random numbers (the noise's
 * normal values, dropout's masks) all come from it. Not thread-safe.
 */
public final class Xoroshiro128 {
    /** 2^64 divided by the golden ratio: the step SplitMix64 adds, used to spread keys apart. */
    public static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long s0;
    private long s1;

    /** A generator keyed by {@code key}: different keys give unrelated streams. */
    public Xoroshiro128(long key) {
        // Two different words from a bijection of the key: never both zero.
        s0 = mix(key);
        s1 = mix(key ^ GOLDEN_GAMMA);
    }

    /** The next 64 random bits. */
    public long next() {
        long a = s0;
        long b = s1;
        long result = Long.rotateLeft(a + b, 17) + a;
        b ^= a;
        s0 = Long.rotateLeft(a, 49) ^ b ^ (b << 21);
        s1 = Long.rotateLeft(b, 28);
        return result;
    }

    /** The two words of the state, for {@link #restore}. */
    public long[] state() {
        return new long[] {s0, s1};
    }

    /**
     * Puts back a state {@link #state} gave.
     *
     * @throws IllegalArgumentException unless {@code state} is two words, not both zero
     */
    public void restore(long[] state) {
        if (state == null || state.length != 2 || (state[0] == 0 && state[1] == 0)) {
            throw new IllegalArgumentException("a generator's state is two words, not both zero");
        }
        s0 = state[0];
        s1 = state[1];
    }

    /** SplitMix64's finaliser: a bijection of 64-bit words that mixes every input bit into every output bit. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
