package dev.latent.processor.model;

import java.util.List;

/**
 * The nested interface read as the encoder or the decoder, with its methods as declared.
 *
 * @param displayName e.g. {@code ConvDenoiser.Encode}
 * @param role its {@code @Encoder} or {@code @Decoder} annotation
 * @param methods the methods it declares, in source order, helpers included
 * @param inherited the methods it inherits from its super-interfaces, or null for none
 */
public record SectionOutline(Section which, String simpleName, String displayName, SourceRef role,
        List<MethodOutline> methods, Inherited inherited) {

    /**
     * The instance methods a section inherits, which Latent does not read as layers.
     *
     * @param methods e.g. {@code hidden()}, {@code code()}
     * @param declaredIn the display names of the interfaces that declare them
     * @param extended the simple names of the direct super-interfaces they come through
     */
    public record Inherited(List<String> methods, List<String> declaredIn, List<String> extended) {}

    /** The layers its methods declare, in order: those that could be read as one. */
    public List<Layer> layers() {
        return methods.stream().map(MethodOutline::layer).filter(java.util.Objects::nonNull).toList();
    }
}
