package dev.latent.runtime.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A run ended by {@link DenoisingTrainer#requestStop()} before its last epoch. The epoch under
 * way is dropped: a checkpoint holds whole epochs only, which is what lets a resumed run end
 * exactly where an uninterrupted one does. The last complete epoch's checkpoint, when the run
 * writes checkpoints, is on disk and {@link DenoisingTrainer#resume} continues from it.
 */
public final class TrainingStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int epochs;
    private final int checkpointedEpoch;
    private final transient Path checkpoints;

    TrainingStoppedException(String modelName, int epoch, int epochs, int checkpointedEpoch, Path checkpoints) {
        super(modelName + ": stopped on request in epoch " + epoch + " of " + epochs + "; "
                + (checkpointedEpoch > 0
                        ? "the checkpoint of epoch " + checkpointedEpoch + " is in "
                                + checkpoints.resolve(DenoisingTrainer.LAST_CHECKPOINT) + ": resume from " + checkpoints
                        : "no epoch was complete, so there is no checkpoint to resume from"));
        this.epoch = epoch;
        this.epochs = epochs;
        this.checkpointedEpoch = checkpointedEpoch;
        this.checkpoints = checkpointedEpoch > 0 ? checkpoints : null;
    }

    /** The epoch under way when the run stopped, dropped; 1-based. */
    public int epoch() {
        return epoch;
    }

    /** The epochs the run was to train. */
    public int epochs() {
        return epochs;
    }

    /** The last epoch whose checkpoint is on disk; 0 when there is none. */
    public int checkpointedEpoch() {
        return checkpointedEpoch;
    }

    /** The checkpoint folder to resume from, when a checkpoint is on disk. */
    public Optional<Path> checkpoints() {
        return Optional.ofNullable(checkpoints);
    }
}
