package dev.latent.processor.check;

import dev.latent.processor.model.ModelSpec;
import java.util.List;

/**
 * Runs the checks in order: attribute ranges, then shape inference, then the rules over shapes.
 * A later stage runs only when the earlier ones found no error it depends on, so a user sees
 * each root cause once rather than its echoes.
 */
public final class Validator {
    private static final List<Check> SHAPE_CHECKS = List.of(
            new LayerParameterLimit(),
            new ModelParameterLimit(),
            new OutputShapeCheck(),
            new LossRangeCheck(),
            new CustomClassCheck());

    private Validator() {}

    /** Validates {@code model} into {@code report}; returns the shapes when every layer's could be inferred. */
    public static InferredModel validate(ModelSpec model, Report report) {
        AttributeRangeCheck.check(model, report);
        if (report.hasErrors() || model.encoder().isEmpty() || model.decoder().isEmpty()) {
            return null;
        }
        InferredModel shapes = ShapeInference.infer(model, report);
        if (!shapes.complete()) {
            return null;
        }
        for (Check check : SHAPE_CHECKS) {
            check.check(model, shapes, report);
        }
        // Warnings only for a model that can work: a broken one has better things to fix first.
        if (!report.hasErrors()) {
            new LintChecks().check(model, shapes, report);
        }
        return shapes;
    }
}
