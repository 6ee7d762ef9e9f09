package dev.latent.examples.cli;

import dev.latent.runtime.settings.TrainingSetting;
import dev.latent.runtime.settings.TrainingSettings;
import dev.latent.runtime.train.DenoisingTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The {@code train} command's overrides of the model's training settings: one option per
 * {@link TrainingSetting}, made from its flag, value label, range and description when picocli
 * builds the command, so that a new setting needs no code here.
 */
@Command(modelTransformer = TrainOptions.SettingOptions.class)
final class TrainOptions {
    @Option(names = "--limit-batches", paramLabel = "N", converter = Converters.AtLeastOne.class,
            description = "train at most N batches an epoch: a quick check that a model runs end to end")
    Integer limitBatches;

    /** The settings given on the command line, in the order given. */
    private final Map<TrainingSetting<?>, Object> given = new LinkedHashMap<>();

    /** Applies every training flag given to {@code trainer}. */
    void apply(DenoisingTrainer<?> trainer) {
        TrainingSettings settings = trainer.training();
        for (Map.Entry<TrainingSetting<?>, Object> entry : given.entrySet()) {
            settings = with(settings, entry.getKey(), entry.getValue());
        }
        trainer.training(settings);
        if (limitBatches != null) {
            trainer.limitBatches(limitBatches);
        }
    }

    private static <V> TrainingSettings with(TrainingSettings settings, TrainingSetting<V> setting, Object value) {
        return settings.with(setting, setting.type().cast(value));
    }

    /** The option of {@code setting}, storing its value in {@code options}. */
    static OptionSpec option(TrainingSetting<?> setting, TrainOptions options) {
        ISetter store = new ISetter() {
            @Override
            public <T> T set(T value) {
                // picocli sets an option's initial value, null, before it parses.
                if (value == null) {
                    options.given.remove(setting);
                } else {
                    options.given.put(setting, value);
                }
                return null;
            }
        };
        OptionSpec.Builder option = OptionSpec.builder(setting.flag())
                .paramLabel(setting.valueLabel())
                .type(setting.type())
                .converters(Converters.forSetting(setting))
                .description(usage(setting).replace("%", "%%"))
                .setter(store);
        List<String> candidates = Converters.candidates(setting.type());
        if (candidates != null) {
            option.completionCandidates(candidates);
        }
        return option.build();
    }

    /** The option's line in the usage: what it is, the values it takes and its default. */
    static String usage(TrainingSetting<?> setting) {
        String fallback = setting.declared() ? "the model's @Training" : Converters.text(setting.defaultValue());
        return setting.description() + "; " + Converters.values(setting) + " (default: " + fallback + ")";
    }

    /**
     * Adds an option per training setting, ahead of {@code --limit-batches}, when picocli builds the
     * command that mixes these options in (picocli hands the mixin's transformer to it).
     */
    static final class SettingOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            Optional<TrainOptions> options = Stream.concat(Stream.of(spec), spec.mixins().values().stream())
                    .map(CommandSpec::userObject).filter(TrainOptions.class::isInstance).map(TrainOptions.class::cast)
                    .findFirst();
            if (options.isEmpty() || spec.findOption(TrainingSetting.EPOCHS.flag()) != null) {
                return spec;
            }
            // picocli lists options in the order they were added: take --limit-batches and those after it
            // out, and put them back after the settings.
            List<OptionSpec> after = new ArrayList<>(spec.options());
            after.subList(0, after.indexOf(spec.findOption("--limit-batches"))).clear();
            after.forEach(spec::remove);
            for (TrainingSetting<?> setting : TrainingSetting.all()) {
                spec.addOption(option(setting, options.get()));
            }
            after.forEach(spec::addOption);
            return spec;
        }
    }

    /** The checkpoint folder of {@code --resume DIR}: DIR itself, or DIR/checkpoints when DIR is a run's output folder. */
    static Path checkpointDirectory(Path dir) {
        Path nested = dir.resolve("checkpoints");
        if (!Files.exists(dir.resolve(DenoisingTrainer.LAST_CHECKPOINT))
                && Files.exists(nested.resolve(DenoisingTrainer.LAST_CHECKPOINT))) {
            return nested;
        }
        return dir;
    }
}
