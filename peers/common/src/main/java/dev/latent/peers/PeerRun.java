package dev.latent.peers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * What every benchmark peer shares with examples/pytorch/seed_reference.py and
 * {@code bench --trainer-only}: the embedded digits (the first 8,000 train, the last 2,000 test),
 * the options ({@code --threads N}, {@code --epochs N}, {@code --models a,b}), the protocol
 * (batch 64, Adam 1e-3 with Keras' epsilon 1e-7, fresh Gaussian noise clipped to [0, 1] every
 * batch, shuffled every epoch; samples/s is the median of epochs 2 to N) and the printed line
 * that examples/peers/compare.py reads.
 */
public final class PeerRun {
    /** Read from the repository root, as seed_reference.py reads them. */
    public static final String DIGITS = "examples/src/main/resources/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz";
    public static final int BATCH = 64;
    public static final int TRAIN = 8_000;
    public static final int PIXELS = 28 * 28;
    public static final float LEARNING_RATE = 1e-3f;
    public static final float EPSILON = 1e-7f;
    public static final List<String> MODELS = List.of("SeedExample1", "SeedExample2", "SeedExample3");

    public final int threads;
    public final int epochs;
    public final List<String> models;
    /** Digits scaled to [0, 1], one row of 784 per image. */
    public final float[][] train;
    public final float[][] test;

    private PeerRun(int threads, int epochs, List<String> models, float[][] images) {
        this.threads = threads;
        this.epochs = epochs;
        this.models = models;
        this.train = Arrays.copyOfRange(images, 0, TRAIN);
        this.test = Arrays.copyOfRange(images, TRAIN, images.length);
    }

    /** Parses the options and reads the digits; a bad option ends the program with one line. */
    public static PeerRun fromArgs(String program, String[] args) {
        int threads = 2;
        int epochs = 4;
        List<String> models = MODELS;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--threads" -> threads = positive(program, "--threads", value);
                case "--epochs" -> epochs = positive(program, "--epochs", value);
                case "--models" -> models = models(program, value);
                default -> fail(program, "unknown option " + args[i] + "; use --threads N, --epochs N, --models "
                        + String.join(",", MODELS));
            }
            i++;
        }
        if (epochs < 2) {
            fail(program, "--epochs must be at least 2: the first epoch is a warm-up and is not timed");
        }
        return new PeerRun(threads, epochs, models, readDigits(program));
    }

    /** Samples of the training set a model trains on per epoch: the conv model's steps cost 50 times the dense ones'. */
    public static int samples(String model) {
        return model.equals("SeedExample3") ? 1_920 : TRAIN;
    }

    /** The Gaussian noise's standard deviation of each seed model. */
    public static float sigma(String model) {
        return switch (model) {
            case "SeedExample1" -> 0.5f;
            case "SeedExample2" -> 2.0f;
            default -> 0.2f;
        };
    }

    public static boolean isConv(String model) {
        return model.equals("SeedExample3");
    }

    /** Prints the line compare.py reads: the median of epochs 2 to N, the test MSE after them. */
    public void report(String model, double[] epochSamplesPerSecond, double testMse) {
        double[] timed = Arrays.copyOfRange(epochSamplesPerSecond, 1, epochSamplesPerSecond.length);
        Arrays.sort(timed);
        int n = timed.length;
        double median = n % 2 == 1 ? timed[n / 2] : (timed[n / 2 - 1] + timed[n / 2]) / 2;
        System.out.printf(Locale.ROOT, "%s: %,.1f samples/s over %,d samples (median of epochs 2 to %d); test MSE after them %.4f%n",
                model, median, samples(model), epochs, testMse);
        System.out.flush();
    }

    private static int positive(String program, String option, String value) {
        try {
            int n = Integer.parseInt(value == null ? "" : value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail(program, option + " needs a whole number above 0, not " + value);
        return 0;
    }

    private static List<String> models(String program, String value) {
        List<String> chosen = new ArrayList<>();
        for (String name : (value == null ? "" : value).split(",")) {
            if (!MODELS.contains(name)) {
                fail(program, "no model '" + name + "'; use " + String.join(",", MODELS));
            }
            chosen.add(name);
        }
        return chosen;
    }

    private static float[][] readDigits(String program) {
        Path file = Path.of(DIGITS);
        if (!Files.isRegularFile(file)) {
            fail(program, "cannot find " + DIGITS + "; run from the repository root");
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            ByteBuffer data = ByteBuffer.wrap(bytes.toByteArray());
            int magic = data.getInt();
            if (magic != 0x803) {
                fail(program, DIGITS + " is not an IDX file of unsigned bytes in 3 dimensions");
            }
            int count = data.getInt();
            int rows = data.getInt();
            int cols = data.getInt();
            if (rows * cols != PIXELS || count <= TRAIN) {
                fail(program, DIGITS + " holds " + count + " images of " + rows + "x" + cols + "; expected more than "
                        + TRAIN + " of 28x28");
            }
            float[][] images = new float[count][PIXELS];
            for (float[] image : images) {
                for (int p = 0; p < PIXELS; p++) {
                    image[p] = (data.get() & 0xff) / 255f;
                }
            }
            return images;
        } catch (IOException e) {
            fail(program, "cannot read " + DIGITS + ": " + e.getMessage());
            return null;
        }
    }

    public static void fail(String program, String message) {
        System.err.println(program + ": " + message);
        System.exit(2);
    }
}
