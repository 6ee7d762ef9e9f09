package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.Section;
import dev.latent.processor.shape.InferredLayer;
import dev.latent.processor.shape.InferredModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code latent:output-shape}: the decoder must give back the input's shape: the reconstruction
 * is compared with the input.
 */
final class OutputShape implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        List<Diagnostic> report = new ArrayList<>();
        List<InferredLayer> decoder = shapes.layers(Section.DECODER);
        if (decoder.isEmpty() || shapes.output().equals(shapes.input())) {
            return report;
        }
        InferredLayer last = decoder.get(decoder.size() - 1);
        Dims out = last.output();
        Dims in = shapes.input();
        String trace = shapes.code() + " -> " + decoder.stream()
                .map(l -> l.layer().method() + " " + l.output()).collect(Collectors.joining(" -> "));
        String difference;
        String fix;
        var at = last.layer().source();
        if (out.rank() != in.rank()) {
            difference = "rank " + out.rank() + " instead of " + in.rank();
            fix = "end the decoder with '@Reshape(" + in + ")'"
                    + (out.count() == in.count() ? "." : " after a layer of " + String.format("%,d", in.count()) + " values.");
        } else if (in.isImage() && out.height() == in.height() && out.width() == in.width()) {
            difference = "channels " + out.channels() + " instead of " + in.channels();
            fix = last.layer() instanceof Layer.Conv2D
                    ? "set filters = " + in.channels() + " on " + last.layer().method() + "."
                    : "end the decoder with a layer of " + in.channels() + " filters.";
            if (last.layer() instanceof Layer.Conv2D) {
                at = at.attribute("filters", "value");
            }
        } else if (in.isSequence() && out.steps() == in.steps()) {
            // Deliberately the image branch's twin: features for channels, @Conv1D for @Conv2D.
            difference = "features " + out.features() + " instead of " + in.features();
            fix = last.layer() instanceof Layer.Conv1D
                    ? "set filters = " + in.features() + " on " + last.layer().method() + "."
                    : "end the decoder with '@Conv1D(" + in.features() + ")'.";
            if (last.layer() instanceof Layer.Conv1D) {
                at = at.attribute("filters", "value");
            }
        } else if (in.isSequence()) {
            difference = out.steps() + " time steps instead of " + in.steps();
            fix = "change the strides or upsampling of the decoder so that it reaches " + in.steps()
                    + " time steps, or mirror the encoder's downsampling.";
        } else if (in.isImage()) {
            difference = "size " + out.height() + " x " + out.width() + " instead of " + in.height() + " x " + in.width();
            fix = "change the strides or upsampling of the decoder so that it reaches " + in.height() + " x " + in.width()
                    + ", or mirror the encoder's downsampling.";
        } else {
            difference = out.get(0) + " values instead of " + in.get(0);
            fix = last.layer() instanceof Layer.Dense
                    ? "set units = " + in.get(0) + " on " + last.layer().method() + "."
                    : "end the decoder with '@Dense(" + in.get(0) + ")'.";
            if (last.layer() instanceof Layer.Dense) {
                at = at.attribute("units", "value");
            }
        }
        report.add(Diagnostic.of(Message.OUTPUT_SHAPE, at, model.where(last.layer()), out, in, difference, trace, fix));
        return report;
    }
}
