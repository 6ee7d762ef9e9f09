package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.TrainingSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/** {@code latent:small-batch}: batches so small that training is slow (docs/errors-and-warnings.md#small-batch). */
final class SmallBatch implements ShapeRule {
    /**
     * Batches smaller than this: {@code calibrate batch} took 28 to 65 times batch 64's time per
     * epoch for them, and larger batches won at equal time. Nothing failed, so it stays at 8.
     */
    static final int SMALL_BATCH = 8;

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        TrainingSpec training = model.training();
        if (training.batchSize() >= SMALL_BATCH) {
            return List.of();
        }
        return List.of(Diagnostic.of(Message.SMALL_BATCH, training.source().attribute("batchSize"),
                model.displayName() + " @Training", training.batchSize(), SMALL_BATCH));
    }
}
