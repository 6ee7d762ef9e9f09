package dev.latent.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code summary MODEL}: the model's layer table. */
@Command(name = "summary", sortOptions = false, description = "Prints a model's layer table.")
final class SummaryCommand implements Callable<Integer> {
    // Deliberately the same fields in every command: picocli injects the root and mixes in -h per
    // command class, and each command declares its own options so its source reads as its --help.
    @ParentCommand
    LatentCommand root;

    @Mixin
    HelpOption help;

    @Mixin
    ModelParameter model;

    @Override
    public Integer call() {
        root.out.print(root.locate(model.name).summary());
        return 0;
    }
}
