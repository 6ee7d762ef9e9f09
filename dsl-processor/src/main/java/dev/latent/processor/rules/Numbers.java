package dev.latent.processor.rules;

import java.util.Locale;

/** How the warnings write a number a user declared: {@code 2.0}, {@code 0.01}, {@code 1.00e-06}. */
final class Numbers {
    private Numbers() {}

    static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e6 ? String.format(Locale.ROOT, "%.1f", x)
                : String.format(Locale.ROOT, "%.3g", x).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
