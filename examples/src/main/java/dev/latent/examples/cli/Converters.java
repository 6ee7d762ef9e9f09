package dev.latent.examples.cli;

import dev.latent.dsl.Optimizer;
import dev.latent.runtime.settings.LearningRateSchedule;
import dev.latent.runtime.settings.WeightInit;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The command line's values, each checked as it is read so that a bad one gets one line naming
 * the option, what it takes and what was found; picocli puts the option's name in front.
 */
final class Converters {
    /** Native threads beyond this many cores' worth only wait for a core; thousands crash libnd4j. */
    static final int MAX_THREADS = 4 * Runtime.getRuntime().availableProcessors();

    private Converters() {}

    static int wholeNumber(String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("needs a whole number, found '" + value + "'");
        }
        if (n < min) {
            throw new TypeConversionException("must be at least " + min + ", found " + value);
        }
        return n;
    }

    static double number(String value) {
        try {
            double x = Double.parseDouble(value.trim());
            if (Double.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new TypeConversionException("needs a number, found '" + value + "'");
    }

    /** A whole number, 1 or more. */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1);
        }
    }

    /** A whole number, 0 or more. */
    static final class AtLeastZero implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 0);
        }
    }

    /** {@code --threads}: from 1 to {@link #MAX_THREADS}. */
    static final class Threads implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = wholeNumber(value, 1);
            if (n > MAX_THREADS) {
                throw new TypeConversionException("must be at most " + MAX_THREADS + " (4 threads for each of the "
                        + Runtime.getRuntime().availableProcessors() + " cores here; more only wait for a core), found "
                        + value);
            }
            return n;
        }
    }

    /** A whole number, any. */
    static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("needs a whole number, found '" + value + "'");
            }
        }
    }

    /** A number above 0. */
    static final class Positive implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double x = number(value);
            if (!(x > 0)) {
                throw new TypeConversionException("must be greater than 0, found " + value);
            }
            return x;
        }
    }

    /** A number, 0 (off) or more. */
    static final class NonNegative implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double x = number(value);
            if (x < 0) {
                throw new TypeConversionException("must be 0 (off) or more, found " + value);
            }
            return x;
        }
    }

    /** A share: at least 0, below 1. */
    static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double x = number(value);
            if (x < 0 || x >= 1) {
                throw new TypeConversionException("must be at least 0 and below 1, found " + x);
            }
            return x;
        }
    }

    /** Noise levels separated by commas, each 0 or more. */
    static double[] levels(String list) {
        double[] levels;
        try {
            levels = Arrays.stream(list.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new TypeConversionException("takes numbers separated by commas, e.g. 0.05,0.1,0.2; found '" + list
                    + "'");
        }
        for (double level : levels) {
            if (!(level >= 0) || !Double.isFinite(level)) {
                throw new TypeConversionException("levels must be 0 or more, found " + level);
            }
        }
        return levels;
    }

    /** A learning-rate schedule in {@link LearningRateSchedule#parse}'s notation. */
    static final class Schedule implements ITypeConverter<LearningRateSchedule> {
        @Override
        public LearningRateSchedule convert(String value) {
            try {
                return LearningRateSchedule.parse(value);
            } catch (IllegalArgumentException e) {
                // Its message names the schedules; the option's name goes before it, after a colon.
                throw new TypeConversionException(": " + e.getMessage());
            }
        }
    }

    /** An optimizer, written in lower case with dashes: {@code adam}, {@code nesterovs}. */
    static final class OptimizerName extends Constant<Optimizer> {
        OptimizerName() {
            super(Optimizer.class);
        }
    }

    /** A weight initialisation, written in lower case with dashes: {@code he-normal}. */
    static final class WeightInitName extends Constant<WeightInit> {
        WeightInitName() {
            super(WeightInit.class);
        }
    }

    /** The optimizers' names, for completion. */
    static final class Optimizers implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Constant.names(Optimizer.class).iterator();
        }
    }

    /** The weight initialisations' names, for completion. */
    static final class WeightInits implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Constant.names(WeightInit.class).iterator();
        }
    }

    private abstract static class Constant<E extends Enum<E>> implements ITypeConverter<E> {
        private final Class<E> type;

        Constant(Class<E> type) {
            this.type = type;
        }

        @Override
        public E convert(String value) {
            try {
                return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be one of " + String.join(", ", names(type)) + "; found '"
                        + value + "'");
            }
        }

        static java.util.List<String> names(Class<? extends Enum<?>> type) {
            return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.toList());
        }
    }
}
