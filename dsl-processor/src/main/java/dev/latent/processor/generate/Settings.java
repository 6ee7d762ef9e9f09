package dev.latent.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.latent.dsl.Resample;
import dev.latent.processor.model.LossSpec;
import dev.latent.processor.model.NoiseSpec;
import dev.latent.processor.model.TrainingSpec;

/**
 * The declared settings as runtime values: each written as the defaults plus only what the
 * model changes, so the generated constant reads like the annotation.
 */
final class Settings {
    private Settings() {}

    static CodeBlock training(TrainingSpec t) {
        // TrainingSettings.defaults() holds @Training's defaults: only the values the model changes follow.
        TrainingSpec d = TrainingSpec.defaults(t.source());
        CodeBlock.Builder b = CodeBlock.builder().add("$T.defaults()", Types.TRAINING_SETTINGS);
        if (t.epochs() != d.epochs()) {
            b.add(".withEpochs($L)", t.epochs());
        }
        if (t.batchSize() != d.batchSize()) {
            b.add(".withBatchSize($L)", t.batchSize());
        }
        if (t.optimizer() != d.optimizer()) {
            b.add(".withOptimizer($T.$L)", Types.OPTIMIZER, t.optimizer());
        }
        if (t.learningRate() != d.learningRate()) {
            b.add(".withLearningRate($L)", t.learningRate());
        }
        if (t.seed() != d.seed()) {
            b.add(".withSeed($LL)", t.seed());
        }
        if (t.validationSplit() != d.validationSplit()) {
            b.add(".withValidationSplit($L)", t.validationSplit());
        }
        if (t.earlyStoppingPatience() != d.earlyStoppingPatience()) {
            b.add(".withEarlyStoppingPatience($L)", t.earlyStoppingPatience());
        }
        return b.build();
    }

    static CodeBlock noise(NoiseSpec n) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (n.custom() != null) {
            ClassName custom = ClassName.bestGuess(n.custom().canonicalName());
            b.add("$T.custom($S, $T::new)", Types.NOISE_SETTINGS, n.custom().canonicalName(), custom);
        } else {
            b.add("$T.none()", Types.NOISE_SETTINGS);
            if (n.gaussian() != 0) {
                b.add(".withGaussian($L)", n.gaussian());
            }
            if (n.masking() != 0) {
                b.add(".withMasking($L)", n.masking());
            }
            if (n.blockMasking() != 0) {
                b.add(".withBlockMasking($L, $L)", n.blockMasking(), n.blockSize());
            }
            if (n.saltAndPepper() != 0) {
                b.add(".withSaltAndPepper($L)", n.saltAndPepper());
            }
            if (!n.clip()) {
                b.add(".withClip(false)");
            }
        }
        if (n.resample() != Resample.EVERY_BATCH) {
            b.add(".withResample($T.$L)", Types.RESAMPLE, n.resample());
        }
        return b.build();
    }

    static CodeBlock loss(LossSpec l) {
        if (l.custom() != null) {
            return CodeBlock.of("$T.custom($S, $T::new)", Types.LOSS_SETTINGS, l.custom().canonicalName(),
                    ClassName.bestGuess(l.custom().canonicalName()));
        }
        return CodeBlock.of("$T.of($T.$L)", Types.LOSS_SETTINGS, Types.LOSS_FUNCTION, l.function());
    }
}
