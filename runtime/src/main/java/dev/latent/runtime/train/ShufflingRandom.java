package dev.latent.runtime.train;

import java.util.Random;

/**
 * The trainer's shuffling generator: exactly {@link Random}'s sequence for the same seed (the
 * same 48-bit linear congruential generator), with its state readable and settable, so that a
 * checkpoint can store it as a number rather than as a serialized object.
 */
final class ShufflingRandom extends Random {
    private static final long serialVersionUID = 1L;
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    /** One past the largest state: the generator keeps 48 bits. */
    static final long STATES = 1L << 48;

    // No initialiser: Random's constructor sets it through setSeed before this class's fields are assigned.
    private long state;

    /** The generator {@code new Random(seed)} would be. */
    ShufflingRandom(long seed) {
        super(seed);
    }

    /** A generator whose internal state is {@code state}, as {@link #state()} returned it. */
    static ShufflingRandom ofState(long state) {
        if (state < 0 || state >= STATES) {
            throw new IllegalArgumentException("a shuffling state must be in [0, 2^48), found " + state);
        }
        ShufflingRandom random = new ShufflingRandom(0);
        random.state = state;
        return random;
    }

    /** The internal state: with {@link #ofState} it continues this generator's sequence exactly. */
    long state() {
        return state;
    }

    @Override
    public synchronized void setSeed(long seed) {
        state = (seed ^ MULTIPLIER) & (STATES - 1);
    }

    @Override
    protected int next(int bits) {
        state = (state * MULTIPLIER + ADDEND) & (STATES - 1);
        return (int) (state >>> (48 - bits));
    }

    /** Not kept in the state, so not offered: shuffling never draws gaussians. */
    @Override
    public synchronized double nextGaussian() {
        throw new UnsupportedOperationException("the shuffling generator draws no gaussians");
    }
}
