package dev.latent.examples.cli;

import dev.latent.runtime.settings.LearningRateSchedule;
import dev.latent.runtime.settings.TrainingSetting;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
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

    /**
     * Reads a training setting's value in the command line's notation (numbers, lower-case names
     * with dashes, {@link LearningRateSchedule#parse}'s forms) and checks it against the setting's
     * range: "must be at least 1, found 0".
     */
    static <T> ITypeConverter<T> forSetting(TrainingSetting<T> setting) {
        ITypeConverter<?> read = reader(setting.type());
        return value -> {
            T parsed = setting.type().cast(read.convert(value));
            if (!setting.range().test().test(parsed)) {
                throw new TypeConversionException("must be " + setting.range().phrase() + ", found " + value.trim());
            }
            return parsed;
        };
    }

    /** The values a training setting takes, in words and in the command line's notation. */
    static String values(TrainingSetting<?> setting) {
        if (!setting.range().isAny()) {
            return setting.range().phrase();
        }
        Class<?> type = setting.type();
        if (type.isEnum()) {
            return "one of " + String.join(", ", names(type));
        }
        if (type == LearningRateSchedule.class) {
            return LearningRateSchedule.FORMS;
        }
        return type == Double.class ? "a number" : "a whole number";
    }

    /** A value as the command line writes it: {@code he-normal}, {@code 0.001}, {@code 0}. */
    static String text(Object value) {
        if (value instanceof LearningRateSchedule schedule) {
            return schedule.toString();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof Double number) {
            return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    /** The names a value of {@code type} can take, for completion; null where they are not a fixed list. */
    static List<String> candidates(Class<?> type) {
        return type.isEnum() ? names(type) : null;
    }

    private static ITypeConverter<?> reader(Class<?> type) {
        if (type == Integer.class) {
            return value -> wholeNumber(value, Integer.MIN_VALUE);
        }
        if (type == Long.class) {
            return Converters::longNumber;
        }
        if (type == Double.class) {
            return Converters::number;
        }
        if (type == LearningRateSchedule.class) {
            return Converters::schedule;
        }
        if (type.isEnum()) {
            return value -> constant(type, value);
        }
        throw new IllegalArgumentException("the command line has no notation for values of " + type.getSimpleName()
                + "; add one to Converters.reader");
    }

    private static long longNumber(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("needs a whole number, found '" + value + "'");
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
    private static LearningRateSchedule schedule(String value) {
        try {
            return LearningRateSchedule.parse(value);
        } catch (IllegalArgumentException e) {
            // Its message names the schedules; the option's name goes before it, after a colon.
            throw new TypeConversionException(": " + e.getMessage());
        }
    }

    /** A constant of {@code type}, written in lower case with dashes: {@code adam}, {@code he-normal}. */
    private static Object constant(Class<?> type, String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(type.getEnumConstants()).filter(c -> ((Enum<?>) c).name().equals(name)).findFirst()
                .orElseThrow(() -> new TypeConversionException("must be one of " + String.join(", ", names(type))
                        + "; found '" + value + "'"));
    }

    /** The constants of an enum {@code type} as the command line writes them. */
    static List<String> names(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(Converters::text).collect(Collectors.toList());
    }
}
