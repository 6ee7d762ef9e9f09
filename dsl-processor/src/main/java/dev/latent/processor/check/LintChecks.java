package dev.latent.processor.check;

import dev.latent.dsl.Activation;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Resample;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.NoiseSpec;
import dev.latent.processor.model.TrainingSpec;
import java.util.List;
import java.util.Locale;

/**
 * The warnings: a model that compiles but matches a known way a denoising autoencoder fails to
 * train. Every threshold comes from a run of {@code calibrate} on the embedded digits (see each
 * constant and the README). {@code shallow-encoder} and {@code shallow-decoder}, which the contract
 * names, warn of a measured cost in quality rather than of a failure: the measurement found none.
 */
public final class LintChecks implements Check {
    /**
     * Gaussian noise of at least this share of the data's range: in {@code calibrate noise} the
     * network kept a third of its gain at 1.0 and collapsed from 1.5 (the seed's 2.0).
     */
    static final double STRONG_NOISE_SHARE = 1.0;
    /**
     * Gaussian noise below this share of the range, alone, leaves the input nearly clean:
     * {@code calibrate noise} could not beat the identity anywhere near it.
     */
    static final double WEAK_NOISE_SHARE = 0.02;
    /**
     * A code of fewer values than this carries too little: {@code calibrate code} collapsed the
     * seed's dense network with codes of 1 to 4 values, and not with 8.
     */
    static final int NARROW_CODE = 8;
    /**
     * Batches smaller than this: {@code calibrate batch} took 28 to 65 times batch 64's time per
     * epoch for them, and larger batches won at equal time. Nothing failed, so it stays at 8.
     */
    static final int SMALL_BATCH = 8;
    /**
     * A single-layer decoder from a code of at most this many values: {@code calibrate decoder}
     * measured 4% to 8% more test loss than with a hidden layer at codes of 8 to 32, 1% at 64,
     * and less at 196.
     */
    static final int SHALLOW_DECODER_MAX_CODE = 32;

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

    private static void shallowDecoder(ModelSpec model, InferredModel shapes, Report report, String hint) {
        List<Layer> weighted = model.decoder().stream().filter(l -> l instanceof Layer.Activated).toList();
        long code = shapes.code().count();
        long output = shapes.output().count();
        if (weighted.size() == 1 && output > 4 * code && code <= SHALLOW_DECODER_MAX_CODE) {
            Layer only = weighted.get(0);
            add(model, report, Message.SHALLOW_DECODER, only.source(), hint, model.where(only), code, output,
                    only.method());
        }
    }

    private static void narrowCode(ModelSpec model, InferredModel shapes, Report report, String hint) {
        long code = shapes.code().count();
        long input = shapes.input().count();
        if (code < NARROW_CODE && input > code) {
            Layer last = model.encoder().get(model.encoder().size() - 1);
            add(model, report, Message.NARROW_CODE, last.source(), hint, model.where(last), code, input,
                    input / Math.max(1, code), NARROW_CODE, NARROW_CODE);
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
        // calibrate activation: on unit data every activation trained; on data with negative
        // values, those that cannot go below 0 collapsed, and so did LEAKY_RELU on [-1, 1].
        boolean negativeData = range == DataRange.SYMMETRIC || range == DataRange.UNBOUNDED;
        String suggested = range == DataRange.SYMMETRIC ? "TANH" : "IDENTITY";
        String problem = null;
        if (negativeData && (a == Activation.SIGMOID || a == Activation.RELU || a == Activation.SOFTPLUS)) {
            problem = "cannot go below 0";
        } else if (range == DataRange.SYMMETRIC && a == Activation.LEAKY_RELU) {
            problem = "reaches -1 only from inputs near -100 (its slope below 0 is 0.01)";
        }
        String fix = "activation = Activation." + suggested + " on " + last.method() + ".";
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
        Rates rates = Rates.of(t.optimizer());
        if (t.learningRate() > rates.high()) {
            add(model, report, Message.LEARNING_RATE, t.source().attribute("learningRate"), hint, where,
                    fmt(t.learningRate()), "high", t.optimizer(), rates.trained(), rates.failedHigh(), fmt(rates.suggested()));
        } else if (t.learningRate() < rates.low()) {
            add(model, report, Message.LEARNING_RATE, t.source().attribute("learningRate"), hint, where,
                    fmt(t.learningRate()), "low", t.optimizer(), rates.trained(), rates.failedLow(), fmt(rates.suggested()));
        }
    }

    /**
     * The learning rates {@code calibrate learning-rate} measured per optimizer (10 epochs of the
     * seed's dense network on 4,000 digits, rates a decade apart). A rate is warned one decade
     * beyond the last that trained on the low side, where more epochs may still rescue a slow
     * start, and at once on the high side, where the output saturated and more epochs do not help.
     */
    private record Rates(double low, double high, double suggested, String trained, String failedLow,
            String failedHigh) {
        static Rates of(Optimizer optimizer) {
            return switch (optimizer) {
                case ADAM -> new Rates(1e-4, 1e-2, 1e-3, "1e-3 and 1e-2", "1e-4 and below", "0.1 and above");
                case RMSPROP -> new Rates(1e-4, 1e-2, 1e-3, "1e-3 and 1e-2", "1e-4 and below", "0.1 and above");
                case SGD -> new Rates(1, 10, 10, "10", "1 and below", "100");
                case NESTEROVS -> new Rates(0.1, 1, 1, "1", "0.1 and below", "10 and above");
            };
        }
    }

    private static String fmt(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e6 ? String.format(Locale.ROOT, "%.1f", x)
                : String.format(Locale.ROOT, "%.3g", x).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
