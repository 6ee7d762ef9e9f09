package dev.latent.spark;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.DataFileException;
import dev.latent.runtime.data.Datasets;
import dev.latent.runtime.data.Samples;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Samples as Spark holds them, turned into rows of the engine's layout with a global index (the
 * order the data set or the sorted file names give): a {@code Dataset<Row>}'s array column, or
 * files in the formats the runtime reads (IDX, NPY, CSV), each read on an executor with the
 * runtime's own readers, so a bad file fails with the same one line as on one machine.
 *
 * @param rows index to the sample's values, flattened in the engine's layout, already in range
 * @param count the samples in all
 * @param scaling how the values were scaled: values as given, 8-bit pixels by the fixed rule, or
 *     the scaling of a data set distributed from memory
 */
record SampleRows(JavaPairRDD<Long, float[]> rows, long count, Scaling scaling, String description) {

    /** The array column {@code column} of {@code data}: each row one sample, its values in Keras order. */
    static SampleRows of(Dataset<Row> data, String column, Shape shape, DataRange range) {
        int field = fieldIndex(data, column);
        String source = "column '" + column + "' of the Spark data set";
        int[] dims = shape.dims();
        JavaPairRDD<Long, float[]> rows = data.toJavaRDD().zipWithIndex().mapToPair(pair -> {
            long index = pair._2();
            float[] values = values(pair._1(), field, source, index);
            String row = source + " (row " + (index + 1) + ")";
            if (values.length != Shape.of(dims).size()) {
                throw new DataFileException(row, values.length + " values, but the model takes samples of "
                        + Shape.of(dims) + " (" + Shape.of(dims).size() + " values)");
            }
            float[] engine = Datasets.fromFloats(values, 1, Shape.of(dims), range, row).features().dup('c').data().asFloat();
            return new Tuple2<>(index, engine);
        });
        rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
        long count = rows.count();
        return new SampleRows(rows, count, Scaling.identity(shape, range), String.format(Locale.ROOT,
                "%s (%,d samples of %s)", source, count, shape));
    }

    /** A data set held in the driver's memory, sent to the executors as it is (scaled, in the engine's layout). */
    static SampleRows of(JavaSparkContext spark, dev.latent.runtime.data.Dataset data) {
        int size = (int) data.sampleShape().size();
        float[] values = data.features().dup('c').data().asFloat();
        List<Tuple2<Long, float[]>> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            float[] row = new float[size];
            System.arraycopy(values, i * size, row, 0, size);
            rows.add(new Tuple2<>((long) i, row));
        }
        return new SampleRows(spark.parallelizePairs(rows), data.size(), data.scaling(), data.description());
    }

    /**
     * The files {@code path} names (a file, a folder, or a pattern Hadoop expands: {@code data/*.npy}),
     * read whole by {@code SparkContext.binaryFiles}, each by the runtime's reader for its extension.
     */
    static SampleRows ofFiles(JavaSparkContext spark, String path, Shape shape, DataRange range) {
        int[] dims = shape.dims();
        JavaRDD<FileSamples> files = spark.binaryFiles(path)
                .map(file -> FileSamples.read(file._1(), file._2(), Shape.of(dims), range))
                .persist(StorageLevel.MEMORY_AND_DISK());
        // Only names, counts and scalings come back: the global index follows the sorted names.
        List<FileSamples.Summary> summaries = new ArrayList<>(files.map(FileSamples::summary).collect());
        if (summaries.isEmpty()) {
            throw new IllegalArgumentException(path + ": no files; name a file, a folder or a pattern such as data/*.npy");
        }
        summaries.sort(Comparator.comparing(FileSamples.Summary::path));
        Scaling.Kind kind = summaries.get(0).scaling();
        Map<String, Long> offsets = new TreeMap<>();
        long count = 0;
        for (FileSamples.Summary summary : summaries) {
            if (summary.scaling() != kind) {
                throw new DataFileException(summary.path(), "values " + describe(summary.scaling()) + ", but "
                        + summaries.get(0).path() + " holds values " + describe(kind) + "; give files of one kind");
            }
            offsets.put(summary.path(), count);
            count += summary.count();
        }
        Map<String, Long> starts = Map.copyOf(offsets);
        int size = (int) shape.size();
        JavaPairRDD<Long, float[]> rows = files.flatMapToPair(file -> {
            long start = starts.get(file.path());
            List<Tuple2<Long, float[]>> out = new ArrayList<>(file.count());
            for (int i = 0; i < file.count(); i++) {
                float[] row = new float[size];
                System.arraycopy(file.rows(), i * size, row, 0, size);
                out.add(new Tuple2<>(start + i, row));
            }
            return out.iterator();
        });
        return new SampleRows(rows, count, scaling(kind, shape, range), String.format(Locale.ROOT, "%s (%,d files, %,d samples of %s)", path,
                summaries.size(), count, shape));
    }

    private static Scaling scaling(Scaling.Kind kind, Shape shape, DataRange range) {
        if (kind == Scaling.Kind.PIXELS) {
            // The fixed rule for 8-bit pixels, as the runtime fits it on any pixel data.
            return Scaling.fit(Samples.of(new float[(int) shape.size()], 1, shape, true, "pixels", "pixels"), range);
        }
        return Scaling.identity(shape, range);
    }

    private static String describe(Scaling.Kind kind) {
        return kind == Scaling.Kind.PIXELS ? "of 8-bit pixels" : "taken as given";
    }

    private static int fieldIndex(Dataset<Row> data, String column) {
        List<String> names = List.of(data.columns());
        if (!names.contains(column)) {
            throw new IllegalArgumentException("the data set has no column '" + column + "'; its columns are " + names
                    + ": name the array column that holds the samples");
        }
        return names.indexOf(column);
    }

    private static float[] values(Row row, int field, String source, long index) {
        if (row.isNullAt(field)) {
            throw new DataFileException(source + " (row " + (index + 1) + ")", "null: expected an array of numbers");
        }
        Object value = row.get(field);
        List<?> list;
        if (value instanceof scala.collection.Seq<?> seq) {
            list = scala.jdk.javaapi.CollectionConverters.asJava(seq);
        } else if (value instanceof List<?> javaList) {
            list = javaList;
        } else {
            throw new DataFileException(source + " (row " + (index + 1) + ")", "a " + value.getClass().getSimpleName()
                    + ": expected an array of numbers (array<float> or array<double>)");
        }
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) {
            if (!(list.get(i) instanceof Number number)) {
                throw new DataFileException(source + " (row " + (index + 1) + ")", "element " + (i + 1) + " is "
                        + list.get(i) + ": expected a number");
            }
            values[i] = number.floatValue();
        }
        return values;
    }

    /** One file's samples, read on an executor. */
    record FileSamples(String path, int count, float[] rows, Scaling.Kind scaling) implements Serializable {
        record Summary(String path, long count, Scaling.Kind scaling) implements Serializable {}

        Summary summary() {
            return new Summary(path, count, scaling);
        }

        static FileSamples read(String path, PortableDataStream stream, Shape shape, DataRange range) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            Path copy = null;
            try {
                // The runtime's readers take a path, and pick the format by its extension.
                copy = Files.createTempFile("latent-", "-" + name);
                try (InputStream in = stream.open()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                Samples samples;
                try {
                    samples = Datasets.read(copy, shape);
                } catch (DataFileException e) {
                    throw new DataFileException(path, e.problem(), e);
                }
                // Unbounded data is standardised by a fit over all of it, which no one file can make: values as given.
                Scaling scaling = range.isBounded() ? Scaling.fit(samples, range)
                        : Scaling.identity(samples.sampleShape(), range);
                if (scaling.kind() != Scaling.Kind.IDENTITY && scaling.kind() != Scaling.Kind.PIXELS) {
                    throw new DataFileException(path, "values outside DataRange." + range + " need a scaling fitted on"
                            + " the whole data set (" + scaling.kind() + "), which files trained on Spark do not"
                            + " share; scale them into the model's range first");
                }
                float[] rows = scaling.apply(samples.features()).dup('c').data().asFloat();
                return new FileSamples(path, samples.size(), rows, scaling.kind());
            } catch (IOException e) {
                throw new UncheckedIOException(path + ": cannot read it (" + e.getMessage() + ")", e);
            } finally {
                if (copy != null) {
                    try {
                        Files.deleteIfExists(copy);
                    } catch (IOException ignored) {
                        // A temporary file left behind is the operating system's to clean.
                    }
                }
            }
        }
    }
}
