package dev.latent.processor.check;

import dev.latent.processor.model.Counts;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import java.util.Arrays;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Every layer's output must fit in one array per sample. Shape inference asks this rule for each
 * shape a layer makes larger than its input, before the shape exists: its sizes are computed in
 * {@code long} without wrapping, and a layer past the limit is an error on the attribute that
 * makes it so large, with the largest value that fits.
 */
final class OutputSizeLimit {
    /**
     * The most values one sample may hold after any layer. The runtime's {@code Shape} and the
     * generated {@code CODE_SIZE} hold sizes as {@code int}s, a flattened sample's size included,
     * and Latent's engine copies a batch's output into a Java {@code float[]}, which holds at most
     * {@code Integer.MAX_VALUE} values: one sample must fit at the least.
     */
    static final long MAX_VALUES_PER_SAMPLE = Integer.MAX_VALUE;

    private OutputSizeLimit() {}

    /**
     * The shape {@code shapeOf(value)} that {@code layer} makes of {@code input} with its attribute
     * {@code attribute} set to {@code value}, when it fits; otherwise null, with the error in
     * {@code report}. {@code shapeOf} must grow with the attribute.
     */
    static Dims fit(ModelSpec model, Layer layer, Dims input, String attribute, int value, LongFunction<long[]> shapeOf,
            Report report) {
        long[] shape = shapeOf.apply(value);
        long count = Counts.product(shape);
        if (count <= MAX_VALUES_PER_SAMPLE) {
            return Dims.of(Arrays.stream(shape).mapToInt(Math::toIntExact).toArray());
        }
        int largest = Counts.largest(v -> Counts.product(shapeOf.apply(v)), MAX_VALUES_PER_SAMPLE);
        String fix = largest >= 1
                ? String.format(java.util.Locale.ROOT, "lower %s to %,d or less, or downsample before it.", attribute, largest)
                : "downsample before it; even " + attribute + " = 1 is too large on its input " + input + ".";
        String[] names = attribute.equals("strides") || attribute.equals("kernel")
                ? new String[] {attribute} : new String[] {attribute, "value"};
        report.add(Message.TOO_LARGE, layer.source().attribute(names), model.where(layer),
                Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "{", "}")),
                Counts.describe(count), MAX_VALUES_PER_SAMPLE, fix);
        return null;
    }
}
