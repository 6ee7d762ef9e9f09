package dev.latent.spark;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.settings.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * The training samples split into one {@link Shard} per partition, cached on the executors for
 * every epoch, and the validation samples (the last {@code validationSplit}, as Keras holds them
 * out) collected on the driver, where the trainer validates. Sample {@code i} of the training
 * part goes to partition {@code i mod partitions}, so the shards differ by one sample at most and
 * are the same from run to run.
 */
record ShardedData(JavaRDD<Shard> shards, int partitions, int trainSize, int smallestShard, INDArray mean,
        Scaling scaling, Dataset validation, Shape shape, DataRange range, String description) {

    /**
     * @param validation the validation data, or null to hold out the last {@code validationSplit} of {@code samples}
     */
    static ShardedData of(SampleRows samples, int partitions, double validationSplit, Dataset validation, Shape shape,
            DataRange range) {
        if (validation != null) {
            return of(samples, partitions, (int) samples.count(), validation, shape, range);
        }
        if (!(validationSplit > 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("training on Spark validates on the driver: set validationSplit "
                    + "between 0 and 1 (found " + validationSplit + "), the last fraction of the data held out");
        }
        long count = samples.count();
        int held = (int) Math.round(count * validationSplit);
        if (count > Integer.MAX_VALUE || held < 1 || held >= count) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "cannot hold out %s of %,d samples for "
                    + "validation", validationSplit, count));
        }
        int trainSize = (int) (count - held);
        return of(samples, partitions, trainSize, null, shape, range);
    }

    private static ShardedData of(SampleRows samples, int partitions, int trainSize, Dataset givenValidation,
            Shape shape, DataRange range) {
        Scaling scaling = samples.scaling();
        int size = (int) shape.size();
        int held = (int) (samples.count() - trainSize);

        JavaRDD<Shard> shards = samples.rows()
                .filter(row -> row._1() < trainSize)
                .partitionBy(new ByIndex(partitions))
                .mapPartitionsWithIndex((partition, rows) -> {
                    List<Tuple2<Long, float[]>> list = new ArrayList<>();
                    rows.forEachRemaining(list::add);
                    list.sort(Comparator.comparing(Tuple2::_1));
                    float[] values = new float[list.size() * size];
                    for (int i = 0; i < list.size(); i++) {
                        System.arraycopy(list.get(i)._2(), 0, values, i * size, size);
                    }
                    return List.of(new Shard(partition, list.size(), values)).iterator();
                }, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        // One pass over the shards: their sizes and the sum of their samples.
        List<Tuple2<Integer, double[]>> sums = shards.map(shard -> new Tuple2<>(shard.count(), sum(shard, size)))
                .collect();
        double[] total = new double[size];
        int smallest = Integer.MAX_VALUE;
        for (Tuple2<Integer, double[]> sum : sums) {
            smallest = Math.min(smallest, sum._1());
            for (int i = 0; i < size; i++) {
                total[i] += sum._2()[i];
            }
        }
        float[] mean = new float[size];
        for (int i = 0; i < size; i++) {
            mean[i] = (float) (total[i] / trainSize);
        }

        Dataset validation = givenValidation != null ? givenValidation : heldOut(samples, trainSize, held, shape, range);
        samples.rows().unpersist(false);
        String description = held == 0
                ? String.format(Locale.ROOT, "%s, in %d partitions", samples.description(), partitions)
                : String.format(Locale.ROOT, "the first %,d samples of %s, in %d partitions", trainSize,
                        samples.description(), partitions);
        return new ShardedData(shards, partitions, trainSize, smallest,
                Nd4j.createFromArray(mean).reshape('c', shape.batchShape(1)), scaling, validation, shape, range,
                description);
    }

    // The samples from trainSize on, collected on the driver in their order.
    private static Dataset heldOut(SampleRows samples, int trainSize, int held, Shape shape, DataRange range) {
        int size = (int) shape.size();
        List<Tuple2<Long, float[]>> rows = new ArrayList<>(samples.rows().filter(row -> row._1() >= trainSize).collect());
        rows.sort(Comparator.comparing(Tuple2::_1));
        float[] values = new float[rows.size() * size];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i)._2(), 0, values, i * size, size);
        }
        INDArray features = Nd4j.createFromArray(values).reshape('c', shape.batchShape(rows.size()));
        return Dataset.of(features, shape, range, String.format(Locale.ROOT, "the last %,d samples of %s", held,
                samples.description()), samples.scaling());
    }

    private static double[] sum(Shard shard, int size) {
        double[] sum = new double[size];
        float[] rows = shard.rows();
        for (int i = 0; i < rows.length; i++) {
            sum[i % size] += rows[i];
        }
        return sum;
    }

    /** Sample {@code i} to partition {@code i mod n}. */
    static final class ByIndex extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ByIndex(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) Math.floorMod((Long) key, (long) partitions);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ByIndex byIndex && byIndex.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
