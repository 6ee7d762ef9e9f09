package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the nested interface that lists the encoder's layers: one no-argument {@code void}
 * method per layer, in order. The last layer's output is the latent code. Layer methods are
 * abstract (no {@code default}, {@code static} or {@code private} method with a body) and declared
 * in this interface itself, not inherited; an interface is the encoder or the {@link Decoder},
 * not both.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Encoder {}
