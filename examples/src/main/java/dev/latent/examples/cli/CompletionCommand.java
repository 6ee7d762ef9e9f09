package dev.latent.examples.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code completion}: a bash (and zsh) completion script for the {@code latent} launcher. */
@Command(name = "completion", description = {"Prints a bash completion script for the latent launcher; "
        + "load it with:", "  source <(latent completion)", "or save it in ~/.local/share/bash-completion/completions/latent."})
final class CompletionCommand implements Callable<Integer> {
    // Deliberately the same fields in every command: picocli injects the root and mixes in -h per
    // command class, and each command declares its own options so its source reads as its --help.
    @ParentCommand
    LatentCommand root;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        root.out.print(AutoComplete.bash("latent", spec.root().commandLine()));
        return 0;
    }
}
