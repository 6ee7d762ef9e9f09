package dev.latent.runtime.testing;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Datasets;
import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The 1,000 real MNIST digits of the test resources, and small data sets made from them. */
public final class Mnist {
    private static final String IMAGES = "mnist-1k-images-idx3-ubyte.gz";

    private Mnist() {}

    /** The first {@code n} digits, {@code {28, 28, 1}}, scaled to [0, 1]. */
    public static Dataset digits(int n) {
        try (InputStream in = Mnist.class.getResourceAsStream("/" + IMAGES)) {
            if (in == null) {
                throw new IllegalStateException(IMAGES + " is not on the test classpath");
            }
            return Datasets.fromIdx(in, IMAGES, DataRange.UNIT).head(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first {@code n} digits halved to 14x14 (2x2 means), as two channels that differ: the
     * digit, and its negative {@code 1 - digit} (so a mix-up of channel order or layout shows).
     */
    public static Dataset twoChannelDigits(int n) {
        INDArray digits = digits(n).features();
        INDArray small = digits.reshape('c', n, 1, 14, 2, 14, 2).mean(3, 5);
        INDArray both = Nd4j.concat(1, small, small.rsub(1.0)).dup('c');
        return Dataset.of(both, Shape.of(14, 14, 2), DataRange.UNIT, "mnist 14x14, digit and negative");
    }
}
