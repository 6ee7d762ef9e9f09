package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.check.Report;
import dev.latent.processor.model.ModelOutline;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.ShapeInference;
import java.util.List;

/**
 * Runs the rules in stages: the structure, the attribute values, shape inference and the rules
 * over its failure, the rules over complete shapes, then the warnings. A later stage runs only
 * when the earlier ones found no error it depends on, so a user sees each root cause once rather
 * than its echoes. The one place that knows the order of the rules and that suppresses warnings.
 */
public final class Validator {
    /** Of a type that is not an interface there is nothing more to say. */
    private static final List<StructureRule> KIND = List.of(new NotAnInterface());
    private static final List<StructureRule> STRUCTURE = List.of(
            new TwoRoles(),
            new SectionNotInterface(),
            new MissingSection(),
            new DuplicateSection(),
            new InheritedLayers(),
            new LayerBody(),
            new NotALayer(),
            new TwoLayers(),
            new LayerSignature(),
            new AliasConflict(),
            new MissingSize(),
            new EmptySection());
    private static final List<ModelRule> VALUES = List.of(
            new InputShape(),
            new AttributeRange(),
            new ReshapeTarget());
    /** Inference stops at its first failure: at most one of these speaks. */
    private static final List<ShapeRule> INFERENCE = List.of(
            new DenseInput(),
            new ImageInput(),
            new SequenceInput(),
            new FlattenInput(),
            new WindowTooLarge(),
            new WindowTooLong(),
            new TransposeKernel(),
            new ReshapeSize(),
            new TooLarge());
    private static final List<ShapeRule> SHAPES = List.of(
            new LayerParameters(),
            new ModelParameters(),
            new OutputShape(),
            new LossRange(),
            new CustomClass());
    private static final List<ShapeRule> WARNINGS = List.of(
            new NoiseTooStrong(),
            new NoiseTooWeak(),
            new StaticNoise(),
            new ShallowEncoder(),
            new NarrowCode(),
            new ShallowDecoder(),
            new OutputActivationRange(),
            new SmallBatch(),
            new LearningRate());

    private Validator() {}

    /**
     * The outcome of checking one model.
     *
     * @param model the model, or null when its structure allowed none
     * @param shapes its shapes, or null when they could not all be inferred
     * @param diagnostics every error and every warning not suppressed, in the order found
     */
    public record Checked(ModelSpec model, InferredModel shapes, List<Diagnostic> diagnostics) {

        /** Whether code is generated: a model, its shapes, and no error. */
        public boolean generates() {
            return model != null && shapes != null && diagnostics.stream().noneMatch(Diagnostic::isError);
        }
    }

    /** Checks what {@code outline} declares, then its model. */
    public static Checked check(ModelOutline outline) {
        Report report = new Report();
        KIND.forEach(rule -> report.addAll(rule.check(outline)));
        if (report.hasErrors()) {
            return new Checked(null, null, report.diagnostics());
        }
        STRUCTURE.forEach(rule -> report.addAll(rule.check(outline)));
        ModelSpec model = outline.model();
        if (model == null) {
            return new Checked(null, null, report.diagnostics());
        }
        return new Checked(model, check(model, report), report.diagnostics());
    }

    /** Checks {@code model} into {@code report}; returns its shapes when every layer's could be inferred. */
    private static InferredModel check(ModelSpec model, Report report) {
        VALUES.forEach(rule -> report.addAll(rule.check(model)));
        if (report.hasErrors() || model.encoder().isEmpty() || model.decoder().isEmpty()) {
            return null;
        }
        InferredModel shapes = ShapeInference.infer(model);
        INFERENCE.forEach(rule -> report.addAll(rule.check(model, shapes)));
        if (!shapes.complete()) {
            return null;
        }
        SHAPES.forEach(rule -> report.addAll(rule.check(model, shapes)));
        // Warnings only for a model that can work: a broken one has better things to fix first.
        if (!report.hasErrors()) {
            WARNINGS.forEach(rule -> report.addAll(unsuppressed(model, rule.check(model, shapes))));
        }
        return shapes;
    }

    /**
     * The warnings {@code @SuppressWarnings} on the model does not silence, each ending with how to
     * silence it. Errors cannot be silenced.
     */
    static List<Diagnostic> unsuppressed(ModelSpec model, List<Diagnostic> found) {
        return found.stream()
                .filter(d -> d.isError() || !model.suppressed().contains(d.message().code()))
                .map(d -> d.isError() ? d : d.followedBy(silence(model, d.message())))
                .toList();
    }

    private static String silence(ModelSpec model, Message message) {
        return " Silence with @SuppressWarnings(\"" + message.code() + "\") on " + model.displayName() + ".";
    }
}
