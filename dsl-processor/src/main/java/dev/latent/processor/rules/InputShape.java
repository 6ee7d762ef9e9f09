package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.SourceRef;
import dev.latent.processor.shape.ShapeInference;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code latent:input-shape}: an {@code inputShape} that is not {@code {N}}, {@code {T, F}} or
 * {@code {H, W, C}} with every size at least 1 and at most {@link ShapeInference#MAX_VALUES_PER_SAMPLE}
 * values in all. Shape inference assumes it holds.
 */
final class InputShape implements ModelRule {

    @Override
    public List<Diagnostic> check(ModelSpec model) {
        int[] shape = model.inputShape();
        SourceRef at = model.source().attribute("inputShape");
        String problem = null;
        if (shape.length == 0 || shape.length > 3) {
            problem = "rank " + shape.length;
        } else if (Arrays.stream(shape).anyMatch(d -> d < 1)) {
            problem = "a size below 1";
        } else if (Dims.of(shape).count() > ShapeInference.MAX_VALUES_PER_SAMPLE) {
            problem = "more than " + ShapeInference.MAX_VALUES_PER_SAMPLE + " values per sample";
        }
        return problem == null ? List.of()
                : List.of(Diagnostic.of(Message.BAD_INPUT_SHAPE, at, model.displayName(), dims(shape), problem));
    }

    /** Sizes as a user writes them: {@code {28, 28, 1}}. */
    static String dims(int[] sizes) {
        return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(", ", "{", "}"));
    }
}
