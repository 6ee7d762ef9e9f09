package dev.latent.runtime.settings;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * The values a training setting takes, and the words for them that its messages, its command-line
 * option and the docs share: a value outside it gets "NAME must be PHRASE, found VALUE".
 *
 * @param <T> the values it judges
 * @param phrase what a value must be, e.g. {@code at least 1}; empty for any value
 * @param test true for a value inside the range
 */
public record Range<T>(String phrase, Predicate<T> test) {

    public Range {
        Objects.requireNonNull(phrase, "phrase");
        Objects.requireNonNull(test, "test");
    }

    /** Whole numbers from {@code min} up. */
    public static Range<Number> atLeast(long min) {
        return new Range<>("at least " + min, n -> n.longValue() >= min);
    }

    /** Finite numbers above 0. */
    public static Range<Number> greaterThanZero() {
        return new Range<>("greater than 0", n -> n.doubleValue() > 0 && Double.isFinite(n.doubleValue()));
    }

    /** 0, which turns the setting off, or more; finite. */
    public static Range<Number> offOrMore() {
        return new Range<>("0 (off) or more", n -> n.doubleValue() >= 0 && Double.isFinite(n.doubleValue()));
    }

    /** A share: at least 0 and below 1. */
    public static Range<Number> fraction() {
        return new Range<>("at least 0 and below 1", n -> n.doubleValue() >= 0 && n.doubleValue() < 1);
    }

    /** Every value of the type. */
    public static Range<Object> any() {
        return new Range<>("", value -> true);
    }

    /** Whether every value is inside: then there is no phrase to show. */
    public boolean isAny() {
        return phrase.isEmpty();
    }
}
