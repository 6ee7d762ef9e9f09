package dev.latent.processor.model;

import dev.latent.dsl.DataRange;
import java.util.List;
import java.util.Set;

/**
 * One {@code @Autoencoder} interface, read into plain values.
 *
 * @param packageName the package of the interface, "" for the unnamed package
 * @param canonicalName e.g. {@code p.Outer.ConvDenoiser}
 * @param displayName the name messages use: the interface's simple names joined by dots, {@code Outer.ConvDenoiser}
 * @param generatedPrefix the simple-name prefix of generated classes: {@code Outer_ConvDenoiser}
 * @param inputShape as declared; may be invalid
 * @param suppressed the {@code latent:} codes named in {@code @SuppressWarnings} on the model
 */
public record ModelSpec(
        String packageName,
        String canonicalName,
        String displayName,
        String generatedPrefix,
        int[] inputShape,
        DataRange range,
        String encoderName,
        String decoderName,
        List<Layer> encoder,
        List<Layer> decoder,
        NoiseSpec noise,
        LossSpec loss,
        TrainingSpec training,
        Set<String> suppressed,
        SourceRef source) {

    /** The layers of one half. */
    public List<Layer> layers(Section section) {
        return section == Section.ENCODER ? encoder : decoder;
    }

    /** How a layer is named in messages: {@code ConvDenoiser.Encode.conv1}. */
    public String where(Layer layer) {
        return displayName + "." + (layer.section() == Section.ENCODER ? encoderName : decoderName) + "." + layer.method();
    }
}
