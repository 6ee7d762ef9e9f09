package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** {@code latent:reshape-target}: a {@code @Reshape} target that is not a vector, sequence or image of sizes at least 1. */
final class ReshapeTarget implements ModelRule {

    @Override
    public List<Diagnostic> check(ModelSpec model) {
        return Stream.concat(model.encoder().stream(), model.decoder().stream())
                .filter(layer -> layer instanceof Layer.Reshape r && !valid(r.target().toArray()))
                .map(layer -> {
                    int[] target = ((Layer.Reshape) layer).target().toArray();
                    return Diagnostic.of(Message.BAD_RESHAPE_TARGET, layer.source().attribute("value"), model.where(layer),
                            InputShape.dims(target), target.length);
                })
                .toList();
    }

    private static boolean valid(int[] target) {
        return target.length >= 1 && target.length <= 3 && Arrays.stream(target).allMatch(d -> d >= 1);
    }
}
