package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Counts;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.ShapeError;
import dev.latent.processor.shape.ShapeInference;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code latent:too-large}: a layer whose output holds more values per sample than fit in one
 * array ({@link ShapeInference#MAX_VALUES_PER_SAMPLE}), reported on the attribute that makes it so
 * large, with the largest value that fits.
 */
final class TooLarge extends InferenceRule<ShapeError.OutputTooLarge> {

    TooLarge() {
        super(ShapeError.OutputTooLarge.class);
    }

    @Override
    Diagnostic describe(ModelSpec model, ShapeError.OutputTooLarge e) {
        String attribute = e.attribute();
        String fix = e.largest() >= 1
                ? String.format(Locale.ROOT, "lower %s to %,d or less, or downsample before it.", attribute, e.largest())
                : "downsample before it; even " + attribute + " = 1 is too large on its input " + e.input() + ".";
        String[] names = attribute.equals("strides") || attribute.equals("kernel")
                ? new String[] {attribute} : new String[] {attribute, "value"};
        return Diagnostic.of(Message.TOO_LARGE, e.layer().source().attribute(names), model.where(e.layer()),
                e.shape().stream().map(String::valueOf).collect(Collectors.joining(", ", "{", "}")),
                Counts.describe(e.count()), ShapeInference.MAX_VALUES_PER_SAMPLE, fix);
    }
}
