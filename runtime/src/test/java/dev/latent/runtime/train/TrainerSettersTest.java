package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latent.runtime.settings.TrainingSetting;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer has a fluent setter for every {@link TrainingSetting}: what generated trainers expose. */
class TrainerSettersTest {

    @Test
    void everySettingHasASetterOfItsNameAndType() {
        for (TrainingSetting<?> setting : TrainingSetting.all()) {
            Class<?> parameter = Map.<Class<?>, Class<?>>of(Integer.class, int.class, Long.class, long.class,
                    Double.class, double.class).getOrDefault(setting.type(), setting.type());
            Method setter;
            try {
                setter = DenoisingTrainer.class.getMethod(setting.name(), parameter);
            } catch (NoSuchMethodException e) {
                throw new AssertionError("DenoisingTrainer has no " + setting.name() + "(" + parameter.getSimpleName()
                        + ") for TrainingSetting " + setting + ": add it beside the others");
            }
            // T, the concrete trainer, erases to DenoisingTrainer.
            assertEquals(DenoisingTrainer.class, setter.getReturnType(), setting + "'s setter returns the trainer");
        }
    }
}
