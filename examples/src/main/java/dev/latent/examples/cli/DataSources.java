package dev.latent.examples.cli;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.DataFileException;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Datasets;
import dev.latent.runtime.data.Samples;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.data.StreamedDataset;
import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The data sets the command line can train on: the embedded digits, Fashion-MNIST, or a path to
 * an IDX file, a {@code .npy} file, a {@code .csv} file or a folder of images. The scaling into
 * the model's range is always fitted on the training part alone and applied to the rest.
 */
public final class DataSources {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String MNIST_IMAGES = "/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz";
    /** The embedded digits: the first 8,000 train, the last 2,000 test. */
    public static final int MNIST_TRAIN = 8_000;

    /** A path larger than this share of the maximum heap is streamed: read whole, its floats would take most of it. */
    static final int STREAM_SHARE = 4;

    private DataSources() {}

    /**
     * {@code --data} as a file streamed from disk a block at a time, when it is an IDX or
     * {@code .npy} path larger than a quarter of {@code maxHeap}; empty for anything else, which
     * {@link #load} reads whole. A large gzipped file is refused with how to unpack it.
     *
     * @throws DataFileException if the large file is invalid, gzipped, or does not fit the model's input
     */
    public static Optional<StreamedDataset> streamIfLarge(String source, DataRange range, Shape shape, long maxHeap) {
        if (source.equals("mnist") || source.equals("fashion-mnist")) {
            return Optional.empty();
        }
        Path path = Path.of(source);
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (!Files.isRegularFile(path) || name.endsWith(".csv") || Files.size(path) <= maxHeap / STREAM_SHARE) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty(); // load names the file and what is wrong with it
        }
        return Optional.of(Datasets.stream(path, shape, range));
    }

    /** Training and test data, scaled to the model's range and shaped as its input; test may be null. */
    public record TrainTest(Dataset train, Dataset test) {}

    /**
     * How a long CSV table is cut into windows for a model whose input is {@code {T, F}}: a window
     * of {@code T} rows every {@code stride} rows, of the named {@code columns} (all when empty).
     */
    public record Windows(int stride, List<String> columns) {
        /** Every column, a window starting at every row. */
        public static final Windows DEFAULT = new Windows(1, List.of());
    }

    /**
     * Resolves {@code --data}: {@code mnist}, {@code fashion-mnist}, or a path: a folder of PNG/JPEG
     * images, a {@code .csv} file (a row per sample, or windows of rows when the model takes
     * {@code {T, F}}), a {@code .npy} file, or else an IDX file. A path's last
     * {@code validationSplit} becomes the test set (none when 0).
     *
     * @throws DataFileException if the data cannot be read or does not fit the model's input
     */
    public static TrainTest load(String source, DataRange range, Shape shape, double validationSplit,
            Windows windows) {
        return switch (source) {
            case "mnist" -> mnist(range, shape);
            case "fashion-mnist" -> fashionMnist(FASHION_MNIST, range, shape);
            default -> split(read(Path.of(source), shape, windows), range, validationSplit);
        };
    }

    /** The 10,000 embedded MNIST digits as {@code {28, 28, 1}} images, split 8,000 / 2,000. */
    public static TrainTest mnist(DataRange range) {
        return mnist(range, Shape.of(28, 28, 1));
    }

    private static TrainTest mnist(DataRange range, Shape shape) {
        try (InputStream in = DataSources.class.getResourceAsStream(MNIST_IMAGES)) {
            if (in == null) {
                throw new IllegalStateException("the embedded digits " + MNIST_IMAGES + " are missing from the jar");
            }
            Samples all = Datasets.readIdx(in, "mnist-10k-images-idx3-ubyte.gz").fitTo(shape);
            return scaled(all.head(MNIST_TRAIN), all.tail(all.size() - MNIST_TRAIN), range);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fashion-MNIST's training and test images from {@code folder}, as Debian installs them. */
    static TrainTest fashionMnist(Path folder, DataRange range, Shape shape) {
        Path train = firstExisting(folder, "train-images-idx3-ubyte.gz", "train-images-idx3-ubyte");
        Path test = firstExisting(folder, "t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte");
        return scaled(Datasets.readIdx(train).fitTo(shape), Datasets.readIdx(test).fitTo(shape), range);
    }

    private static Samples read(Path path, Shape shape, Windows windows) {
        boolean csv = path.getFileName() != null
                && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        if (csv && shape.rank() == 2) {
            return Datasets.windows(path, shape.dim(0), windows.stride(), windows.columns().toArray(String[]::new))
                    .fitTo(shape);
        }
        return Datasets.read(path, shape);
    }

    private static TrainTest split(Samples all, DataRange range, double validationSplit) {
        if (validationSplit <= 0) {
            return new TrainTest(Scaling.fitAndApply(all, range), null);
        }
        Samples.Split parts = all.splitLast(validationSplit);
        return scaled(parts.train(), parts.validation(), range);
    }

    /** Both parts scaled by the scaling fitted on {@code train} alone. */
    private static TrainTest scaled(Samples train, Samples test, DataRange range) {
        Scaling scaling = Scaling.fit(train, range);
        return new TrainTest(scaling.apply(train), scaling.apply(test));
    }

    private static Path firstExisting(Path folder, String... names) {
        for (String name : names) {
            Path path = folder.resolve(name);
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        throw new DataFileException(folder.resolve(names[0]).toString(),
                "not found; install Fashion-MNIST with 'apt-get install -y dataset-fashion-mnist'");
    }
}
