package dev.latent.processor.rules;

import dev.latent.dsl.Activation;
import dev.latent.dsl.DataRange;
import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/**
 * {@code latent:output-activation-range}: a last activation that cannot reach the data's values
 * (docs/errors-and-warnings.md#output-activation-range). {@code calibrate activation}: on unit
 * data every activation trained; on data with negative values, those that cannot go below 0
 * collapsed, and so did {@code LEAKY_RELU} on [-1, 1].
 */
final class OutputActivationRange implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        Layer last = null;
        for (Layer layer : model.decoder()) {
            if (layer instanceof Layer.Activated || layer instanceof Layer.BatchNormalization) {
                last = layer;
            }
        }
        if (!(last instanceof Layer.Activated activated)) {
            return List.of();
        }
        Activation a = activated.activation();
        DataRange range = model.range();
        boolean negativeData = range == DataRange.SYMMETRIC || range == DataRange.UNBOUNDED;
        String problem = null;
        if (negativeData && (a == Activation.SIGMOID || a == Activation.RELU || a == Activation.SOFTPLUS)) {
            problem = "cannot go below 0";
        } else if (range == DataRange.SYMMETRIC && a == Activation.LEAKY_RELU) {
            problem = "reaches -1 only from inputs near -100 (its slope below 0 is 0.01)";
        }
        if (problem == null) {
            return List.of();
        }
        String suggested = range == DataRange.SYMMETRIC ? "TANH" : "IDENTITY";
        String fix = "activation = Activation." + suggested + " on " + last.method() + ".";
        return List.of(Diagnostic.of(Message.OUTPUT_ACTIVATION_RANGE, last.source().attribute("activation"),
                model.where(last), a, problem, range, "(@Autoencoder.range)", fix));
    }
}
