package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.NoiseSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/**
 * {@code latent:noise-too-weak}: no noise, or gaussian noise alone so weak that the network can
 * pass its input through (docs/errors-and-warnings.md#noise-too-weak). The other end of
 * {@link NoiseTooStrong}, measured against the same width of the data's range ({@link DataSpan}).
 */
final class NoiseTooWeak implements ShapeRule {
    /**
     * Gaussian noise below this share of the range, alone, leaves the input nearly clean:
     * {@code calibrate noise} could not beat the identity anywhere near it.
     */
    static final double WEAK_NOISE_SHARE = 0.02;

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        NoiseSpec noise = model.noise();
        double span = DataSpan.width(model.range());
        if (noise.custom() != null) {
            return List.of();
        }
        if (noise.isNone()) {
            return List.of(Diagnostic.of(Message.NOISE_TOO_WEAK, model.source(), model.displayName(),
                    "there is no @Noise, so the input is clean"));
        }
        boolean gaussianOnly = noise.masking() == 0 && noise.saltAndPepper() == 0 && noise.blockMasking() == 0;
        if (gaussianOnly && noise.gaussian() < WEAK_NOISE_SHARE * span) {
            return List.of(Diagnostic.of(Message.NOISE_TOO_WEAK, noise.source().attribute("gaussian"),
                    model.displayName() + " @Noise", "gaussian = " + Numbers.format(noise.gaussian()) + " is under "
                            + Numbers.format(WEAK_NOISE_SHARE * span) + ", 2% of the data's range"));
        }
        return List.of();
    }
}
