package dev.latent.examples.study;

import dev.latent.examples.cli.DataSources;
import dev.latent.examples.report.HtmlPage;
import dev.latent.examples.report.ImageGrid;
import dev.latent.examples.report.ImageRow;
import dev.latent.examples.report.XyPlot;
import dev.latent.examples.seed.SeedExample1Trainer;
import dev.latent.examples.seed.SeedExample2Trainer;
import dev.latent.examples.seed.SeedExample3Trainer;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The seed study: its three examples, declared in the DSL, trained with their generated
 * trainers on the embedded digits (8,000 train, 2,000 test), compared in one table and a report.
 */
public final class Study {
    private static final int GRID_DIGITS = 10;
    /** One colour per example: its curves and its identity baseline. */
    private static final java.awt.Color[] EXAMPLE_COLOURS = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xd62728),
        new java.awt.Color(0x2ca02c)};

    private final Integer epochs;
    private final Path reportDir;
    private final PrintStream out;

    /**
     * @param epochs epochs for every example, or null for the declared 10
     * @param reportDir where the report goes
     */
    public Study(Integer epochs, Path reportDir, PrintStream out) {
        this.epochs = epochs;
        this.reportDir = reportDir;
        this.out = out;
    }

    /** One example's trainer, named as in the report. */
    private record Example(String name, String description, DenoisingTrainer<?> trainer) {}

    /** Trains the three examples, prints the table and writes the report. */
    public void run() {
        DataSources.TrainTest digits = DataSources.mnist(dev.latent.dsl.DataRange.UNIT);
        List<Example> examples = List.of(
                new Example("SeedExample1", "dense, noise 0.5", SeedExample1Trainer.create()),
                new Example("SeedExample2", "dense, noise 2.0", SeedExample2Trainer.create()),
                new Example("SeedExample3", "conv, noise 0.2", SeedExample3Trainer.create()));
        List<TrainingResult> results = new ArrayList<>();
        for (Example example : examples) {
            if (epochs != null) {
                example.trainer().epochs(epochs);
            }
            out.printf(Locale.ROOT, "%n== %s (%s) ==%n", example.name(), example.description());
            results.add(example.trainer().fit(digits.train(), digits.test()));
        }
        String table = table(examples, results);
        out.println();
        out.print(table);
        writeReport(examples, results, digits.test(), table);
        out.println("report: " + reportDir.toAbsolutePath().normalize());
    }

    private static String table(List<Example> examples, List<TrainingResult> results) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%-14s %-17s %9s %10s %10s %11s  %-9s %8s%n",
                "example", "setup", "params", "test loss", "identity", "mean image", "verdict", "seconds"));
        for (int i = 0; i < results.size(); i++) {
            TrainingResult r = results.get(i);
            t.append(String.format(Locale.ROOT, "%-14s %-17s %,9d %10.4f %10.4f %11.4f  %-9s %8.1f%n",
                    examples.get(i).name(), examples.get(i).description(), r.model().parameterCount(),
                    r.finalValidationLoss(), r.baselines().identityLoss(), r.baselines().meanLoss(),
                    r.diagnosis().verdict(), r.trainSeconds()));
        }
        return t.toString();
    }

    /**
     * Each example's train and validation loss per epoch and its identity baseline, and the mean-image
     * baseline they share (one test set), on a log scale: the losses span 0.01 to 0.36.
     */
    private static XyPlot lossCurves(List<Example> examples, List<TrainingResult> results) {
        XyPlot plot = new XyPlot("Seed study: MSE per epoch, with the baselines", "epoch", "MSE").logY().integerX();
        double last = results.stream().mapToInt(r -> r.epochs().size()).max().orElse(1);
        for (int i = 0; i < results.size(); i++) {
            TrainingResult r = results.get(i);
            String name = examples.get(i).name();
            java.awt.Color colour = EXAMPLE_COLOURS[i % EXAMPLE_COLOURS.length];
            double[] x = r.epochs().stream().mapToDouble(EpochStats::epoch).toArray();
            plot.line(new XyPlot.Line(name + " train", x, r.epochs().stream().mapToDouble(EpochStats::trainLoss).toArray(),
                    false, colour.brighter()));
            plot.line(new XyPlot.Line(name + " validation", x,
                    r.epochs().stream().mapToDouble(EpochStats::validationLoss).toArray(), false, colour));
            plot.line(XyPlot.Line.level(name + " identity", 1, last, r.baselines().identityLoss(), colour));
        }
        return plot.line(XyPlot.Line.level("mean image", 1, last, results.get(0).baselines().meanLoss(),
                java.awt.Color.GRAY));
    }

    private void writeReport(List<Example> examples, List<TrainingResult> results, Dataset test, String table) {
        try {
            Files.createDirectories(reportDir.resolve("models"));
            List<ImageRow> rows = new ArrayList<>();
            Dataset shown = test.head(GRID_DIGITS);
            rows.add(ImageRow.of("clean", shown.features(), shown.sampleShape()));
            StringBuilder readme = new StringBuilder("# Latent seed study\n\n")
                    .append("The seed's three examples, trained on 8,000 embedded MNIST digits and tested on the other 2,000.\n")
                    .append("Test loss is MSE on the noisy test digits; `identity` returns the noisy input, `mean image` the training mean.\n\n")
                    .append("```\n").append(table).append("```\n\n")
                    .append("![loss curves](loss-curves.png)\n\n![digits](digits.png)\n\n");
            StringBuilder csv = new StringBuilder("example,epoch,train_loss,validation_loss,seconds,samples_per_s\n");
            for (int i = 0; i < results.size(); i++) {
                TrainingResult r = results.get(i);
                String name = examples.get(i).name();
                for (EpochStats e : r.epochs()) {
                    csv.append(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.2f,%.1f%n", name, e.epoch(), e.trainLoss(),
                            e.validationLoss(), e.seconds(), e.samplesPerSecond()));
                }
                INDArray noisy = r.noise().toModel().corrupt(shown.features(), shown.range(),
                        Nd4j.getRandomFactory().getNewRandomInstance(r.seed() + 2));
                rows.add(ImageRow.of("ex. " + (i + 1) + " noisy", noisy, shown.sampleShape()));
                rows.add(ImageRow.of("ex. " + (i + 1) + " denoised", r.model().denoise(noisy), shown.sampleShape()));
                r.model().save(reportDir.resolve("models").resolve(name + ".zip"));
                readme.append("## ").append(name).append(" (").append(examples.get(i).description()).append(")\n\n```\n")
                        .append(r).append("\n```\n\n");
            }
            lossCurves(examples, results).write(reportDir.resolve("loss-curves.png"));
            ImageGrid.write(reportDir.resolve("digits.png"), "Test digits: clean, noisy, denoised", rows, 3);
            Files.writeString(reportDir.resolve("results.csv"), csv, StandardCharsets.UTF_8);
            Files.writeString(reportDir.resolve("README.md"), readme, StandardCharsets.UTF_8);
            HtmlPage page = new HtmlPage("Latent seed study")
                    .paragraph("The seed's three examples, trained on 8,000 embedded MNIST digits and tested on the other "
                            + "2,000. Test loss is MSE on the noisy test digits; identity returns the noisy input, mean "
                            + "image the training mean.")
                    .preformatted(table)
                    .image("loss-curves.png", "loss curves").image("digits.png", "clean, noisy and denoised test digits");
            for (int i = 0; i < results.size(); i++) {
                page.heading(examples.get(i).name() + " (" + examples.get(i).description() + ")")
                        .verdict(results.get(i).verdict().name(), results.get(i).diagnosis().summary()
                                + " " + results.get(i).diagnosis().advice())
                        .preformatted(results.get(i).toString());
            }
            page.write(reportDir.resolve("index.html"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + reportDir + ": " + e.getMessage(), e);
        }
    }

}
