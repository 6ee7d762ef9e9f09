package dev.latent.examples.cli;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help} on a command: its own usage. Mixed into each command (picocli's help command has its own). */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;
}
