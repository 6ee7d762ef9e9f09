package dev.latent.spark;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.Replicas;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.train.EpochBatches;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;
import scala.runtime.AbstractFunction1;

/**
 * The trainer's epochs on Spark: each is one barrier stage, one task per shard, every task a
 * replica of the driver's engine; at its end the driver's engine takes the replicas' shared
 * training state, and the trainer goes on as on one machine.
 */
final class SparkEpochs implements EpochBatches {
    private static final Logger LOG = LoggerFactory.getLogger(SparkEpochs.class);

    /** One epoch's timings, for the measurements in docs/spark.md. */
    record Timings(int epoch, int steps, double seconds, double taskSeconds, double exchangeSeconds) {
        /** The exchange's share of a task's time in milliseconds per step: the averaging's overhead. */
        double exchangeMillisPerStep() {
            return steps == 0 ? 0 : exchangeSeconds * 1e3 / steps;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "epoch %d: %d steps in %.2f s (tasks %.2f s, of which exchanges %.2f s, "
                    + "%.2f ms a step)", epoch, steps, seconds, taskSeconds, exchangeSeconds, exchangeMillisPerStep());
        }
    }

    private final JavaSparkContext spark;
    private final ShardedData data;
    private final Averaging averaging;
    private final boolean promptExchange;
    private final List<Timings> timings = new ArrayList<>();

    SparkEpochs(JavaSparkContext spark, ShardedData data, Averaging averaging, boolean promptExchange) {
        this.spark = spark;
        this.data = data;
        this.averaging = averaging;
        this.promptExchange = promptExchange;
    }

    List<Timings> timings() {
        return List.copyOf(timings);
    }

    @Override
    public int size() {
        return data.trainSize();
    }

    @Override
    public Shape sampleShape() {
        return data.shape();
    }

    @Override
    public DataRange range() {
        return data.range();
    }

    @Override
    public INDArray mean() {
        return data.mean();
    }

    @Override
    public Scaling scaling() {
        return data.scaling();
    }

    @Override
    public String description() {
        return data.description();
    }

    @Override
    public Result train(Engine engine, Epoch epoch) {
        long start = System.nanoTime();
        int steps = ShardBatches.steps(data.trainSize(), epoch.settings().batchSize());
        if (epoch.batchLimit() > 0) {
            steps = Math.min(steps, epoch.batchLimit());
        }
        if (data.smallestShard() < steps) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a partition holds %,d samples, fewer than "
                    + "the %,d steps of an epoch (%,d samples in batches of %,d): each step takes a part of every "
                    + "partition, so use fewer partitions or a larger batch size", data.smallestShard(), steps,
                    data.trainSize(), epoch.settings().batchSize()));
        }
        EpochTask.Plan plan = new EpochTask.Plan(data.shape().dims(), data.range(), NoiseSpec.of(epoch.noise()),
                epoch.settings().seed(), epoch.number(), steps, epoch.learningRate(), averaging, promptExchange);
        Broadcast<byte[]> model = spark.broadcast(EngineBytes.of(engine));
        List<EpochTask.Result> results;
        try {
            ClassTag<EpochTask.Result> tag = ClassTag$.MODULE$.apply(EpochTask.Result.class);
            RDD<EpochTask.Result> stage = data.shards().rdd().barrier()
                    .mapPartitions(new RunTask(new EpochTask(model, plan)), false, tag);
            // Through a shuffle, so that the barrier stage is a map stage, which Spark retries as a
            // whole when a task fails; a failed barrier result stage is never retried.
            results = SparkFailures.unwrap(() -> new JavaRDD<>(stage, tag)
                    .mapToPair(result -> new Tuple2<>(result.partition(), result))
                    .partitionBy(new HashPartitioner(1))
                    .values()
                    .collect());
        } finally {
            model.destroy();
        }
        double lossSum = 0;
        long samples = 0;
        boolean nonFinite = false;
        double taskSeconds = 0;
        double exchangeSeconds = 0;
        EpochTask.Result first = null;
        for (EpochTask.Result result : results) {
            lossSum += result.lossSum();
            samples += result.samples();
            nonFinite |= result.nonFinite();
            taskSeconds = Math.max(taskSeconds, result.trainNanos() / 1e9);
            exchangeSeconds = Math.max(exchangeSeconds, result.exchangeNanos() / 1e9);
            if (result.partition() == 0) {
                first = result;
            }
        }
        if (first == null) {
            throw new IllegalStateException("no result from partition 0 of epoch " + epoch.number());
        }
        Replicas.restore(engine, EpochTask.array(first.parameters()), EpochTask.array(first.updaterState()),
                first.iterations());
        Timings timing = new Timings(epoch.number(), first.steps(), (System.nanoTime() - start) / 1e9, taskSeconds,
                exchangeSeconds);
        timings.add(timing);
        LOG.debug("{}", timing);
        return new Result(lossSum, samples, first.steps(), nonFinite);
    }

    /** The epoch task as the Scala function {@code RDDBarrier.mapPartitions} takes. */
    private static final class RunTask
            extends AbstractFunction1<scala.collection.Iterator<Shard>, scala.collection.Iterator<EpochTask.Result>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final EpochTask task;

        RunTask(EpochTask task) {
            this.task = task;
        }

        @Override
        public scala.collection.Iterator<EpochTask.Result> apply(scala.collection.Iterator<Shard> shards) {
            return CollectionConverters.asScala(task.run(CollectionConverters.asJava(shards)));
        }
    }
}
