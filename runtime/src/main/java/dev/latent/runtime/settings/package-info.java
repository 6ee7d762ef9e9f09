/**
 * What a run is told, used by every other package of the runtime and using none of them: the
 * training settings ({@link dev.latent.runtime.settings.TrainingSettings}, with the learning-rate
 * schedules and the weight initialisation), the loss ({@link dev.latent.runtime.settings.LossSettings}),
 * sample shapes in Keras order ({@link dev.latent.runtime.settings.Shape}), the layer table and the
 * native settings (threads, which ND4J build), set in one place. The epoch records a schedule
 * reads ({@link dev.latent.runtime.settings.EpochStats}) live here for that reason.
 */
package dev.latent.runtime.settings;
