package dev.latent.processor.model;

import java.util.List;

/**
 * What an {@code @Autoencoder} type declares, read before any rule: its kind, the nested types
 * that carry a role, the sections chosen among them and, when those exist, the model.
 *
 * @param displayName the type's simple names joined by dots: {@code Outer.ConvDenoiser}
 * @param kindName what it is: {@code interface}, {@code class}, ...
 * @param source its {@code @Autoencoder} annotation
 * @param nested its nested types annotated {@code @Encoder} or {@code @Decoder}, in source order
 * @param encoder the section read as the encoder: the first of {@link #candidates} for it, or null
 * @param decoder likewise the decoder
 * @param model the model, or null when the type is not an interface, a section is missing or one
 *     interface has both roles; it holds the layers that could be read, the others having errors
 */
public record ModelOutline(String displayName, String simpleName, String kindName, boolean isInterface,
        SourceRef source, List<NestedType> nested, SectionOutline encoder, SectionOutline decoder, ModelSpec model) {

    /** The nested types that may be the section {@code role}: those with its annotation and not both roles. */
    public List<NestedType> withRole(Section role) {
        return nested.stream().filter(n -> n.role(role) != null && !n.hasTwoRoles()).toList();
    }

    /** Those of {@link #withRole} that are interfaces: the first is the section, the others are duplicates. */
    public List<NestedType> candidates(Section role) {
        return withRole(role).stream().filter(NestedType::isInterface).toList();
    }

    /** The nested interfaces with both roles. */
    public List<NestedType> twoRoles() {
        return nested.stream().filter(NestedType::hasTwoRoles).toList();
    }

    /** The section read as {@code role}, or null. */
    public SectionOutline section(Section role) {
        return role == Section.ENCODER ? encoder : decoder;
    }
}
