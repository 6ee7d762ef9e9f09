package dev.latent.peers.tensorflow;

import dev.latent.peers.PeerRun;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The seed models trained by TensorFlow through TF Java, in graph mode: one graph per model
 * holds the digits as a constant, gathers each batch by the indices fed to it, draws the noise
 * and clips it in the graph, and applies TensorFlow's own Adam ({@code ApplyAdam}), so that a
 * step is one {@code Session.run} of TensorFlow's kernels, as a {@code tf.function} training step
 * is. Images are NHWC, as Keras keeps them. Run from the repository root:
 * {@code java -cp 'peers/tensorflow/target/classes:peers/tensorflow/target/lib/*'
 * dev.latent.peers.tensorflow.TensorFlowSeedPeer --threads 2}.
 */
public final class TensorFlowSeedPeer {
    private static final String PROGRAM = "tensorflow-peer";
    private static final long SEED = 42;

    public static void main(String[] args) {
        PeerRun run = PeerRun.fromArgs(PROGRAM, args);
        Gradients.register();
        System.out.printf("TensorFlow %s (TF Java, graph mode), %d threads%n", TensorFlow.version(), run.threads);
        for (String model : run.models) {
            measure(run, model);
        }
    }

    private static void measure(PeerRun run, String model) {
        boolean conv = PeerRun.isConv(model);
        int samples = PeerRun.samples(model);
        float sigma = PeerRun.sigma(model);
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            SeedModels layers = new SeedModels(tf, new Random(SEED), conv);
            Operand<TFloat32> digits = images(tf, run.train, samples, conv);
            Placeholder<TInt32> indices = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(PeerRun.BATCH)));
            Operand<TFloat32> clean = tf.gather(digits, indices, tf.constant(0));
            Operand<TFloat32> noise = tf.math.mul(tf.random.randomStandardNormal(tf.shape(clean), TFloat32.class),
                    tf.constant(sigma));
            Operand<TFloat32> noisy = tf.clipByValue(tf.math.add(clean, noise), tf.constant(0f), tf.constant(1f));
            Operand<TFloat32> loss = meanSquaredError(tf, layers.forward(noisy, PeerRun.BATCH), clean);
            Op step = new Adam(graph, PeerRun.LEARNING_RATE, 0.9f, 0.999f, PeerRun.EPSILON).minimize(loss);

            // The test MSE: the last 2,000 digits with noise drawn once here.
            Operand<TFloat32> testClean = images(tf, run.test, run.test.length, conv);
            Operand<TFloat32> testNoisy = images(tf, noisy(run.test, sigma, new Random(43)), run.test.length, conv);
            Operand<TFloat32> testLoss = meanSquaredError(tf, layers.forward(testNoisy, run.test.length), testClean);

            ConfigProto config = ConfigProto.newBuilder()
                    .setIntraOpParallelismThreads(run.threads)
                    .setInterOpParallelismThreads(1)
                    .build();
            try (Session session = new Session(graph, config)) {
                session.initialize();
                Random shuffle = new Random(SEED);
                double[] rates = new double[run.epochs];
                int[] order = new int[samples];
                for (int i = 0; i < samples; i++) {
                    order[i] = i;
                }
                for (int epoch = 0; epoch < run.epochs; epoch++) {
                    shuffle(order, shuffle);
                    long start = System.nanoTime();
                    for (int at = 0; at + PeerRun.BATCH <= samples; at += PeerRun.BATCH) {
                        int[] batch = java.util.Arrays.copyOfRange(order, at, at + PeerRun.BATCH);
                        try (TInt32 fed = TInt32.vectorOf(batch);
                             Result ignored = session.runner().feed(indices, fed).addTarget(step).run()) {
                            // the step's only effect is on the variables
                        }
                    }
                    rates[epoch] = (samples / PeerRun.BATCH * PeerRun.BATCH) / ((System.nanoTime() - start) / 1e9);
                }
                try (Result result = session.runner().fetch(testLoss).run()) {
                    run.report(model, rates, ((TFloat32) result.get(0)).getFloat());
                }
            }
        }
    }

    private static Operand<TFloat32> meanSquaredError(Ops tf, Operand<TFloat32> output, Operand<TFloat32> target) {
        Operand<TFloat32> squares = tf.math.squaredDifference(output, target);
        return tf.math.mean(squares, tf.range(tf.constant(0), tf.rank(squares), tf.constant(1)));
    }

    /** The first {@code count} images as a constant: [count, 784], or [count, 28, 28, 1] for the conv model. */
    private static Operand<TFloat32> images(Ops tf, float[][] rows, int count, boolean conv) {
        float[] flat = new float[count * PeerRun.PIXELS];
        for (int i = 0; i < count; i++) {
            System.arraycopy(rows[i], 0, flat, i * PeerRun.PIXELS, PeerRun.PIXELS);
        }
        Shape shape = conv ? Shape.of(count, 28, 28, 1) : Shape.of(count, PeerRun.PIXELS);
        return tf.constant(shape, DataBuffers.of(flat, true, false));
    }

    private static float[][] noisy(float[][] clean, float sigma, Random random) {
        float[][] noisy = new float[clean.length][PeerRun.PIXELS];
        for (int i = 0; i < clean.length; i++) {
            for (int p = 0; p < PeerRun.PIXELS; p++) {
                noisy[i][p] = Math.min(1f, Math.max(0f, clean[i][p] + sigma * (float) random.nextGaussian()));
            }
        }
        return noisy;
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    private TensorFlowSeedPeer() {}
}
