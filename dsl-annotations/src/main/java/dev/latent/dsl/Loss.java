package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The reconstruction loss. Without {@code @Loss} a model uses {@link LossFunction#MSE}. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Loss {

    /** The built-in loss; default {@link LossFunction#MSE}. */
    LossFunction value() default LossFunction.MSE;

    /**
     * A DL4J loss class ({@code org.nd4j.linalg.lossfunctions.ILossFunction}) with a public
     * no-argument constructor, used instead of {@link #value()}. Default {@code void.class}: none.
     */
    Class<?> custom() default void.class;
}
