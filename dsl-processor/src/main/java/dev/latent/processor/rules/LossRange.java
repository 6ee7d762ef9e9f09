package dev.latent.processor.rules;

import dev.latent.dsl.Activation;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.LossFunction;
import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code latent:loss-range}: binary cross-entropy takes the log of the output and of one minus it: outside [0, 1] the loss
 * is undefined, so both the data and the output activation must stay in [0, 1].
 */
final class LossRange implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        List<Diagnostic> report = new ArrayList<>();
        if (model.loss().custom() != null || model.loss().function() != LossFunction.BINARY_CROSSENTROPY) {
            return report;
        }
        if (model.range() != DataRange.UNIT) {
            report.add(Diagnostic.of(Message.LOSS_RANGE, model.loss().source().attribute("value"), model.displayName() + " @Loss",
                    "data range " + model.range(),
                    "use range = DataRange.UNIT, or LossFunction.MSE for " + model.range() + " data."));
        }
        Layer producer = lastValueChanging(model.decoder());
        if (producer instanceof Layer.Activated activated) {
            if (activated.activation() != Activation.SIGMOID) {
                report.add(Diagnostic.of(Message.LOSS_RANGE, producer.source().attribute("activation"), model.where(producer),
                        "the output activation " + activated.activation() + " of " + producer.method(),
                        "set activation = Activation.SIGMOID on " + producer.method() + ", or use LossFunction.MSE."));
            }
        } else if (producer != null) {
            report.add(Diagnostic.of(Message.LOSS_RANGE, producer.source(), model.where(producer),
                    "the output of " + producer.method() + " (" + producer.kind() + "), which is not bounded",
                    "end the decoder with a layer with activation = Activation.SIGMOID."));
        }
        return report;
    }

    /** The last decoder layer that can change the range of values: not a reshape, pooling or dropout. */
    private static Layer lastValueChanging(List<Layer> decoder) {
        for (int i = decoder.size() - 1; i >= 0; i--) {
            Layer layer = decoder.get(i);
            if (layer instanceof Layer.Activated || layer instanceof Layer.BatchNormalization) {
                return layer;
            }
        }
        return null;
    }
}
