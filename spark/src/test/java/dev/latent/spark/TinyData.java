package dev.latent.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** 8x8 images of a bright bar at a random place and angle on a dark ground, in [0, 1], in Keras order. */
final class TinyData {
    static final int SIZE = 8;

    private TinyData() {}

    static float[][] images(int count, long seed) {
        Random random = new Random(seed);
        float[][] images = new float[count][SIZE * SIZE];
        for (int n = 0; n < count; n++) {
            boolean across = random.nextBoolean();
            int at = random.nextInt(SIZE);
            float brightness = 0.6f + 0.4f * random.nextFloat();
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    boolean on = across ? y == at || y == (at + 1) % SIZE : x == at || x == (at + 1) % SIZE;
                    images[n][y * SIZE + x] = on ? brightness : 0.1f * random.nextFloat();
                }
            }
        }
        return images;
    }

    static float[] flat(float[][] images) {
        float[] values = new float[images.length * SIZE * SIZE];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, values, i * SIZE * SIZE, SIZE * SIZE);
        }
        return values;
    }

    /** The images as a data set with an array<float> column {@code pixels}, in their order. */
    static Dataset<Row> dataset(SparkSession spark, float[][] images) {
        List<Row> rows = new ArrayList<>();
        for (float[] image : images) {
            Float[] boxed = new Float[image.length];
            for (int i = 0; i < image.length; i++) {
                boxed[i] = image[i];
            }
            rows.add(RowFactory.create((Object) boxed));
        }
        StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType), false);
        return spark.createDataFrame(rows, schema);
    }
}
