package dev.latent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.settings.TrainingSetting;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing, usage and help, completion, and the one line an argument error gets. */
class CommandLineTest {
    private final CapturedMain cli = new CapturedMain();

    /** An argument error: exit 2, one line on stderr naming the problem and the command's help, no usage. */
    private void oneLine(String expected, String command, String... args) {
        assertEquals(2, cli.run(args), cli.err());
        assertEquals("latent: " + expected + " (see 'latent" + command + " --help')\n", cli.err());
        assertEquals("", cli.out());
    }

    @Test
    void anArgumentErrorIsOneLineWithTheHelpToSee() {
        oneLine("unknown option --epoch; did you mean --epochs?", " train", "train", "p.Model", "--epoch", "2");
        oneLine("unknown command 'trian'; did you mean train?", "", "trian", "p.Model");
        oneLine("train needs MODEL, the model interface's full name, e.g. dev.latent.examples.seed.SeedExample3",
                " train", "train");
        oneLine("train needs a value after --epochs (N)", " train", "train", "p.Model", "--epochs");
        oneLine("--batch-size must be at least 1, found 0", " train", "train", "p.Model", "--batch-size", "0");
        oneLine("--learning-rate must be greater than 0, found -1", " train", "train", "p.Model", "--learning-rate=-1");
        oneLine("--validation-split must be at least 0 and below 1, found 1", " train", "train", "p.Model",
                "--validation-split", "1");
        oneLine("--patience must be 0 (off) or more, found -1", " train", "train", "p.Model", "--patience", "-1");
        oneLine("--clip needs a number, found 'none'", " train", "train", "p.Model", "--clip", "none");
        oneLine("--optimizer must be one of adam, sgd, nesterovs, rmsprop; found 'lbfgs'", " train", "train", "p.Model",
                "--optimizer", "lbfgs");
        oneLine("--seed needs a whole number, found '1.5'", " train", "train", "p.Model", "--seed", "1.5");
        oneLine("study takes no argument 'p.Model'", " study", "study", "p.Model");
        oneLine("--noise takes numbers separated by commas, e.g. 0.05,0.1,0.2; found '0.1,lots'", " sweep", "sweep",
                "p.Model", "--noise", "0.1,lots");
    }

    @Test
    void everyTrainingSettingIsAnOptionOfTrainWithItsValuesAndDefault() {
        assertEquals(0, cli.run("train", "--help"));
        String usage = cli.out().replaceAll("\\s+", " ");
        for (TrainingSetting<?> setting : TrainingSetting.all()) {
            assertTrue(usage.contains(setting.flag() + "=" + setting.valueLabel() + " "), setting.flag() + ": " + usage);
            assertTrue(usage.contains(TrainOptions.usage(setting)), TrainOptions.usage(setting) + ": " + usage);
        }
        assertTrue(usage.contains("--epochs=N passes over the training data; at least 1 (default: the model's "
                + "@Training)"), usage);
        assertTrue(usage.contains("--weight-init=NAME how the weights start; declared keeps the network's own "
                + "(Keras' glorot_uniform); one of declared, glorot-normal, he-normal, he-uniform, lecun-normal "
                + "(default: declared)"), usage);
        assertTrue(usage.contains("--schedule=S how the learning rate changes from epoch to epoch; constant, "), usage);
        assertTrue(usage.contains("(default: constant) --clip=X"), usage);
        // The list, after the alphabetical synopsis: the settings in their order, after --data and before
        // --limit-batches and the run's own options.
        String list = usage.substring(usage.indexOf("-h, --help"));
        assertTrue(list.indexOf("--data=") < list.indexOf("--epochs=")
                && list.indexOf("--weight-init=") < list.indexOf("--limit-batches=")
                && list.indexOf("--limit-batches=") < list.indexOf("--resume="), list);
    }

    @Test
    void threadsAreBoundedBeforeAnythingStarts() {
        int most = 4 * Runtime.getRuntime().availableProcessors();
        oneLine("--threads must be at most " + most + " (4 threads for each of the "
                + Runtime.getRuntime().availableProcessors() + " cores here; more only wait for a core), found 20000",
                "", "--threads", "20000", "summary", "dev.latent.examples.seed.SeedExample1");
        oneLine("--threads must be at least 1, found 0", " summary", "summary", "dev.latent.examples.seed.SeedExample1",
                "--threads", "0");
        assertEquals(0, cli.run("summary", "dev.latent.examples.seed.SeedExample1", "--threads",
                Integer.toString(most)), cli.err());
    }

    @Test
    void everyCommandHasItsUsage() {
        assertEquals(2, cli.run());
        assertTrue(cli.out().startsWith("Usage: latent [-h] [--verbose] [--threads=N] [-cp=PATH]... [COMMAND]"),
                cli.out());
        for (String command : List.of("summary", "train", "sweep", "study", "weather", "calibrate", "bench",
                "completion")) {
            assertTrue(cli.out().contains("\n  " + command + " "), command + " listed: " + cli.out());
        }
        assertEquals(0, cli.run("--help"));
        assertTrue(cli.out().startsWith("Usage: latent "), cli.out());

        assertEquals(0, cli.run("train", "--help"));
        for (String option : List.of("--data", "--epochs", "--batch-size", "--learning-rate", "--optimizer", "--seed",
                "--validation-split", "--patience", "--schedule", "--clip", "--l2", "--weight-init", "--limit-batches",
                "--resume", "--out", "--stride", "--columns", "--threads", "--classpath", "--verbose")) {
            assertTrue(cli.out().contains(option), option + " in train's usage: " + cli.out());
        }
        String trainHelp = cli.out();
        assertEquals(0, cli.run("help", "train"));
        assertEquals(trainHelp, cli.out());
        assertEquals(0, cli.run("calibrate", "-h"));
        assertTrue(cli.out().replaceAll("\\s+", " ").contains("one of noise, static, code, encoder, decoder, activation, "
                + "batch, batch-time, learning-rate, all (default: noise)"), cli.out());
    }

    @Test
    void optionsGoBeforeOrAfterTheCommand() {
        assertEquals(0, cli.run("--threads", "1", "--verbose", "summary", "dev.latent.examples.seed.SeedExample1"),
                cli.err());
        assertEquals(0, cli.run("summary", "--threads=1", "dev.latent.examples.seed.SeedExample1", "--verbose"),
                cli.err());
        assertTrue(cli.out().contains("Total params: 209,968"), cli.out());
    }

    @Test
    void completionPrintsABashScriptForEveryCommandAndOption() {
        assertEquals(0, cli.run("completion"), cli.err());
        String script = cli.out();
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script);
        assertTrue(script.contains("complete -F _complete_latent"), script);
        for (String word : List.of("summary", "train", "sweep", "--limit-batches", "--weight-init", "he-uniform",
                "rmsprop", "batch-time")) {
            assertTrue(script.contains(word), word + " in the completion script");
        }
    }

    @Test
    void aFailureIsOneLineWithoutAnExceptionName(@TempDir Path dir) {
        assertEquals(1, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--data", "no/such/file.idx", "--out",
                dir.toString()));
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().startsWith("latent: no/such/file.idx"), cli.err());
        assertFalse(cli.err().contains("Exception"), cli.err());
    }

    @Test
    void aProblemWithoutAMessageStillSaysWhatToDo() {
        assertEquals("an internal error (a missing value in CommandLineTest.aProblemWithoutAMessageStillSaysWhatToDo); "
                + "run again with --verbose and report the stack trace", ErrorLines.of(new NullPointerException()));
        assertEquals("/x/y: no such file or folder; check the path and its permissions",
                ErrorLines.of(new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/x/y"))));
    }
}
