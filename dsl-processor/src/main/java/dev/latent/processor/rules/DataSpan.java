package dev.latent.processor.rules;

import dev.latent.dsl.DataRange;

/** The width of the data's range, which the noise warnings measure gaussian noise against. */
final class DataSpan {
    private DataSpan() {}

    /** The range's width; for standardised data, about 2 standard deviations. */
    static double width(DataRange range) {
        return range.isBounded() ? range.max() - range.min() : 2.0;
    }

    /** The range as a message writes it: {@code [0.0, 1.0]}. */
    static String describe(DataRange range) {
        return range.isBounded() ? "[" + Numbers.format(range.min()) + ", " + Numbers.format(range.max()) + "]"
                : "(about 2 standard deviations of standardised data)";
    }
}
