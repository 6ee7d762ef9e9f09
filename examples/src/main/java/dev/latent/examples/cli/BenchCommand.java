package dev.latent.examples.cli;

import dev.latent.examples.bench.Bench;
import dev.latent.examples.bench.CollapseBench;
import dev.latent.examples.bench.EngineMatrix;
import dev.latent.examples.bench.TrainerThroughput;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code bench}: training and inference speed of the seed models. */
@Command(name = "bench", sortOptions = false,
        description = "Measures training and inference speed of the seed models and writes DIR/bench.json.")
final class BenchCommand implements Callable<Integer> {
    // Deliberately the same fields in every command: picocli injects the root and mixes in -h per
    // command class, and each command declares its own options so its source reads as its --help.
    @ParentCommand
    LatentCommand root;

    @Mixin
    HelpOption help;

    @Option(names = "--quick", description = "fewer and shorter measurements")
    boolean quick;

    @Option(names = "--matrix", description = "instead: one small model per layer kind on Latent's engine and on"
            + " DL4J's fit, into DIR/engine-matrix.json")
    boolean matrix;

    @Option(names = "--collapse", description = "instead: ten epochs of a model that collapses (the matrix's conv"
            + " chain), its throughput and subnormal values per epoch, into DIR/collapse.json")
    boolean collapse;

    @Option(names = "--trainer-only", description = "instead: only the generated trainers' training samples/s, one"
            + " fresh trainer per seed model, median of epochs 2 to 4 (for examples/peers/compare.py)")
    boolean trainerOnly;

    @Option(names = "--models", paramLabel = "NAME", split = ",",
            description = "with --matrix: only these models (ConvChain, ConvChainBatchNorm, ConvChainDropout,"
                    + " SequenceConv, SequenceLstm, DenseRegularised); with --trainer-only: only these seed models"
                    + " (SeedExample1, SeedExample2, SeedExample3)")
    java.util.List<String> models = java.util.List.of();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-report",
            description = "the results' folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        root.configureThreads();
        if (collapse) {
            new CollapseBench(quick, out, root.out).run();
        } else if (trainerOnly) {
            new TrainerThroughput(models, root.out).run();
        } else if (matrix) {
            new EngineMatrix(quick, models, out, root.out).run();
        } else {
            new Bench(quick, out, root.out).run();
        }
        return 0;
    }
}
