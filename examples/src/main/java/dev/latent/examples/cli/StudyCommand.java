package dev.latent.examples.cli;

import dev.latent.examples.study.Study;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code study}: the seed's three examples on the embedded digits. */
@Command(name = "study", sortOptions = false,
        description = "Trains the seed's three examples on the embedded MNIST digits, prints one row per example "
                + "and writes a report.")
final class StudyCommand implements Callable<Integer> {
    // Deliberately the same fields in every command: picocli injects the root and mixes in -h per
    // command class, and each command declares its own options so its source reads as its --help.
    @ParentCommand
    LatentCommand root;

    @Mixin
    HelpOption help;

    @Option(names = "--epochs", paramLabel = "N", converter = Converters.AtLeastOne.class,
            description = "epochs for each example (default: each one's @Training)")
    Integer epochs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "study-report",
            description = "the report's folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        root.configureThreads();
        new Study(epochs, out, root.out).run();
        return 0;
    }
}
