package dev.latent.processor.check;

import dev.latent.dsl.Activation;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.LossFunction;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import java.util.List;

/**
 * Binary cross-entropy takes the log of the output and of one minus it: outside [0, 1] the loss
 * is undefined, so both the data and the output activation must stay in [0, 1].
 */
public final class LossRangeCheck implements Check {

    @Override
    public void check(ModelSpec model, InferredModel shapes, Report report) {
        if (model.loss().custom() != null || model.loss().function() != LossFunction.BINARY_CROSSENTROPY) {
            return;
        }
        if (model.range() != DataRange.UNIT) {
            report.add(Message.LOSS_RANGE, model.loss().source().attribute("value"), model.displayName() + " @Loss",
                    "data range " + model.range(),
                    "use range = DataRange.UNIT, or LossFunction.MSE for " + model.range() + " data.");
        }
        Layer producer = lastValueChanging(model.decoder());
        if (producer instanceof Layer.Activated activated) {
            if (activated.activation() != Activation.SIGMOID) {
                report.add(Message.LOSS_RANGE, producer.source().attribute("activation"), model.where(producer),
                        "the output activation " + activated.activation() + " of " + producer.method(),
                        "set activation = Activation.SIGMOID on " + producer.method() + ", or use LossFunction.MSE.");
            }
        } else if (producer != null) {
            report.add(Message.LOSS_RANGE, producer.source(), model.where(producer),
                    "the output of " + producer.method() + " (" + producer.kind() + "), which is not bounded",
                    "end the decoder with a layer with activation = Activation.SIGMOID.");
        }
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
