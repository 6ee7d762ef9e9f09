package dev.latent.examples.cli;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.Shape;
import dev.latent.runtime.data.DataFileException;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Datasets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The data sets the command line can train on: the embedded digits, Fashion-MNIST, or an IDX file. */
public final class DataSources {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String MNIST_IMAGES = "/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz";
    /** The embedded digits: the first 8,000 train, the last 2,000 test. */
    public static final int MNIST_TRAIN = 8_000;

    private DataSources() {}

    /** Training and test data, scaled to {@code range} and shaped as {@code shape}. */
    public record TrainTest(Dataset train, Dataset test) {}

    /**
     * Resolves {@code --data}: {@code mnist} (the default), {@code fashion-mnist} or a path to an
     * IDX images file (then there is no test set: the trainer holds out its validation split).
     */
    public static TrainTest load(String source, DataRange range, Shape shape) {
        TrainTest data = switch (source) {
            case "mnist" -> mnist(range);
            case "fashion-mnist" -> fashionMnist(range);
            default -> new TrainTest(Datasets.fromIdx(Path.of(source), range), null);
        };
        return new TrainTest(fit(data.train(), shape), data.test() == null ? null : fit(data.test(), shape));
    }

    /** The 10,000 embedded MNIST digits, split 8,000 / 2,000. */
    public static TrainTest mnist(DataRange range) {
        try (InputStream in = DataSources.class.getResourceAsStream(MNIST_IMAGES)) {
            if (in == null) {
                throw new IllegalStateException("the embedded digits " + MNIST_IMAGES + " are missing from the jar");
            }
            Dataset all = Datasets.fromIdx(in, "mnist-10k-images-idx3-ubyte.gz", range);
            return new TrainTest(all.head(MNIST_TRAIN), all.tail(all.size() - MNIST_TRAIN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TrainTest fashionMnist(DataRange range) {
        Path train = firstExisting("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte");
        Path test = firstExisting("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte");
        return new TrainTest(Datasets.fromIdx(train, range), Datasets.fromIdx(test, range));
    }

    private static Path firstExisting(String... names) {
        for (String name : names) {
            Path path = FASHION_MNIST.resolve(name);
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        throw new DataFileException(FASHION_MNIST.resolve(names[0]).toString(),
                "not found; install Fashion-MNIST with 'apt-get install -y dataset-fashion-mnist'");
    }

    /** The data as samples of the model's shape, when only the layout differs ({28, 28, 1} and {784}). */
    private static Dataset fit(Dataset data, Shape shape) {
        if (data.sampleShape().equals(shape)) {
            return data;
        }
        if (data.sampleShape().size() != shape.size()) {
            throw new UsageException("the data has samples of " + data.sampleShape() + " (" + data.sampleShape().size()
                    + " values) but the model takes " + shape + " (" + shape.size() + " values)");
        }
        return data.reshape(shape);
    }
}
