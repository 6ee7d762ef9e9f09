package dev.latent.peers.tensorflow;

import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The seed's two networks as TensorFlow ops on shared variables, Keras' way: NHWC images,
 * Glorot-uniform kernels, zero biases, 'same' padding, ReLU everywhere but the sigmoid output;
 * a transposed convolution is {@code Conv2DBackpropInput}, as Keras' {@code Conv2DTranspose}.
 * The dense model: 784-128-32-128-784. The conv model: conv 32, pool, conv 64, pool, dense 128,
 * 64, 128, 3136, reshape to 7x7x64, transposed conv 64 and 32 of stride 2, conv 1.
 */
final class SeedModels {
    private static final List<Long> ONE = List.of(1L, 1L, 1L, 1L);
    private static final List<Long> TWO = List.of(1L, 2L, 2L, 1L);

    private final Ops tf;
    private final Random random;
    private final boolean conv;
    private final Operand<TFloat32>[] kernels;
    private final Operand<TFloat32>[] biases;

    @SuppressWarnings("unchecked")
    SeedModels(Ops tf, Random random, boolean conv) {
        this.tf = tf;
        this.random = random;
        this.conv = conv;
        if (conv) {
            kernels = new Operand[] {
                    glorot(3, 3, 1, 32), glorot(3, 3, 32, 64), dense(3136, 128), dense(128, 64), dense(64, 128),
                    dense(128, 3136),
                    // A transposed convolution's kernel is [h, w, out, in].
                    glorot(3, 3, 64, 64), glorot(3, 3, 32, 64), glorot(3, 3, 32, 1)};
            biases = new Operand[] {zeros(32), zeros(64), zeros(128), zeros(64), zeros(128), zeros(3136), zeros(64), zeros(32),
                    zeros(1)};
        } else {
            kernels = new Operand[] {dense(784, 128), dense(128, 32), dense(32, 128), dense(128, 784)};
            biases = new Operand[] {zeros(128), zeros(32), zeros(128), zeros(784)};
        }
    }

    /** The reconstruction of {@code x}, a batch of {@code batch} images. */
    Operand<TFloat32> forward(Operand<TFloat32> x, long batch) {
        if (!conv) {
            Operand<TFloat32> h = x;
            for (int i = 0; i < 4; i++) {
                h = tf.nn.biasAdd(tf.linalg.matMul(h, kernels[i]), biases[i]);
                h = i < 3 ? tf.nn.relu(h) : tf.math.sigmoid(h);
            }
            return h;
        }
        Operand<TFloat32> h = pool(tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, kernels[0], ONE, "SAME"), biases[0])));
        h = pool(tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h, kernels[1], ONE, "SAME"), biases[1])));
        h = tf.reshape(h, tf.constant(new long[] {batch, 3136}));
        for (int i = 2; i < 6; i++) {
            h = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(h, kernels[i]), biases[i]));
        }
        h = tf.reshape(h, tf.constant(new long[] {batch, 7, 7, 64}));
        h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2dBackpropInput(
                tf.constant(new int[] {(int) batch, 14, 14, 64}), kernels[6], h, TWO, "SAME"), biases[6]));
        h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2dBackpropInput(
                tf.constant(new int[] {(int) batch, 28, 28, 32}), kernels[7], h, TWO, "SAME"), biases[7]));
        return tf.math.sigmoid(tf.nn.biasAdd(tf.nn.conv2d(h, kernels[8], ONE, "SAME"), biases[8]));
    }

    private Operand<TFloat32> pool(Operand<TFloat32> x) {
        return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
    }

    private Variable<TFloat32> dense(int in, int out) {
        return uniform(Math.sqrt(6.0 / (in + out)), in, out);
    }

    private Variable<TFloat32> glorot(int h, int w, int a, int b) {
        // Keras' fans of a convolution kernel: receptive field times its last two dimensions.
        return uniform(Math.sqrt(6.0 / (h * w * (a + b))), h, w, a, b);
    }

    private Variable<TFloat32> uniform(double limit, long... dims) {
        Shape shape = Shape.of(dims);
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * limit);
        }
        return tf.variable(tf.constant(shape, DataBuffers.of(values, true, false)));
    }

    private Variable<TFloat32> zeros(int n) {
        return tf.variable(tf.constant(Shape.of(n), DataBuffers.of(new float[n], true, false)));
    }
}
