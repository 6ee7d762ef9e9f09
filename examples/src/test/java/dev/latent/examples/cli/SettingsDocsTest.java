package dev.latent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.settings.TrainingSetting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The docs' tables of training settings are written from {@link TrainingSetting}, like golden
 * files: after changing a setting, rewrite them with
 * {@code mvn -B -o -pl dsl-annotations,dsl-processor,runtime,spark,examples test -Dtest=SettingsDocsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dlatent.updateDocs=true} and review the diff.
 */
class SettingsDocsTest {
    static final String BEGIN = "<!-- settings: written from TrainingSetting by SettingsDocsTest; edit there -->";
    static final String END = "<!-- end of settings -->";

    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void trainingMdListsEverySettingForTheTrainerAndTheCommandLine() throws IOException {
        assertTableIsUpToDate(DOCS.resolve("training.md"), trainerTable());
    }

    @Test
    void commandLineMdListsEverySettingsOption() throws IOException {
        assertTableIsUpToDate(DOCS.resolve("command-line.md"), optionTable());
    }

    @Test
    void annotationsMdHasARowForEveryTrainingAttribute() throws IOException {
        // That table is the annotation's reference, with the warnings each value can get: written by hand.
        String text = Files.readString(DOCS.resolve("annotations.md"), StandardCharsets.UTF_8);
        for (TrainingSetting<?> setting : TrainingSetting.all()) {
            if (setting.declared()) {
                assertTrue(text.contains("\n| `" + setting.name() + "` | "), "docs/annotations.md has no row for "
                        + "@Training's " + setting.name() + " in its @Training table");
            }
        }
    }

    /** The trainer's setter, the flag, the values, the default and what it does. */
    static String trainerTable() {
        StringBuilder table = new StringBuilder("| trainer | `train` flag | values | default | what |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (TrainingSetting<?> setting : TrainingSetting.all()) {
            String defaultValue = "`" + Converters.text(setting.defaultValue()) + "`"
                    + (setting.declared() ? " (`@Training`)" : "");
            table.append("| `").append(setting.name()).append('(').append(parameterType(setting)).append(")` | `")
                    .append(setting.flag()).append(' ').append(setting.valueLabel()).append("` | ")
                    .append(cell(Converters.values(setting))).append(" | ").append(defaultValue).append(" | ")
                    .append(cell(setting.description())).append(" |\n");
        }
        return table.toString();
    }

    /** The flag, the values, the default and what it does. */
    static String optionTable() {
        StringBuilder table = new StringBuilder("| option | value | default | what |\n| --- | --- | --- | --- |\n");
        for (TrainingSetting<?> setting : TrainingSetting.all()) {
            String defaultValue = setting.declared() ? "the model's `@Training`"
                    : "`" + Converters.text(setting.defaultValue()) + "`";
            table.append("| `").append(setting.flag()).append(' ').append(setting.valueLabel()).append("` | ")
                    .append(cell(Converters.values(setting))).append(" | ").append(defaultValue).append(" | ")
                    .append(cell(setting.description())).append(" |\n");
        }
        return table.toString();
    }

    private static String parameterType(TrainingSetting<?> setting) {
        return Map.<Class<?>, String>of(Integer.class, "int", Long.class, "long", Double.class, "double")
                .getOrDefault(setting.type(), setting.type().getSimpleName());
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static void assertTableIsUpToDate(Path doc, String table) throws IOException {
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, doc + " has no " + BEGIN + " ... " + END + " block for the table");
        String current = text.substring(begin + BEGIN.length() + 1, end);
        String expected = table;
        if (!current.equals(expected) && Boolean.getBoolean("latent.updateDocs")) {
            Files.writeString(doc, text.substring(0, begin + BEGIN.length() + 1) + expected + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(expected, current, doc + "'s table of settings differs from TrainingSetting: rewrite it with "
                + "-Dtest=SettingsDocsTest -Dlatent.updateDocs=true (see this test's Javadoc) and review the diff");
    }
}
