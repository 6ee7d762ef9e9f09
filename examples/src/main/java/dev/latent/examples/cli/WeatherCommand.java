package dev.latent.examples.cli;

import dev.latent.examples.weather.WeatherComparison;
import dev.latent.examples.weather.WeatherDenoiserNetwork;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code weather}: the sequence example on the embedded Seattle weather. */
@Command(name = "weather", sortOptions = false,
        description = "Trains dev.latent.examples.weather.WeatherDenoiser on the embedded Seattle hourly weather "
                + "(24-hour windows) and prints its test error against the identity, the mean window and a "
                + "moving-average filter.")
final class WeatherCommand implements Callable<Integer> {
    // Deliberately the same fields in every command: picocli injects the root and mixes in -h per
    // command class, and each command declares its own options so its source reads as its --help.
    @ParentCommand
    LatentCommand root;

    @Mixin
    HelpOption help;

    @Option(names = "--epochs", paramLabel = "N", converter = Converters.AtLeastOne.class,
            description = "passes over the training windows (default: the model's @Training)")
    Integer epochs;

    @Option(names = "--stride", paramLabel = "N", converter = Converters.AtLeastOne.class, defaultValue = "1",
            description = "a window every N hours (default: ${DEFAULT-VALUE})")
    int stride;

    @Override
    public Integer call() {
        root.configureThreads();
        new WeatherComparison(epochs != null ? epochs : WeatherDenoiserNetwork.TRAINING.epochs(), stride, root.out)
                .run();
        return 0;
    }
}
