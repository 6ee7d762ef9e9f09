package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.ShapeError;
import java.util.List;

/**
 * A rule that reports one kind of {@link ShapeError}: inference stops at its first failure, so at
 * most one of these rules speaks for a model, once. Its subclasses are deliberately alike (a
 * constructor naming the failure, a {@code describe}): one class per rule, named after its code.
 *
 * @param <E> the failure this rule reports
 */
abstract class InferenceRule<E extends ShapeError> implements ShapeRule {
    private final Class<E> failure;

    InferenceRule(Class<E> failure) {
        this.failure = failure;
    }

    @Override
    public final List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        return failure.isInstance(shapes.failure()) ? List.of(describe(model, failure.cast(shapes.failure()))) : List.of();
    }

    /** The message for {@code e}, at the attribute or layer at fault. */
    abstract Diagnostic describe(ModelSpec model, E e);
}
