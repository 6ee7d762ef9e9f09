package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A long short-term memory layer over a sequence {@code {T, F}}, as Keras {@code LSTM}:
 * {@code 4 * (F * units + units * units + units)} parameters. With {@code returnSequences} the
 * output is the sequence {@code {T, units}}, otherwise the last time step's output {@code {units}}.
 * Short form {@code @LSTM(64)}; Keras form {@code @LSTM(units = 64)}; set exactly one of
 * {@link #value()} and {@link #units()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LSTM {

    /** Alias of {@link #units()}. */
    int value() default 0;

    /** Output features per time step, at least 1. */
    int units() default 0;

    /** Whether to output every time step ({@code {T, units}}) or only the last ({@code {units}}); default false, as Keras. */
    boolean returnSequences() default false;

    /** Activation of the cell and output (the gates stay sigmoid); default {@link Activation#TANH}, as Keras. */
    Activation activation() default Activation.TANH;
}
