package dev.latent.examples.cli;

import dev.latent.runtime.AutoencoderNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the generated network of a model interface named on the command line. The only
 * reflection in Latent: a command line names its model at run time.
 */
public final class ModelLocator {
    private ModelLocator() {}

    /**
     * The network generated for the interface {@code name}: {@code p.Model} or, for a nested
     * model, {@code p.Outer.Model} or {@code p.Outer$Model}, from {@code loader}. When there is none,
     * the message suggests the closest models in {@code searched} and the command line's own
     * classes, and {@code --classpath} when the user gave none.
     *
     * @throws UsageException when no such interface or no generated network is on the class path
     */
    public static AutoencoderNetwork locate(String name, ClassLoader loader, List<Path> searched) {
        Class<?> model = findInterface(name, loader, searched);
        String packageName = model.getPackageName();
        String prefix = model.getName().substring(packageName.isEmpty() ? 0 : packageName.length() + 1).replace('$', '_');
        String networkName = (packageName.isEmpty() ? "" : packageName + ".") + prefix + "Network";
        try {
            Class<?> network = Class.forName(networkName, true, loader);
            return network.asSubclass(AutoencoderNetwork.class).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new UsageException(name + " has no generated network " + networkName
                    + ": is it annotated @Autoencoder, and did it compile without errors with latent-processor?");
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new UsageException(networkName + " cannot be created (" + e.getMessage() + "): recompile the model "
                    + "with this version of latent-processor");
        }
    }

    private static Class<?> findInterface(String name, ClassLoader loader, List<Path> searched) {
        String candidate = name;
        while (true) {
            try {
                return Class.forName(candidate, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    throw new UsageException(notFound(name, searched));
                }
                // p.Outer.Model is the binary name p.Outer$Model.
                candidate = candidate.substring(0, dot) + "$" + candidate.substring(dot + 1);
            }
        }
    }

    private static String notFound(String name, List<Path> searched) {
        List<Path> entries = new ArrayList<>(searched);
        ownClasses().ifPresent(entries::add);
        List<String> close = ModelNames.closest(name, ModelNames.in(entries));
        String message = "no model interface " + name + " on the class path";
        if (!close.isEmpty()) {
            message += "; did you mean " + String.join(" or ", close) + "?";
        }
        return message + (searched.isEmpty()
                ? " (for a model compiled elsewhere, add its classes folder or jar with --classpath PATH)"
                : " (searched the command line's own models and " + searched.stream().map(Path::toString)
                        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)) + ")");
    }

    /** The folder or jar the command line's own classes come from. */
    private static java.util.Optional<Path> ownClasses() {
        try {
            return java.util.Optional.of(Path.of(ModelLocator.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
