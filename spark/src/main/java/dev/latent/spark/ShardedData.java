package dev.latent.spark;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.Shape;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Samples;
import dev.latent.runtime.data.Scaling;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
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

    static ShardedData of(SampleRows samples, int partitions, double validationSplit, Shape shape, DataRange range) {
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
        Scaling scaling = scaling(samples.scaling(), shape, range);
        int size = (int) shape.size();

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

        List<Tuple2<Long, float[]>> validationRows = new ArrayList<>(samples.rows()
                .filter(row -> row._1() >= trainSize).collect());
        validationRows.sort(Comparator.comparing(Tuple2::_1));
        float[] values = new float[validationRows.size() * size];
        for (int i = 0; i < validationRows.size(); i++) {
            System.arraycopy(validationRows.get(i)._2(), 0, values, i * size, size);
        }
        INDArray features = Nd4j.createFromArray(values).reshape('c', shape.batchShape(validationRows.size()));
        Dataset validation = Dataset.of(features, shape, range, String.format(Locale.ROOT,
                "the last %,d samples of %s", held, samples.description()), scaling);
        samples.rows().unpersist(false);
        return new ShardedData(shards, partitions, trainSize, smallest,
                Nd4j.createFromArray(mean).reshape('c', shape.batchShape(1)), scaling, validation, shape, range,
                String.format(Locale.ROOT, "the first %,d samples of %s, in %d partitions", trainSize,
                        samples.description(), partitions));
    }

    private static double[] sum(Shard shard, int size) {
        double[] sum = new double[size];
        float[] rows = shard.rows();
        for (int i = 0; i < rows.length; i++) {
            sum[i % size] += rows[i];
        }
        return sum;
    }

    private static Scaling scaling(Scaling.Kind kind, Shape shape, DataRange range) {
        if (kind == Scaling.Kind.PIXELS) {
            // The fixed rule for 8-bit pixels, as the runtime fits it on any pixel data.
            return Scaling.fit(Samples.of(new float[(int) shape.size()], 1, shape, true, "pixels", "pixels"), range);
        }
        return Scaling.identity(shape, range);
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
