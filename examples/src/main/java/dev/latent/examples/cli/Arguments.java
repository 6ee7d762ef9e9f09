package dev.latent.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command's positional arguments and {@code --name value} options, checked against what it accepts. */
public final class Arguments {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();

    private Arguments() {}

    /**
     * Parses {@code args}; {@code valued} options take a value, {@code flags} do not.
     *
     * @throws UsageException on an unknown option or a missing value
     */
    public static Arguments parse(List<String> args, Set<String> valued, Set<String> flags) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                parsed.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name) && value == null) {
                parsed.options.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                parsed.options.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return parsed;
    }

    public List<String> positional() {
        return positional;
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** An integer option, at least {@code min}. */
    public Optional<Integer> intOption(String name, int min) {
        return option(name).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n < min) {
                    throw new UsageException("--" + name + " must be at least " + min + ", found " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " needs a whole number, found '" + v + "'");
            }
        });
    }

    /** A number option, greater than 0. */
    public Optional<Double> positiveOption(String name) {
        return option(name).map(v -> {
            try {
                double x = Double.parseDouble(v);
                if (!(x > 0) || !Double.isFinite(x)) {
                    throw new UsageException("--" + name + " must be greater than 0, found " + v);
                }
                return x;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " needs a number, found '" + v + "'");
            }
        });
    }
}
