package dev.latent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latent.runtime.settings.TrainingSetting;
import org.junit.jupiter.api.Test;

/** Every training setting can be written on the command line: its default, as the docs print it, reads back. */
class TrainOptionsTest {

    @Test
    void everyDefaultReadsBackFromItsText() throws Exception {
        for (TrainingSetting<?> setting : TrainingSetting.all()) {
            String text = Converters.text(setting.defaultValue());
            assertEquals(setting.defaultValue(), Converters.forSetting(setting).convert(text), setting.flag() + " " + text);
        }
    }
}
