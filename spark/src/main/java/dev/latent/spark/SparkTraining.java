package dev.latent.spark;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.TrainingResult;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Trains a model on Apache Spark: data-parallel, Latent's own engine on every executor. The
 * trainer's settings, schedule, validation, checkpoints, early stopping, diagnosis and result are
 * the trainer's, as on one machine; Spark holds the training data, schedules the epochs and
 * retries failed tasks.
 *
 * <pre>{@code
 * TrainingResult result = SparkTraining.of(new ConvDenoiserTrainer().epochs(5), spark)
 *         .fit(spark.read().parquet("digits.parquet"), "pixels");
 * }</pre>
 *
 * <p>Each epoch is one barrier stage of one task per partition (so at most as many partitions as
 * the cluster has task slots). Each global batch of {@code batchSize} samples is split across
 * the partitions, and by default every replica applies the same gradient, the mean over the
 * global batch, so the run takes the one-machine run's steps.
 */
public final class SparkTraining {
    private final DenoisingTrainer<?> trainer;
    private final SparkSession session;
    private int partitions;
    private Averaging averaging = Averaging.gradients();
    private boolean promptExchange = true;
    private SparkEpochs lastRun;
    private ShardedData lastData;
    private dev.latent.runtime.data.Dataset validation;

    private SparkTraining(DenoisingTrainer<?> trainer, SparkSession session) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        this.session = Objects.requireNonNull(session, "session");
        this.partitions = session.sparkContext().defaultParallelism();
    }

    /** Training with {@code trainer}'s network and settings (set them on the trainer first), on {@code session}. */
    public static SparkTraining of(DenoisingTrainer<?> trainer, SparkSession session) {
        return new SparkTraining(trainer, session);
    }

    /** The replicas, one task each per epoch; by default Spark's default parallelism (the cores of local[N]). */
    public SparkTraining partitions(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, found " + partitions);
        }
        this.partitions = partitions;
        return this;
    }

    /** How the replicas stay one model; {@link Averaging#gradients()} by default. */
    public SparkTraining averaging(Averaging averaging) {
        this.averaging = Objects.requireNonNull(averaging, "averaging");
        return this;
    }

    /**
     * Validates on {@code validation}, held in the driver's memory, and trains on all of the data
     * given to {@code fit}; by default the trainer's {@code validationSplit} of it is held out.
     */
    public SparkTraining validation(dev.latent.runtime.data.Dataset validation) {
        this.validation = Objects.requireNonNull(validation, "validation");
        return this;
    }

    /**
     * Whether a task waiting in Spark's all-gather is woken to look for its answer every 0.2 ms
     * (true, the default) or waits in Spark's own one-second sleeps; for measurements.
     */
    SparkTraining promptExchange(boolean prompt) {
        this.promptExchange = prompt;
        return this;
    }

    /** Trains on the array column {@code column} of {@code data}: one sample a row, values in Keras order, in range. */
    public TrainingResult fit(Dataset<Row> data, String column) {
        AutoencoderNetwork network = trainer.network();
        return run(SparkFailures.unwrap(() -> SampleRows.of(data, column, network.inputShape(), network.range())));
    }

    /**
     * Trains on a data set held in the driver's memory (the command line's embedded digits, say),
     * sent to the executors once: for data that fits one machine but trains faster on several.
     */
    public TrainingResult fit(dev.latent.runtime.data.Dataset data) {
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext());
        return run(SampleRows.of(spark, data));
    }

    /** Trains on the Parquet files at {@code path}, whose array column {@code column} holds the samples. */
    public TrainingResult fitParquet(String path, String column) {
        return fit(session.read().parquet(path), column);
    }

    /**
     * Trains on the files {@code path} names (a file, a folder, or a pattern: {@code data/part-*.npy}),
     * each an IDX, NPY or CSV file as the runtime reads them on one machine, of values in the
     * model's range or of 8-bit pixels.
     */
    public TrainingResult fitFiles(String path) {
        AutoencoderNetwork network = trainer.network();
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext());
        return run(SparkFailures.unwrap(() -> SampleRows.ofFiles(spark, path, network.inputShape(), network.range())));
    }

    /** The data the last {@code fit} validated on, held on the driver (its last samples, or the set given); null before one. */
    public dev.latent.runtime.data.Dataset validationData() {
        return lastData == null ? null : lastData.validation();
    }

    /** The last run's epoch timings: steps, seconds, and the time its tasks spent averaging. */
    List<SparkEpochs.Timings> timings() {
        return lastRun == null ? List.of() : lastRun.timings();
    }

    private TrainingResult run(SampleRows samples) {
        AutoencoderNetwork network = trainer.network();
        ShardedData data = SparkFailures.unwrap(() -> ShardedData.of(samples, partitions,
                trainer.training().validationSplit(), validation, network.inputShape(), network.range()));
        lastData = data;
        try {
            lastRun = new SparkEpochs(JavaSparkContext.fromSparkContext(session.sparkContext()), data, averaging, promptExchange);
            return trainer.fit(lastRun, data.validation());
        } finally {
            data.shards().unpersist(false);
        }
    }
}
