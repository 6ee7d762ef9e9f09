package dev.latent.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.examples.cli.DataSources;
import dev.latent.examples.seed.SeedExample1Network;
import dev.latent.examples.seed.SeedExample1Trainer;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.train.TrainingResult;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training report: a page that opens from the disk, its loss curves and its samples. */
class TrainingReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static TrainingResult result;
    private static Dataset validation;

    @BeforeAll
    static void train() {
        DataSources.TrainTest digits = DataSources.mnist(DataRange.UNIT);
        validation = digits.test().head(300);
        result = SeedExample1Trainer.create().epochs(2).quiet().fit(digits.train().head(1_000), validation);
    }

    @Test
    void writesThePageTheCurvesAndTheSamples(@TempDir Path dir) throws Exception {
        TrainingReport.write(dir, result, new SeedExample1Network().summary(), validation);

        BufferedImage curves = ImageIO.read(dir.resolve(TrainingReport.LOSS_CURVES).toFile());
        assertEquals(XyPlot.WIDTH, curves.getWidth());
        assertEquals(XyPlot.HEIGHT, curves.getHeight());
        assertTrue(distinctColours(curves) > 4, "a chart, not a blank image");
        BufferedImage samples = ImageIO.read(dir.resolve(TrainingReport.SAMPLES).toFile());
        assertTrue(samples.getWidth() > 10 * 28 && samples.getHeight() > 3 * 28, samples.toString());

        String html = Files.readString(dir.resolve(TrainingReport.INDEX), StandardCharsets.UTF_8);
        assertTrue(html.contains("<img src=\"loss-curves.png\"") && html.contains("<img src=\"samples.png\""), html);
        assertTrue(html.contains("<strong>" + result.verdict() + "</strong>"), html);
        assertTrue(html.contains("identity baseline"), html);
        assertTrue(html.contains("Total params: 209,968"), "the model summary: " + html);
        assertTrue(html.contains("learningRate=0.001"), "the settings: " + html);
        assertTrue(html.contains("<td>2</td>"), "one row per epoch: " + html);
        assertTrue(html.contains("engine: direct step") && html.contains("encoder."), "the engine's plan: " + html);
    }

    @Test
    void thePageOpensInHeadlessChromiumWithEveryImage(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "skipped: " + CHROMIUM + " is missing; install Debian's "
                + "chromium package (apt-get install -y chromium) to render the report in a real browser");
        TrainingReport.write(dir, result, new SeedExample1Network().summary(), validation);

        String dom = chromium(dir.resolve(TrainingReport.INDEX));
        assertTrue(dom.contains("data-images=\"loaded\""), "every image loaded: " + tail(dom));

        Files.delete(dir.resolve(TrainingReport.SAMPLES));
        assertTrue(chromium(dir.resolve(TrainingReport.INDEX)).contains("data-images=\"missing: samples.png\""),
                "the check can fail");
    }

    private static String chromium(Path page) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--disable-gpu",
                "--no-sandbox", "--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom",
                page.toUri().toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String tail(String text) {
        return text.length() > 600 ? "..." + text.substring(text.length() - 600) : text;
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
