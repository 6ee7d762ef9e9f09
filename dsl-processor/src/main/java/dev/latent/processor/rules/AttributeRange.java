package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.NoiseSpec;
import dev.latent.processor.model.SourceRef;
import dev.latent.processor.model.TrainingSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code latent:attribute-range}: every attribute within its range: sizes at least 1, rates and
 * fractions in [0, 1), a block size that fits the input, and so on. The input shape and reshape
 * targets have rules of their own ({@link InputShape}, {@link ReshapeTarget}). Shape inference
 * assumes these hold.
 */
final class AttributeRange implements ModelRule {

    /** Checks every layer, the noise and the training settings. */
    @Override
    public List<Diagnostic> check(ModelSpec model) {
        List<Diagnostic> report = new ArrayList<>();
        for (Layer layer : model.encoder()) {
            checkLayer(model, layer, report);
        }
        for (Layer layer : model.decoder()) {
            checkLayer(model, layer, report);
        }
        checkNoise(model, model.noise(), report);
        checkTraining(model, model.training(), report);
        return report;
    }

    private static void checkLayer(ModelSpec model, Layer layer, List<Diagnostic> report) {
        String where = model.where(layer);
        SourceRef at = layer.source();
        if (layer instanceof Layer.Dense d) {
            atLeast(report, at.attribute("units", "value"), where, "units", d.units(), 1);
        } else if (layer instanceof Layer.Conv2D c) {
            convolution(report, at, where, c.filters(), c.kernel(), c.strides());
        } else if (layer instanceof Layer.Conv1D c) {
            convolution(report, at, where, c.filters(), c.kernel(), c.strides());
        } else if (layer instanceof Layer.MaxPool1D p) {
            pooling(report, at, where, p.size(), p.strides());
        } else if (layer instanceof Layer.UpSampling1D u) {
            atLeast(report, at.attribute("size", "value"), where, "size", u.size(), 1);
        } else if (layer instanceof Layer.Lstm l) {
            atLeast(report, at.attribute("units", "value"), where, "units", l.units(), 1);
        } else if (layer instanceof Layer.MaxPool2D p) {
            pooling(report, at, where, p.size(), p.strides());
        } else if (layer instanceof Layer.UpSampling2D u) {
            atLeast(report, at.attribute("size", "value"), where, "size", u.size(), 1);
        } else if (layer instanceof Layer.Dropout d) {
            fraction(report, at.attribute("rate", "value"), where, "rate", d.rate());
        } else if (layer instanceof Layer.BatchNormalization b) {
            fraction(report, at.attribute("momentum"), where, "momentum", b.momentum());
            if (!(b.epsilon() > 0) || !Double.isFinite(b.epsilon())) {
                report.add(Diagnostic.of(Message.OUT_OF_RANGE, at.attribute("epsilon"), where, "epsilon", b.epsilon(), "a number greater than 0"));
            }
        }
    }

    private static void convolution(List<Diagnostic> report, SourceRef at, String where, int filters, int kernel, int strides) {
        atLeast(report, at.attribute("filters", "value"), where, "filters", filters, 1);
        atLeast(report, at.attribute("kernel"), where, "kernel", kernel, 1);
        atLeast(report, at.attribute("strides"), where, "strides", strides, 1);
    }

    private static void pooling(List<Diagnostic> report, SourceRef at, String where, int size, int strides) {
        atLeast(report, at.attribute("size", "value"), where, "size", size, 1);
        atLeast(report, at.attribute("strides"), where, "strides", strides, 0);
    }

    private static void checkNoise(ModelSpec model, NoiseSpec noise, List<Diagnostic> report) {
        String where = model.displayName() + " @Noise";
        SourceRef at = noise.source();
        if (!(noise.gaussian() >= 0) || !Double.isFinite(noise.gaussian())) {
            report.add(Diagnostic.of(Message.OUT_OF_RANGE, at.attribute("gaussian"), where, "gaussian", noise.gaussian(),
                    "a standard deviation of 0 or more"));
        }
        fraction(report, at.attribute("masking"), where, "masking", noise.masking());
        fraction(report, at.attribute("saltAndPepper"), where, "saltAndPepper", noise.saltAndPepper());
        fraction(report, at.attribute("blockMasking"), where, "blockMasking", noise.blockMasking());
        if (noise.blockMasking() > 0) {
            int[] shape = model.inputShape();
            // Blocks are squares on an image, spans of values on a vector and of time steps on a sequence.
            int side = shape.length == 3 ? Math.min(shape[0], shape[1]) : shape.length >= 1 ? shape[0] : 1;
            if (noise.blockSize() < 1 || noise.blockSize() > side) {
                report.add(Diagnostic.of(Message.OUT_OF_RANGE, at.attribute("blockSize"), where, "blockSize", noise.blockSize(),
                        "from 1 to " + side + ", the input's " + (shape.length == 3 ? "smaller side"
                                : shape.length == 2 ? "time steps" : "length")));
            }
        }
    }

    private static void checkTraining(ModelSpec model, TrainingSpec t, List<Diagnostic> report) {
        String where = model.displayName() + " @Training";
        SourceRef at = t.source();
        atLeast(report, at.attribute("epochs"), where, "epochs", t.epochs(), 1);
        atLeast(report, at.attribute("batchSize"), where, "batchSize", t.batchSize(), 1);
        atLeast(report, at.attribute("earlyStoppingPatience"), where, "earlyStoppingPatience", t.earlyStoppingPatience(), 0);
        if (!(t.learningRate() > 0) || !Double.isFinite(t.learningRate())) {
            report.add(Diagnostic.of(Message.OUT_OF_RANGE, at.attribute("learningRate"), where, "learningRate", t.learningRate(),
                    "a number greater than 0, such as 1e-3"));
        }
        fraction(report, at.attribute("validationSplit"), where, "validationSplit", t.validationSplit());
    }

    private static void atLeast(List<Diagnostic> report, SourceRef at, String where, String name, long value, long min) {
        if (value < min) {
            report.add(Diagnostic.of(Message.OUT_OF_RANGE, at, where, name, value, min == 0 ? "0 or more" : "at least " + min));
        }
    }

    private static void fraction(List<Diagnostic> report, SourceRef at, String where, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            report.add(Diagnostic.of(Message.OUT_OF_RANGE, at, where, name, value, "a fraction in [0, 1)"));
        }
    }
}
