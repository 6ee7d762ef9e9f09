package dev.latent.testkit;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Shape;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The batch the kit uses when the caller gives none: smooth, structured samples that a network
 * can learn, unlike white noise, and that need no data files. Each sample is a Gaussian blob plus
 * oblique stripes, with a position, width, angle, frequency and phase of its own drawn from a fixed
 * seed, so the batch is the same on every run. Images ({@code {H, W, C}}) vary over both axes and
 * shift the stripes' phase per channel; a sequence ({@code {T, F}}) is read as a one-channel
 * image; a vector ({@code {N}}) as one column. Values fill the data range: [0, 1] for UNIT,
 * [-1, 1] for SYMMETRIC, and about mean 0 and standard deviation 1 for UNBOUNDED.
 */
final class SyntheticBatch {
    private static final long SEED = 20_240_601L;
    private static final double BLOB_WEIGHT = 0.65;
    // The blob and stripes together span [0, 1]; this spreads them to roughly unit deviation.
    private static final double UNBOUNDED_SCALE = 4.0;

    private SyntheticBatch() {}

    /** {@code n} samples of {@code shape} in {@code range}, in the engine's layout, as floats. */
    static INDArray of(Shape shape, DataRange range, int n) {
        int height = shape.dim(0);
        int width = shape.rank() >= 2 ? shape.dim(1) : 1;
        int channels = shape.rank() == 3 ? shape.dim(2) : 1;
        double[] values = new double[Math.toIntExact((long) n * height * width * channels)];
        Random random = new Random(SEED);
        int i = 0;
        for (int s = 0; s < n; s++) {
            double centreY = 0.25 + 0.5 * random.nextDouble();
            double centreX = 0.25 + 0.5 * random.nextDouble();
            double spread = 0.12 + 0.13 * random.nextDouble();
            double angle = Math.PI * random.nextDouble();
            double frequency = 1.5 + 2.5 * random.nextDouble();
            double phase = 2 * Math.PI * random.nextDouble();
            // Keras order {H, W, C}: channels vary fastest.
            for (int y = 0; y < height; y++) {
                double ty = (y + 0.5) / height;
                for (int x = 0; x < width; x++) {
                    double tx = (x + 0.5) / width;
                    double d2 = (ty - centreY) * (ty - centreY) + (tx - centreX) * (tx - centreX);
                    double blob = Math.exp(-d2 / (2 * spread * spread));
                    double along = ty * Math.cos(angle) + tx * Math.sin(angle);
                    for (int c = 0; c < channels; c++) {
                        double stripes = 0.5 + 0.5 * Math.sin(2 * Math.PI * frequency * along + phase + 0.9 * c);
                        double v = BLOB_WEIGHT * blob + (1 - BLOB_WEIGHT) * stripes;
                        values[i++] = scale(v, range);
                    }
                }
            }
        }
        INDArray keras = Nd4j.create(values, new long[] {n, height, width, channels}, DataType.DOUBLE);
        INDArray engine = shape.isImage() ? keras.permute(0, 3, 1, 2) : keras;
        return engine.dup('c').reshape('c', shape.batchShape(n)).castTo(DataType.FLOAT);
    }

    private static double scale(double unit, DataRange range) {
        return switch (range) {
            case UNIT -> unit;
            case SYMMETRIC -> 2 * unit - 1;
            case UNBOUNDED -> (unit - 0.5) * UNBOUNDED_SCALE;
        };
    }
}
