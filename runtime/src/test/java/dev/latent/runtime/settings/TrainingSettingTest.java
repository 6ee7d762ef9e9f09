package dev.latent.runtime.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Training;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one declaration of the training settings against {@code @Training} and {@link TrainingSettings}. */
class TrainingSettingTest {

    /** A valid value other than the default, for each setting. */
    private static final Map<TrainingSetting<?>, Object> OTHER_VALUES = Map.ofEntries(
            Map.entry(TrainingSetting.EPOCHS, 3),
            Map.entry(TrainingSetting.BATCH_SIZE, 7),
            Map.entry(TrainingSetting.OPTIMIZER, Optimizer.SGD),
            Map.entry(TrainingSetting.LEARNING_RATE, 0.5),
            Map.entry(TrainingSetting.SEED, 9L),
            Map.entry(TrainingSetting.VALIDATION_SPLIT, 0.25),
            Map.entry(TrainingSetting.EARLY_STOPPING_PATIENCE, 2),
            Map.entry(TrainingSetting.SCHEDULE, LearningRateSchedule.step(2, 0.5)),
            Map.entry(TrainingSetting.GRADIENT_CLIPPING, 1.5),
            Map.entry(TrainingSetting.L2, 1e-4),
            Map.entry(TrainingSetting.WEIGHT_INIT, WeightInit.HE_NORMAL));

    @Test
    void everyTrainingAttributeIsASettingWithTheAnnotationsDefault() {
        for (Method attribute : Training.class.getDeclaredMethods()) {
            TrainingSetting<?> setting = TrainingSetting.all().stream()
                    .filter(s -> s.name().equals(attribute.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("@Training." + attribute.getName() + " has no "
                            + "TrainingSetting: declare one in TrainingSetting, with a component of that name in "
                            + "TrainingSettings and a setter in DenoisingTrainer"));
            assertEquals(boxed(attribute.getReturnType()), setting.type(), setting + "'s type");
            assertEquals(attribute.getDefaultValue(), setting.defaultValue(), setting + "'s default");
            assertTrue(setting.declared(), setting + " is declared by @Training");
        }
        long declared = TrainingSetting.all().stream().filter(TrainingSetting::declared).count();
        assertEquals(Training.class.getDeclaredMethods().length, declared);
    }

    @Test
    void everyComponentOfTrainingSettingsIsASettingInTheSameOrder() {
        List<String> components = Arrays.stream(TrainingSettings.class.getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.toList());
        List<String> settings = TrainingSetting.all().stream().map(TrainingSetting::name).collect(Collectors.toList());
        assertEquals(components, settings, "TrainingSettings' components and TrainingSetting.all()");
        for (RecordComponent component : TrainingSettings.class.getRecordComponents()) {
            TrainingSetting<?> setting = TrainingSetting.all().get(components.indexOf(component.getName()));
            assertEquals(boxed(component.getType()), setting.type(), setting + "'s type");
        }
    }

    @Test
    void eachSettingReadsAndWritesItsOwnComponentOnly() throws ReflectiveOperationException {
        TrainingSettings defaults = TrainingSettings.defaults();
        RecordComponent[] components = TrainingSettings.class.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            TrainingSetting<?> setting = TrainingSetting.all().get(i);
            Object other = OTHER_VALUES.get(setting);
            assertNotNull(other, "a value other than the default for " + setting + " in OTHER_VALUES");
            assertNotEquals(setting.defaultValue(), other, setting + "'s other value");
            assertEquals(setting.defaultValue(), setting.valueIn(defaults), setting + " in defaults()");
            TrainingSettings changed = withValue(defaults, setting, other);
            assertEquals(other, setting.valueIn(changed), setting + " read back");
            for (int j = 0; j < components.length; j++) {
                Object expected = i == j ? other : components[j].getAccessor().invoke(defaults);
                assertEquals(expected, components[j].getAccessor().invoke(changed),
                        setting + " changed only " + components[i].getName() + ", not " + components[j].getName());
            }
        }
    }

    @Test
    void namesAndFlagsAreUniqueAndEveryoneHasADescription() {
        Set<String> names = new HashSet<>();
        Set<String> flags = new HashSet<>();
        for (TrainingSetting<?> setting : TrainingSetting.all()) {
            assertTrue(names.add(setting.name()), setting + " twice");
            assertTrue(flags.add(setting.flag()), setting.flag() + " twice");
            assertTrue(setting.flag().matches("--[a-z0-9]+(-[a-z0-9]+)*"), setting.flag());
            assertTrue(setting.valueLabel().matches("[A-Z]+"), setting.valueLabel());
            assertTrue(!setting.description().isBlank() && !setting.description().contains("\n"), setting + "'s description");
            requireDefault(setting);
        }
    }

    @Test
    void aValueOutsideItsRangeGetsOneLineNamingTheSettingTheRangeAndTheValue() {
        TrainingSettings defaults = TrainingSettings.defaults();
        assertEquals("epochs must be at least 1, found 0",
                assertThrows(IllegalArgumentException.class, () -> defaults.withEpochs(0)).getMessage());
        assertEquals("batchSize must be at least 1, found -3",
                assertThrows(IllegalArgumentException.class, () -> defaults.withBatchSize(-3)).getMessage());
        assertEquals("learningRate must be greater than 0, found 0.0",
                assertThrows(IllegalArgumentException.class, () -> defaults.withLearningRate(0)).getMessage());
        assertEquals("learningRate must be greater than 0, found Infinity",
                assertThrows(IllegalArgumentException.class,
                        () -> defaults.withLearningRate(Double.POSITIVE_INFINITY)).getMessage());
        assertEquals("validationSplit must be at least 0 and below 1, found 1.0",
                assertThrows(IllegalArgumentException.class, () -> defaults.withValidationSplit(1)).getMessage());
        assertEquals("earlyStoppingPatience must be 0 (off) or more, found -1",
                assertThrows(IllegalArgumentException.class, () -> defaults.withEarlyStoppingPatience(-1)).getMessage());
        assertEquals("gradientClipping must be 0 (off) or more, found NaN",
                assertThrows(IllegalArgumentException.class, () -> defaults.withGradientClipping(Double.NaN)).getMessage());
        assertEquals("l2 must be 0 (off) or more, found -0.1",
                assertThrows(IllegalArgumentException.class, () -> defaults.withL2(-0.1)).getMessage());
        assertEquals("optimizer must not be null",
                assertThrows(IllegalArgumentException.class, () -> defaults.withOptimizer(null)).getMessage());
        assertEquals("validationSplit must be at least 0 and below 1, found -0.5",
                assertThrows(IllegalArgumentException.class,
                        () -> defaults.with(TrainingSetting.VALIDATION_SPLIT, -0.5)).getMessage());
    }

    @Test
    void printsEverySettingByName() {
        assertEquals("epochs=10, batchSize=64, optimizer=ADAM, learningRate=0.001, seed=42, validationSplit=0.1, "
                + "earlyStoppingPatience=0, schedule=constant, gradientClipping=0.0, l2=0.0, weightInit=DECLARED",
                TrainingSettings.defaults().toString());
    }

    private static TrainingSettings withValue(TrainingSettings settings, TrainingSetting<?> setting, Object value) {
        return withTyped(settings, setting, value);
    }

    private static <V> TrainingSettings withTyped(TrainingSettings settings, TrainingSetting<V> setting, Object value) {
        return settings.with(setting, setting.type().cast(value));
    }

    private static <V> void requireDefault(TrainingSetting<V> setting) {
        setting.require(setting.defaultValue());
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return Map.of(int.class, Integer.class, long.class, Long.class, double.class, Double.class,
                boolean.class, Boolean.class).get(type);
    }
}
