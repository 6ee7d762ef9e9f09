package dev.latent.examples.cli;

import picocli.CommandLine.Parameters;

/** The MODEL a command works on, by the model interface's full name. Mixed into each command that takes one. */
final class ModelParameter {
    @Parameters(paramLabel = "MODEL",
            description = "the model interface's full name, e.g. dev.latent.examples.seed.SeedExample3")
    String name;
}
