package dev.latent.examples.cli;

import dev.latent.runtime.AutoencoderNetwork;

/**
 * Finds the generated network of a model interface named on the command line. The only
 * reflection in Latent: a command line names its model at run time.
 */
public final class ModelLocator {
    private ModelLocator() {}

    /**
     * The network generated for the interface {@code name}: {@code p.Model} or, for a nested
     * model, {@code p.Outer.Model} or {@code p.Outer$Model}.
     *
     * @throws UsageException when no such interface or no generated network is on the class path
     */
    public static AutoencoderNetwork locate(String name) {
        Class<?> model = findInterface(name);
        String packageName = model.getPackageName();
        String prefix = model.getName().substring(packageName.isEmpty() ? 0 : packageName.length() + 1).replace('$', '_');
        String networkName = (packageName.isEmpty() ? "" : packageName + ".") + prefix + "Network";
        try {
            Class<?> network = Class.forName(networkName, true, loader());
            return network.asSubclass(AutoencoderNetwork.class).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new UsageException(name + " has no generated network " + networkName
                    + ": is it annotated @Autoencoder, and did it compile without errors with latent-processor?");
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new UsageException(networkName + " cannot be created: " + e);
        }
    }

    private static Class<?> findInterface(String name) {
        String candidate = name;
        while (true) {
            try {
                return Class.forName(candidate, false, loader());
            } catch (ClassNotFoundException e) {
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    throw new UsageException("no model interface " + name + " on the class path");
                }
                // p.Outer.Model is the binary name p.Outer$Model.
                candidate = candidate.substring(0, dot) + "$" + candidate.substring(dot + 1);
            }
        }
    }

    private static ClassLoader loader() {
        return Thread.currentThread().getContextClassLoader();
    }
}
