package dev.latent.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latent.dsl.Training;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The processor reads every attribute of {@code @Training}, and starts from its defaults. */
class TrainingSpecTest {

    @Test
    void hasAComponentForEveryTrainingAttribute() {
        List<String> attributes = Arrays.stream(Training.class.getDeclaredMethods()).map(Method::getName).sorted()
                .collect(Collectors.toList());
        List<String> components = Arrays.stream(TrainingSpec.class.getRecordComponents()).map(RecordComponent::getName)
                .filter(name -> !name.equals("source")).sorted().collect(Collectors.toList());
        assertEquals(attributes, components, "@Training's attributes and TrainingSpec's components: read a new "
                + "attribute in ModelReader.training and write it in generate.Settings.training");
    }

    @Test
    void defaultsAreTheAnnotations() throws ReflectiveOperationException {
        TrainingSpec defaults = TrainingSpec.defaults(null);
        for (Method attribute : Training.class.getDeclaredMethods()) {
            assertEquals(attribute.getDefaultValue(), TrainingSpec.class.getMethod(attribute.getName()).invoke(defaults),
                    attribute.getName());
        }
        assertEquals(10, defaults.epochs());
        assertEquals(1e-3, defaults.learningRate());
    }
}
