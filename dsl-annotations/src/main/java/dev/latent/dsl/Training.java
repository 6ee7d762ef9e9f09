package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Training settings. Every value can be overridden at run time on the generated trainer
 * without recompiling. Without {@code @Training} a model uses the defaults below.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Training {

    /** Passes over the training data; at least 1; default 10. */
    int epochs() default 10;

    /** Samples per gradient step; at least 1; default 64. */
    int batchSize() default 64;

    /** The update rule; default {@link Optimizer#ADAM}. */
    Optimizer optimizer() default Optimizer.ADAM;

    /** Step size of the optimizer, greater than 0; default 1e-3. */
    double learningRate() default 1e-3;

    /** Seed of the weight initialisation, the shuffling and the noise; default 42. */
    long seed() default 42L;

    /**
     * Fraction of the training data held out for validation when no validation set is given,
     * in [0, 1); default 0.1.
     */
    double validationSplit() default 0.1;

    /**
     * Epochs without improvement of the validation loss before training stops; 0 (the default)
     * turns early stopping off.
     */
    int earlyStoppingPatience() default 0;
}
