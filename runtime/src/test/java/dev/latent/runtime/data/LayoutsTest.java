package dev.latent.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.latent.runtime.settings.Shape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras order in and out, the engine's layout in between, for every kind of sample. */
class LayoutsTest {

    @Test
    void aSequenceIsHeldFeaturesFirstAndComesBackInKerasOrder() {
        // One sample {T = 3, F = 2}: step t holds (t, 10 + t).
        float[] keras = {0, 10, 1, 11, 2, 12};
        Shape shape = Shape.of(3, 2);
        INDArray engine = Layouts.toEngine(keras, 1, shape);
        assertArrayEquals(new long[] {1, 2, 3}, engine.shape());
        assertArrayEquals(shape.batchShape(1), engine.shape());
        assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12}, engine.ravel().toFloatVector());
        assertArrayEquals(keras, Layouts.reshape(engine, shape, Shape.of(6)).ravel().toFloatVector());
        // To an image {3, 1, 2} and back: Keras order survives both ways.
        INDArray image = Layouts.reshape(engine, shape, Shape.of(3, 1, 2));
        assertArrayEquals(keras, Layouts.reshape(image, Shape.of(3, 1, 2), Shape.of(6)).ravel().toFloatVector());
        assertArrayEquals(engine.ravel().toFloatVector(),
                Layouts.reshape(Layouts.reshape(engine, shape, Shape.of(6)), Shape.of(6), shape).ravel().toFloatVector());
    }

    @Test
    void aSequenceOfOneFeatureIsAlreadyInTheEnginesOrder() {
        float[] keras = {1, 2, 3, 4};
        INDArray engine = Layouts.toEngine(keras, 2, Shape.of(2, 1));
        assertArrayEquals(new long[] {2, 1, 2}, engine.shape());
        assertArrayEquals(keras, engine.ravel().toFloatVector());
    }
}
