package dev.latent.examples.cli;

import dev.latent.examples.calibrate.Calibration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code calibrate [EXPERIMENT|all]}: the experiments behind the warnings' thresholds. */
@Command(name = "calibrate", sortOptions = false,
        description = "The experiments behind the warnings' thresholds: short seeded runs on the embedded digits "
                + "across a grid of one attribute, one row each.")
final class CalibrateCommand implements Callable<Integer> {
    // Deliberately the same fields in every command: picocli injects the root and mixes in -h per
    // command class, and each command declares its own options so its source reads as its --help.
    @ParentCommand
    LatentCommand root;

    @Mixin
    HelpOption help;

    // A list, so that a second experiment gets the message below rather than picocli's.
    @Parameters(paramLabel = "EXPERIMENT", arity = "0..*", completionCandidates = Experiments.class,
            description = "one of ${COMPLETION-CANDIDATES} (default: noise)")
    List<String> experiments = new ArrayList<>();

    @Option(names = "--epochs", paramLabel = "N", converter = Converters.AtLeastOne.class,
            description = "epochs for each run")
    Integer epochs;

    @Override
    public Integer call() {
        if (experiments.size() > 1) {
            throw new UsageException("calibrate takes at most one experiment, found " + experiments);
        }
        String experiment = experiments.isEmpty() ? "noise" : experiments.get(0);
        if (!experiment.equals("all") && !Calibration.EXPERIMENTS.contains(experiment)) {
            throw new UsageException("calibrate has no experiment '" + experiment + "'; use one of "
                    + String.join(", ", Calibration.EXPERIMENTS) + " or all");
        }
        root.configureThreads();
        new Calibration(epochs, root.out).run(experiment);
        return 0;
    }

    /** The experiments' names and {@code all}, for the usage and completion. */
    static final class Experiments implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>(Calibration.EXPERIMENTS);
            names.add("all");
            return names.iterator();
        }
    }
}
