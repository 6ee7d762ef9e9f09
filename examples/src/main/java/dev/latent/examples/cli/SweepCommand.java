package dev.latent.examples.cli;

import dev.latent.examples.sweep.Sweep;
import dev.latent.runtime.AutoencoderNetwork;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code sweep MODEL}: brief runs at several noise levels, and the level to use. */
@Command(name = "sweep", sortOptions = false,
        description = "Trains the model briefly at each gaussian noise level, prints validation loss against both "
                + "baselines, recommends a level and writes DIR/index.html, sweep.png and sweep.csv.")
final class SweepCommand implements Callable<Integer> {
    // Deliberately the same fields in every command: picocli injects the root and mixes in -h per
    // command class, and each command declares its own options so its source reads as its --help.
    @ParentCommand
    LatentCommand root;

    @Mixin
    HelpOption help;

    @Mixin
    ModelParameter model;

    // Read whole, as one list: picocli would take an array option for several values.
    @Option(names = "--noise", paramLabel = "LEVELS",
            description = "gaussian noise levels separated by commas (default: 0.05,0.1,0.2,0.5,1.0)")
    String levels;

    @Option(names = "--epochs", paramLabel = "N", converter = Converters.AtLeastOne.class, defaultValue = "3",
            description = "epochs at each level (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--data", paramLabel = "PATH", defaultValue = "mnist",
            description = "mnist, fashion-mnist, or a file or folder as for train (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "sweep-report",
            description = "the report's folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        double[] noise;
        try {
            noise = levels != null ? Converters.levels(levels) : Sweep.DEFAULT_LEVELS;
        } catch (TypeConversionException e) {
            throw new UsageException("--noise " + e.getMessage());
        }
        AutoencoderNetwork network = root.locate(model.name);
        root.configureThreads();
        DataSources.TrainTest sets = DataSources.load(data, network.range(), network.inputShape(),
                network.training().validationSplit(), DataSources.Windows.DEFAULT);
        new Sweep(network, sets, noise, epochs, out, root.out).run();
        return 0;
    }
}
