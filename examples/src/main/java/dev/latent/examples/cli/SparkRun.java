package dev.latent.examples.cli;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.TrainingResult;
import dev.latent.spark.SparkTraining;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * {@code train MODEL --master URL}: the run's epochs on Apache Spark, everything else (checkpoints,
 * resume, report) as on one machine. {@code --data mnist} or {@code fashion-mnist} is read here and
 * sent to the executors; a {@code .parquet} path is read by Spark, its {@code --column} holding
 * the samples; any other path (a file, a folder, a pattern, {@code hdfs://...}) is read by Spark
 * file by file with the runtime's IDX, NPY and CSV readers.
 */
final class SparkRun {
    /** The result, and the validation data the report shows samples of. */
    record Outcome(TrainingResult result, Dataset validation) {}

    private SparkRun() {}

    static Outcome train(AutoencoderNetwork network, DenoisingTrainer<?> trainer, String master, Integer partitions,
            String data, String column, DataSources.Windows windows, PrintStream print) {
        SparkSession session = SparkSession.builder().master(master).appName("latent train " + network.modelName())
                .config("spark.ui.showConsoleProgress", "false").getOrCreate();
        try {
            SparkTraining training = SparkTraining.of(trainer, session);
            if (partitions != null) {
                training.partitions(partitions);
            }
            print.printf(Locale.ROOT, "training on Spark %s (%s), %d partitions%n", session.version(), master,
                    partitions != null ? partitions : session.sparkContext().defaultParallelism());
            if (data.equals("mnist") || data.equals("fashion-mnist")) {
                DataSources.TrainTest sets = DataSources.load(data, network.range(), network.inputShape(),
                        trainer.training().validationSplit(), windows);
                if (sets.test() != null) {
                    training.validation(sets.test());
                }
                return new Outcome(training.fit(sets.train()), training.validationData());
            }
            TrainingResult result = data.toLowerCase(Locale.ROOT).endsWith(".parquet")
                    ? training.fitParquet(data, column)
                    : training.fitFiles(data);
            return new Outcome(result, training.validationData());
        } finally {
            session.stop();
        }
    }
}
