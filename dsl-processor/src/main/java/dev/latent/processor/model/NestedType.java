package dev.latent.processor.model;

/**
 * A type nested in the model that carries {@code @Encoder} or {@code @Decoder}, as declared:
 * the candidates for the model's two sections.
 *
 * @param simpleName e.g. {@code Encode}
 * @param displayName the model's display name and this one's: {@code ConvDenoiser.Encode}
 * @param kindName what it is, as a user says it: {@code interface}, {@code class}, {@code enum}, ...
 * @param encoderRole its {@code @Encoder} annotation, or null
 * @param decoderRole its {@code @Decoder} annotation, or null
 */
public record NestedType(String simpleName, String displayName, String kindName, boolean isInterface,
        SourceRef encoderRole, SourceRef decoderRole) {

    /** Its annotation for {@code role}, or null. */
    public SourceRef role(Section role) {
        return role == Section.ENCODER ? encoderRole : decoderRole;
    }

    /** An interface annotated both {@code @Encoder} and {@code @Decoder}: neither section. */
    public boolean hasTwoRoles() {
        return isInterface && encoderRole != null && decoderRole != null;
    }

    /** The annotation's simple name for {@code role}: {@code Encoder} or {@code Decoder}. */
    public static String annotation(Section role) {
        return role == Section.ENCODER ? "Encoder" : "Decoder";
    }
}
