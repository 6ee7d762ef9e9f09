package dev.latent.runtime.noise;

import dev.latent.runtime.random.Xoroshiro128;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Additive Gaussian noise on the Java heap: {@code clean + sigma * z}, clipped when asked.
 * libnd4j's Gaussian op, addition and clip took 0.69 ms for a batch of 64 digits (50,000 values);
 * these loops take about 0.15 ms (2.5 ns a value to draw). Per-batch noise costs a dense model's
 * training what its worker takes from the step's cores, so this is most of what noise costs.
 *
 * <p>The normal values come from Marsaglia and Tsang's ziggurat (128 layers), fed by xoroshiro128++
 * keyed by SplitMix64's mixing of the ND4J generator's two state words: every value is a function
 * of those words and its position, and the draw then moves the generator's state on. So draws are
 * reproducible from a seed, a checkpoint that saves the generator's state resumes them exactly,
 * and ND4J's own draws from the same generator (masking, salt-and-pepper) go on as before. A
 * value's layer and its position in the layer take separate bits, which avoids the correlation
 * between them that the original 32-bit version had.
 */
final class GaussianDraw {
    private static final int LAYERS = 128;
    /** Values drawn per slice: even, so that two values per generator word pair up across slices. */
    private static final int CHUNK = 4096;
    /** Where the ziggurat's base strip meets the tail. */
    private static final double TAIL_START = 3.442619855899;
    private static final double LAYER_AREA = 9.91256303526217e-3;
    private static final double TWO_TO_31 = 2147483648.0;
    private static final long[] KN = new long[LAYERS];
    private static final double[] WN = new double[LAYERS];
    private static final double[] FN = new double[LAYERS];

    static {
        double d = TAIL_START;
        double t = d;
        double q = LAYER_AREA / Math.exp(-0.5 * d * d);
        KN[0] = (long) ((d / q) * TWO_TO_31);
        KN[1] = 0;
        WN[0] = q / TWO_TO_31;
        WN[LAYERS - 1] = d / TWO_TO_31;
        FN[0] = 1.0;
        FN[LAYERS - 1] = Math.exp(-0.5 * d * d);
        for (int i = LAYERS - 2; i >= 1; i--) {
            d = Math.sqrt(-2.0 * Math.log(LAYER_AREA / d + Math.exp(-0.5 * d * d)));
            KN[i + 1] = (long) ((d / t) * TWO_TO_31);
            t = d;
            FN[i] = Math.exp(-0.5 * d * d);
            WN[i] = d / TWO_TO_31;
        }
    }

    private GaussianDraw() {}

    /**
     * A dense float array shaped like {@code clean}: {@code clean + sigma * z}, each value clipped
     * to {@code [min, max]} when {@code clip}; {@code random}'s state moves on. Written into
     * {@code reuse} when it is a dense row-major float array of that shape (it may be null), else
     * into a new array.
     */
    static INDArray addTo(INDArray clean, double sigma, boolean clip, double min, double max, Random random,
            INDArray reuse) {
        INDArray source = clean.dataType() == DataType.FLOAT && clean.ordering() == 'c' && clean.elementWiseStride() == 1
                ? clean
                : clean.castTo(DataType.FLOAT).dup('c');
        long length = source.length();
        INDArray noisy = isDenseFloat(reuse) && Arrays.equals(reuse.shape(), source.shape()) && reuse != clean
                ? reuse
                : Nd4j.createUninitialized(DataType.FLOAT, source.shape(), 'c');
        long root = random.rootState();
        long node = random.nodeState();
        Stream stream = new Stream(Xoroshiro128.mix(root * Xoroshiro128.GOLDEN_GAMMA ^ Xoroshiro128.mix(node)));
        float lo = (float) min;
        float hi = (float) max;
        // The address of the array's first value, a view's included.
        FloatPointer from = new FloatPointer(source.data().addressPointer());
        FloatPointer to = new FloatPointer(noisy.data().addressPointer());
        // A slice at a time, through a buffer that stays in the core's cache: a heap copy of each
        // batch was 200 KB of garbage a step, which new heap pages had to take in. Slices are of
        // an even length, so the values pair up with the generator's words as in one pass.
        float[] values = new float[(int) Math.min(length, CHUNK)];
        for (long start = 0; start < length; start += CHUNK) {
            int n = (int) Math.min(CHUNK, length - start);
            from.position(start).get(values, 0, n);
            stream.addNormals(values, n, (float) sigma);
            if (clip) {
                // A pass of its own, which the compiler vectorises: clipping inside the draw's loop
                // mispredicted its branches and took 11.5 ns a value instead of 4.7 for both loops.
                for (int i = 0; i < n; i++) {
                    values[i] = Math.min(Math.max(values[i], lo), hi);
                }
            }
            to.position(start).put(values, 0, n);
        }
        // The next draw, ours or ND4J's, starts from a state this one never used as its key.
        random.setStates(root, node + stream.used() + 1);
        return clean.dataType() == DataType.FLOAT ? noisy : noisy.castTo(clean.dataType());
    }

    private static boolean isDenseFloat(INDArray array) {
        return array != null && array.dataType() == DataType.FLOAT && array.ordering() == 'c'
                && array.elementWiseStride() == 1 && !array.isView();
    }

    /**
     * Standard normal values from xoroshiro128++, keyed by a 64-bit word. The common case takes
     * two values from each 64-bit word, 7 bits for the layer and 25 for the position in it each
     * (a float holds 24): 2.5 ns a value against 4.8 for one value a word from SplitMix64.
     */
    static final class Stream {
        /** 25-bit positions' bounds and widths: the 32-bit tables scaled by 2^-7 and 2^7. */
        private static final int[] KN25 = new int[LAYERS];
        private static final float[] WN25 = new float[LAYERS];

        static {
            for (int i = 0; i < LAYERS; i++) {
                KN25[i] = (int) (KN[i] >> 7);
                WN25[i] = (float) (WN[i] * 128);
            }
        }

        private final Xoroshiro128 words;
        private long used;

        Stream(long key) {
            words = new Xoroshiro128(key);
        }

        /** 64-bit words drawn so far. */
        long used() {
            return used;
        }

        long next() {
            used++;
            return words.next();
        }

        /** A uniform value in (0, 1), never 0, so that its logarithm is finite. */
        double uniform() {
            return ((next() >>> 11) + 0.5) * 0x1.0p-53;
        }

        /** One standard normal value, from a word of its own. */
        double normal() {
            long bits = next();
            int layer = (int) (bits & (LAYERS - 1));
            long value = (int) (bits >>> 32);
            if (Math.abs(value) < KN[layer]) {
                return value * WN[layer];
            }
            return outside(layer, value);
        }

        /** Adds {@code sigma} times a standard normal value to each of the first {@code n} values. */
        void addNormals(float[] values, int n, float sigma) {
            int i = 0;
            for (; i + 1 < n; i += 2) {
                long bits = next();
                int low = (int) bits;
                int high = (int) (bits >>> 32);
                values[i] += sigma * half(low);
                values[i + 1] += sigma * half(high);
            }
            if (i < n) {
                values[i] += (float) (sigma * normal());
            }
        }

        /** A standard normal value from 32 bits: the layer from the low 7, the position from the other 25. */
        private float half(int bits) {
            int layer = bits & (LAYERS - 1);
            int value = bits >> 7;
            if (Math.abs(value) < KN25[layer]) {
                return value * WN25[layer];
            }
            return (float) outside(layer, (long) value << 7);
        }

        /** The rare case: the base strip's tail, or a point near a layer's curved edge. */
        private double outside(int layer, long value) {
            while (true) {
                double x = value * WN[layer];
                if (layer == 0) {
                    double tail;
                    double y;
                    do {
                        tail = -Math.log(uniform()) / TAIL_START;
                        y = -Math.log(uniform());
                    } while (y + y < tail * tail);
                    return value > 0 ? TAIL_START + tail : -TAIL_START - tail;
                }
                if (FN[layer] + uniform() * (FN[layer - 1] - FN[layer]) < Math.exp(-0.5 * x * x)) {
                    return x;
                }
                long bits = next();
                layer = (int) (bits & (LAYERS - 1));
                value = (int) (bits >>> 32);
                if (Math.abs(value) < KN[layer]) {
                    return value * WN[layer];
                }
            }
        }
    }
}
