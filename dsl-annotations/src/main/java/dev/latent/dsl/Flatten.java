package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flattens an image {@code {H, W, C}} to a vector of {@code H * W * C}, or a sequence {@code {T, F}}
 * to one of {@code T * F}, as Keras {@code Flatten}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Flatten {}
