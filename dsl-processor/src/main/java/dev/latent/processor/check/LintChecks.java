package dev.latent.processor.check;

import dev.latent.dsl.Activation;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Resample;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.NoiseSpec;
import dev.latent.processor.model.Section;
import dev.latent.processor.model.TrainingSpec;
import java.util.List;
import java.util.Locale;

/**
 * The warnings: a model that compiles but matches a known way a denoising autoencoder fails to
 * train. Thresholds are the seed study's and common practice's (see each constant); the
 * catalogue of issue 4 is to replace them with measured ones.
 */
public final class LintChecks implements Check {
    /** Gaussian noise of at least this share of the data's range: the seed's 2.0 collapsed, its 0.5 did not. */
    static final double STRONG_NOISE_SHARE = 1.0;
    /** Gaussian noise below this share of the range, alone, leaves the input nearly clean. */
    static final double WEAK_NOISE_SHARE = 0.02;
    /** A code of fewer values than this carries too little for images or long vectors. */
    static final int NARROW_CODE = 4;
    /** Batches smaller than this: gradients too noisy, epochs too slow. */
    static final int SMALL_BATCH = 8;

    @Override
    public void check(ModelSpec model, InferredModel shapes, Report report) {
        String hint = "Silence with @SuppressWarnings(\"%s\") on " + model.displayName() + ".";
        noise(model, model.noise(), report, hint);
        shallowEncoder(model, report, hint);
        narrowCode(model, shapes, report, hint);
        shallowDecoder(model, shapes, report, hint);
        outputRange(model, report, hint);
        training(model, model.training(), report, hint);
    }

    private static void add(ModelSpec model, Report report, Message message, dev.latent.processor.model.SourceRef at,
            String hint, Object... args) {
        if (model.suppressed().contains(message.code())) {
            return;
        }
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = String.format(Locale.ROOT, hint, message.code());
        report.add(message, at, all);
    }

    private static void noise(ModelSpec model, NoiseSpec noise, Report report, String hint) {
        String where = model.displayName() + " @Noise";
        if (noise.custom() != null) {
            return;
        }
        double span = model.range().isBounded() ? model.range().max() - model.range().min() : 2.0;
        String spanText = model.range().isBounded() ? "[" + fmt(model.range().min()) + ", " + fmt(model.range().max()) + "]"
                : "(about 2 standard deviations of standardised data)";
        if (noise.gaussian() >= STRONG_NOISE_SHARE * span) {
            add(model, report, Message.NOISE_TOO_STRONG, noise.source().attribute("gaussian"), hint, where,
                    fmt(noise.gaussian()), fmt(noise.gaussian() / span) + " times the width", spanText);
        }
        if (noise.isNone()) {
            add(model, report, Message.NOISE_TOO_WEAK, model.source(), hint, model.displayName(),
                    "there is no @Noise, so the input is clean");
        } else if (noise.masking() == 0 && noise.saltAndPepper() == 0 && noise.blockMasking() == 0
                && noise.gaussian() < WEAK_NOISE_SHARE * span) {
            add(model, report, Message.NOISE_TOO_WEAK, noise.source().attribute("gaussian"), hint, where,
                    "gaussian = " + fmt(noise.gaussian()) + " is under " + fmt(WEAK_NOISE_SHARE * span)
                            + ", 2% of the data's range");
        }
        if (noise.resample() == Resample.ONCE) {
            add(model, report, Message.STATIC_NOISE, noise.source().attribute("resample"), hint, where);
        }
    }

    private static void shallowEncoder(ModelSpec model, Report report, String hint) {
        boolean image = model.inputShape().length == 3;
        boolean spatial = model.encoder().stream().anyMatch(l -> l instanceof Layer.Conv2D || l instanceof Layer.MaxPool2D);
        if (image && !spatial && !model.encoder().isEmpty()) {
            Layer first = model.encoder().get(0);
            add(model, report, Message.SHALLOW_ENCODER, first.source(), hint, model.where(first));
        }
    }

    private static void narrowCode(ModelSpec model, InferredModel shapes, Report report, String hint) {
        long code = shapes.code().count();
        long input = shapes.input().count();
        if (code < NARROW_CODE && input > code) {
            Layer last = model.encoder().get(model.encoder().size() - 1);
            add(model, report, Message.NARROW_CODE, last.source(), hint, model.where(last), code, input,
                    input / Math.max(1, code), NARROW_CODE);
        }
    }

    private static void shallowDecoder(ModelSpec model, InferredModel shapes, Report report, String hint) {
        List<Layer> weighted = model.decoder().stream().filter(l -> l instanceof Layer.Activated).toList();
        long code = shapes.code().count();
        long output = shapes.output().count();
        if (weighted.size() == 1 && output > 4 * code) {
            Layer only = weighted.get(0);
            add(model, report, Message.SHALLOW_DECODER, only.source(), hint, model.where(only), code, output,
                    only.method());
        }
    }

    private static void outputRange(ModelSpec model, Report report, String hint) {
        Layer last = null;
        for (Layer layer : model.decoder()) {
            if (layer instanceof Layer.Activated || layer instanceof Layer.BatchNormalization) {
                last = layer;
            }
        }
        if (!(last instanceof Layer.Activated activated)) {
            return;
        }
        Activation a = activated.activation();
        DataRange range = model.range();
        String problem = null;
        String fix = null;
        if (range == DataRange.UNIT && (a == Activation.TANH || a == Activation.ELU || a == Activation.LEAKY_RELU
                || a == Activation.IDENTITY)) {
            problem = "can leave [0, 1]";
            fix = "activation = Activation.SIGMOID on " + last.method() + ".";
        } else if (range == DataRange.SYMMETRIC && (a == Activation.SIGMOID || a == Activation.RELU
                || a == Activation.SOFTPLUS)) {
            problem = "cannot reach below 0";
            fix = "activation = Activation.TANH on " + last.method() + ".";
        } else if (range == DataRange.SYMMETRIC && (a == Activation.ELU || a == Activation.LEAKY_RELU
                || a == Activation.IDENTITY)) {
            problem = "can leave [-1, 1]";
            fix = "activation = Activation.TANH on " + last.method() + ".";
        } else if (range == DataRange.UNBOUNDED && (a == Activation.SIGMOID || a == Activation.TANH
                || a == Activation.RELU || a == Activation.SOFTPLUS)) {
            problem = "cannot reach every standardised value";
            fix = "activation = Activation.IDENTITY on " + last.method() + ".";
        } else if (range == DataRange.UNIT && (a == Activation.RELU || a == Activation.SOFTPLUS)) {
            problem = "is unbounded above";
            fix = "activation = Activation.SIGMOID on " + last.method() + ".";
        }
        if (problem != null) {
            add(model, report, Message.OUTPUT_ACTIVATION_RANGE, last.source().attribute("activation"), hint,
                    model.where(last), a, problem, range, "(@Autoencoder.range)", fix);
        }
    }

    private static void training(ModelSpec model, TrainingSpec t, Report report, String hint) {
        String where = model.displayName() + " @Training";
        if (t.batchSize() < SMALL_BATCH) {
            add(model, report, Message.SMALL_BATCH, t.source().attribute("batchSize"), hint, where, t.batchSize(),
                    SMALL_BATCH);
        }
        boolean adaptive = t.optimizer() == Optimizer.ADAM || t.optimizer() == Optimizer.RMSPROP;
        double high = adaptive ? 0.01 : 1.0;
        double low = adaptive ? 1e-5 : 1e-4;
        String usual = adaptive ? "1e-4 to 1e-3" : "1e-3 to 0.1";
        String suggestion = adaptive ? "1e-3" : "0.01";
        if (t.learningRate() > high) {
            add(model, report, Message.LEARNING_RATE, t.source().attribute("learningRate"), hint, where,
                    fmt(t.learningRate()), "too high: the loss will rise or turn NaN", t.optimizer(), usual, suggestion);
        } else if (t.learningRate() < low) {
            add(model, report, Message.LEARNING_RATE, t.source().attribute("learningRate"), hint, where,
                    fmt(t.learningRate()), "too low: the loss will barely move", t.optimizer(), usual, suggestion);
        }
    }

    private static String fmt(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e6 ? String.format(Locale.ROOT, "%.1f", x)
                : String.format(Locale.ROOT, "%.3g", x).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
