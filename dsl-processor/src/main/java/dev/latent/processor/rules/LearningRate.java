package dev.latent.processor.rules;

import dev.latent.dsl.Optimizer;
import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.TrainingSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/**
 * {@code latent:learning-rate}: a learning rate outside the band where its optimizer trained
 * (docs/errors-and-warnings.md#learning-rate, with the measurements).
 */
final class LearningRate implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        TrainingSpec t = model.training();
        Rates rates = Rates.of(t.optimizer());
        String where = model.displayName() + " @Training";
        if (t.learningRate() > rates.high()) {
            return List.of(Diagnostic.of(Message.LEARNING_RATE, t.source().attribute("learningRate"), where,
                    Numbers.format(t.learningRate()), "high", t.optimizer(), "above", Numbers.format(rates.high()),
                    "saturates and collapses towards the mean image", Numbers.format(rates.suggested())));
        }
        if (t.learningRate() < rates.low()) {
            return List.of(Diagnostic.of(Message.LEARNING_RATE, t.source().attribute("learningRate"), where,
                    Numbers.format(t.learningRate()), "low", t.optimizer(), "below", Numbers.format(rates.low()),
                    "learns too slowly to beat the mean image", Numbers.format(rates.suggested())));
        }
        return List.of();
    }

    /**
     * The band {@code calibrate learning-rate} measured per optimizer (10 epochs of the seed's dense
     * network on 4,000 digits, rates a decade apart). A rate is warned one decade beyond the last
     * that trained on the low side, where more epochs may still rescue a slow start, and at once on
     * the high side, where the output saturated and more epochs do not help.
     *
     * @param low the lowest rate without a warning
     * @param high the highest rate without a warning
     * @param suggested the rate that trained best
     */
    record Rates(double low, double high, double suggested) {
        static Rates of(Optimizer optimizer) {
            return switch (optimizer) {
                case ADAM, RMSPROP -> new Rates(1e-4, 1e-2, 1e-3);
                case SGD -> new Rates(1, 10, 10);
                case NESTEROVS -> new Rates(0.1, 1, 1);
            };
        }
    }
}
