package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.NoiseSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/**
 * {@code latent:noise-too-strong}: gaussian noise of at least the data range's width, where little
 * of the input survives (docs/errors-and-warnings.md#noise-too-strong).
 */
final class NoiseTooStrong implements ShapeRule {
    /**
     * Gaussian noise of at least this share of the data's range: in {@code calibrate noise} the
     * network kept a third of its gain at 1.0 and collapsed from 1.5 (the seed's 2.0).
     */
    static final double STRONG_NOISE_SHARE = 1.0;

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        NoiseSpec noise = model.noise();
        double span = DataSpan.width(model.range());
        if (noise.custom() != null || noise.gaussian() < STRONG_NOISE_SHARE * span) {
            return List.of();
        }
        return List.of(Diagnostic.of(Message.NOISE_TOO_STRONG, noise.source().attribute("gaussian"),
                model.displayName() + " @Noise", Numbers.format(noise.gaussian()),
                Numbers.format(noise.gaussian() / span) + " times the width", DataSpan.describe(model.range())));
    }
}
