package dev.latent.processor.model;

import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * Arithmetic on sizes and counts that cannot wrap. Every count the processor works with is a
 * product or sum of non-negative {@code int} attributes, which can pass {@code Long.MAX_VALUE};
 * a result that would saturates there instead. Every limit the checks enforce is far below it,
 * so a saturated count is always rejected and never reaches generated code.
 */
public final class Counts {
    private Counts() {}

    /** {@code a * b} for non-negative {@code a} and {@code b}, or {@code Long.MAX_VALUE} past it. */
    public static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** {@code a + b} for non-negative {@code a} and {@code b}, or {@code Long.MAX_VALUE} past it. */
    public static long plus(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The product of non-negative {@code factors}, or {@code Long.MAX_VALUE} past it. */
    public static long product(long... factors) {
        long n = 1;
        for (long f : factors) {
            n = times(n, f);
        }
        return n;
    }

    /** A count for messages, {@code 3,136}; a saturated one as {@code at least 9,223,372,036,854,775,807}. */
    public static String describe(long count) {
        String digits = String.format(Locale.ROOT, "%,d", count);
        return count == Long.MAX_VALUE ? "at least " + digits : digits;
    }

    /**
     * The largest {@code v} from 1 to {@code Integer.MAX_VALUE} whose {@code count(v)} is at most
     * {@code limit}, for a {@code count} that grows with {@code v}; 0 when even 1 is too many. What
     * a fix proposes for an attribute: the largest units, filters or size that fit.
     */
    public static int largest(LongUnaryOperator count, long limit) {
        if (count.applyAsLong(1) > limit) {
            return 0;
        }
        long fits = 1;
        long tooMany = (long) Integer.MAX_VALUE + 1;
        while (tooMany - fits > 1) {
            long middle = (fits + tooMany) >>> 1;
            if (count.applyAsLong(middle) <= limit) {
                fits = middle;
            } else {
                tooMany = middle;
            }
        }
        return (int) fits;
    }
}
