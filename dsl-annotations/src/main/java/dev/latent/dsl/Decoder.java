package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the nested interface that lists the decoder's layers: one no-argument {@code void}
 * method per layer, in order, from the latent code to the reconstruction. Its output shape must
 * equal {@link Autoencoder#inputShape()}. Layer methods are abstract (no {@code default},
 * {@code static} or {@code private} method with a body) and declared in this interface itself,
 * not inherited; an interface is the {@link Encoder} or the decoder, not both.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Decoder {}
