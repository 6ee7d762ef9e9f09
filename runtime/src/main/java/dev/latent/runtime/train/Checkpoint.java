package dev.latent.runtime.train;

import dev.latent.dsl.Optimizer;
import dev.latent.runtime.model.file.ArrayText;
import dev.latent.runtime.model.file.ModelFile;
import dev.latent.runtime.model.file.ModelFileException;
import dev.latent.runtime.settings.EpochHealth;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.LearningRateSchedule;
import dev.latent.runtime.settings.TrainingSettings;
import dev.latent.runtime.settings.WeightInit;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training state a checkpoint carries beside the model, so that {@code resume} continues a
 * run exactly where its last complete epoch ended: the settings, the epochs run and their
 * history, early stopping's best epoch (and its parameters), and the state of the shuffling and
 * noise generators. The optimizer state travels in the engine's own entries.
 *
 * <p>It is written into the same zip as the model, in one atomic write, so a checkpoint's model
 * and state always belong to the same epoch.
 *
 * @param modelName the model interface trained
 * @param settings the run's settings
 * @param noise the noise's description, to refuse a resume with other noise
 * @param loss the loss's description, likewise
 * @param trainSamples number of training samples, likewise for other data
 * @param validationSamples number of validation samples; 0 when the training data stood in
 * @param blockSize training samples shuffled together: all of them for data in memory, a block of
 *     streamed data; another block size shuffles otherwise
 * @param epochsDone the last complete epoch
 * @param history every epoch run, in order
 * @param best the best validation loss so far
 * @param bestEpoch its epoch; 0 if none
 * @param sinceBest epochs since it
 * @param bestParameters the best epoch's parameters when early stopping must restore them and they
 *     are not the checkpoint's own; null otherwise
 * @param noiseRootState the noise generator's native state, first half
 * @param noiseNodeState the noise generator's native state, second half
 * @param shuffler the shuffling generator
 * @param stoppedEarly whether early stopping ended the run
 */
record Checkpoint(
        String modelName,
        TrainingSettings settings,
        String noise,
        String loss,
        int trainSamples,
        int validationSamples,
        int blockSize,
        int epochsDone,
        List<EpochStats> history,
        double best,
        int bestEpoch,
        int sinceBest,
        INDArray bestParameters,
        long noiseRootState,
        long noiseNodeState,
        ShufflingRandom shuffler,
        boolean stoppedEarly) {

    /** The zip entry of the state's scalar values. */
    static final String STATE_ENTRY = "latent/train/state.properties";
    /** The zip entry of the epochs' history, one CSV row each. */
    static final String HISTORY_ENTRY = "latent/train/history.csv";
    /** The zip entry of the best epoch's parameters, when present. */
    static final String BEST_PARAMETERS_ENTRY = "latent/train/best-parameters";
    private static final int VERSION = 1;
    private static final String HISTORY_HEADER = "epoch,trainLoss,validationLoss,seconds,samplesPerSecond,learningRate,"
            + "batches,deadCodeShare,codeVariances,layers";
    private static final int HISTORY_COLUMNS = 10;

    /** The entries to add to the checkpoint's zip. */
    Map<String, String> entries() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("version", Integer.toString(VERSION));
        state.put("modelName", modelName);
        state.put("noise", noise);
        state.put("loss", loss);
        state.put("trainSamples", Integer.toString(trainSamples));
        state.put("validationSamples", Integer.toString(validationSamples));
        state.put("blockSize", Integer.toString(blockSize));
        state.put("epochsDone", Integer.toString(epochsDone));
        state.put("best", Double.toString(best));
        state.put("bestEpoch", Integer.toString(bestEpoch));
        state.put("sinceBest", Integer.toString(sinceBest));
        state.put("stoppedEarly", Boolean.toString(stoppedEarly));
        state.put("noiseRootState", Long.toString(noiseRootState));
        state.put("noiseNodeState", Long.toString(noiseNodeState));
        state.put("shufflerState", Long.toString(shuffler.state()));
        state.put("settings.epochs", Integer.toString(settings.epochs()));
        state.put("settings.batchSize", Integer.toString(settings.batchSize()));
        state.put("settings.optimizer", settings.optimizer().name());
        state.put("settings.learningRate", Double.toString(settings.learningRate()));
        state.put("settings.seed", Long.toString(settings.seed()));
        state.put("settings.validationSplit", Double.toString(settings.validationSplit()));
        state.put("settings.earlyStoppingPatience", Integer.toString(settings.earlyStoppingPatience()));
        state.put("settings.schedule", settings.schedule().toString());
        state.put("settings.gradientClipping", Double.toString(settings.gradientClipping()));
        state.put("settings.l2", Double.toString(settings.l2()));
        state.put("settings.weightInit", settings.weightInit().name());
        StringBuilder text = new StringBuilder("# Latent training state\n");
        // By hand rather than Properties.store: no timestamp, so equal states give equal entries.
        state.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));

        StringBuilder csv = new StringBuilder(HISTORY_HEADER).append('\n');
        for (EpochStats e : history) {
            // Double.toString round-trips exactly, so a resumed run's curves equal the original's.
            csv.append(e.epoch()).append(',').append(e.trainLoss()).append(',').append(e.validationLoss()).append(',')
                    .append(e.seconds()).append(',').append(e.samplesPerSecond()).append(',').append(e.learningRate())
                    .append(',').append(e.batches()).append(',').append(health(e.health())).append('\n');
        }
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(STATE_ENTRY, text.toString());
        entries.put(HISTORY_ENTRY, csv.toString());
        if (bestParameters != null) {
            entries.put(BEST_PARAMETERS_ENTRY, ArrayText.encode(bestParameters));
        }
        return entries;
    }

    /**
     * Reads the state of the checkpoint {@code zip}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static Checkpoint read(Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException(zip + ": no checkpoint to resume from (no such file); a run writes it "
                    + "after its first epoch when given a checkpoint directory");
        }
        try {
            // The whole file's entries checked and bounded, the network's included, before any is used.
            ModelFile file = ModelFile.read(zip);
            String stateText = text(file, STATE_ENTRY, zip);
            String historyText = text(file, HISTORY_ENTRY, zip);
            INDArray bestParameters = file.arrayText(BEST_PARAMETERS_ENTRY);
            if (bestParameters != null && (!file.hasNetwork() || bestParameters.length() != file.parameterCount())) {
                throw new IllegalArgumentException(BEST_PARAMETERS_ENTRY + " holds " + bestParameters.length()
                        + " values, the network " + (file.hasNetwork() ? file.parameterCount() : 0));
            }
            Properties p = new Properties();
            p.load(new StringReader(stateText));
            int version = integer(p, "version", 1, Integer.MAX_VALUE);
            if (version > VERSION) {
                throw new IllegalArgumentException(zip + ": training state written by a newer Latent (version " + version
                        + "); this runtime reads up to version " + VERSION + ", update Latent to resume it");
            }
            TrainingSettings settings = new TrainingSettings(
                    integer(p, "settings.epochs", 1, Integer.MAX_VALUE),
                    integer(p, "settings.batchSize", 1, Integer.MAX_VALUE),
                    constant(p, "settings.optimizer", Optimizer.class),
                    number(p, "settings.learningRate"),
                    whole(p, "settings.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                    number(p, "settings.validationSplit"),
                    integer(p, "settings.earlyStoppingPatience", 0, Integer.MAX_VALUE),
                    LearningRateSchedule.parse(required(p, "settings.schedule")),
                    number(p, "settings.gradientClipping"),
                    number(p, "settings.l2"),
                    constant(p, "settings.weightInit", WeightInit.class));
            int trainSamples = integer(p, "trainSamples", 1, Integer.MAX_VALUE);
            int epochsDone = integer(p, "epochsDone", 1, settings.epochs());
            List<EpochStats> history = history(historyText);
            if (history.size() != epochsDone) {
                throw new IllegalArgumentException(HISTORY_ENTRY + " holds " + history.size() + " epochs, "
                        + STATE_ENTRY + " says " + epochsDone + " were done");
            }
            int bestEpoch = integer(p, "bestEpoch", 0, epochsDone);
            double best = number(p, "best");
            if (Double.isNaN(best)) {
                throw new IllegalArgumentException(STATE_ENTRY + ": best is NaN, expected a loss");
            }
            ShufflingRandom shuffler = p.getProperty("shufflerState") != null
                    ? ShufflingRandom.ofState(whole(p, "shufflerState", 0, ShufflingRandom.STATES - 1))
                    : LegacyShuffler.read(required(p, "shuffler"));
            return new Checkpoint(required(p, "modelName"), settings, required(p, "noise"), required(p, "loss"),
                    trainSamples, integer(p, "validationSamples", 0, Integer.MAX_VALUE),
                    // Checkpoints from before streaming trained on data in memory: one block.
                    p.getProperty("blockSize") == null ? trainSamples : integer(p, "blockSize", 1, trainSamples),
                    epochsDone, history, best, bestEpoch,
                    integer(p, "sinceBest", 0, epochsDone), bestParameters,
                    whole(p, "noiseRootState", Long.MIN_VALUE, Long.MAX_VALUE),
                    whole(p, "noiseNodeState", Long.MIN_VALUE, Long.MAX_VALUE),
                    shuffler, bool(p, "stoppedEarly"));
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage() + "; resume from another checkpoint or train anew", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(zip + ": cannot read the checkpoint (" + e.getMessage()
                    + "); resume from another checkpoint or train anew", e);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(zip.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(zip + ": corrupt training state: " + e.getMessage()
                    + "; resume from another checkpoint or train anew", e);
        }
    }

    private static int integer(Properties p, String key, int min, int max) {
        return (int) whole(p, key, min, max);
    }

    private static long whole(Properties p, String key, long min, long max) {
        String text = required(p, key);
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s is '%s', expected a whole number",
                    STATE_ENTRY, key, text));
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s is %d, expected %d to %d",
                    STATE_ENTRY, key, value, min, max));
        }
        return value;
    }

    private static double number(Properties p, String key) {
        String text = required(p, key);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s is '%s', expected a number",
                    STATE_ENTRY, key, text));
        }
    }

    private static boolean bool(Properties p, String key) {
        String text = required(p, key);
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s is '%s', expected true or false",
                    STATE_ENTRY, key, text));
        }
        return text.equals("true");
    }

    private static <E extends Enum<E>> E constant(Properties p, String key, Class<E> type) {
        String text = required(p, key);
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s is '%s', expected one of %s",
                    STATE_ENTRY, key, text, java.util.Arrays.toString(type.getEnumConstants())));
        }
    }

    private static List<EpochStats> history(String csv) {
        List<EpochStats> history = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (line.isBlank() || line.startsWith("epoch,")) {
                continue;
            }
            String[] f = line.trim().split(",", -1);
            if (f.length != HISTORY_COLUMNS) {
                throw new IllegalArgumentException(HISTORY_ENTRY + ": expected " + HISTORY_COLUMNS + " values per row ("
                        + HISTORY_HEADER + "), found '" + printable(line) + "'");
            }
            if (!f[0].equals(Integer.toString(history.size() + 1))) {
                throw new IllegalArgumentException(HISTORY_ENTRY + ": row " + (history.size() + 1) + " is epoch '" + f[0]
                        + "', expected " + (history.size() + 1));
            }
            history.add(new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Integer.parseInt(f[6]), health(f[7], f[8], f[9])));
        }
        return history;
    }

    // Three CSV fields; lists separated by ';', a layer's name and numbers by ':'. Empty when not measured.
    private static String health(EpochHealth health) {
        if (health == null) {
            return ",,";
        }
        StringBuilder s = new StringBuilder().append(health.deadCodeShare()).append(',');
        s.append(String.join(";", health.codeVariances().stream().map(String::valueOf).toList())).append(',');
        s.append(String.join(";", health.layers().stream()
                .map(l -> l.layer() + ":" + l.gradientNorm() + ":" + l.updateRatio() + ":" + l.firstUpdateRatio()).toList()));
        return s.toString();
    }

    private static EpochHealth health(String dead, String variances, String layers) {
        if (dead.isEmpty()) {
            return null;
        }
        List<Double> codeVariances = variances.isEmpty() ? List.of()
                : java.util.Arrays.stream(variances.split(";")).map(Double::valueOf).toList();
        List<EpochHealth.LayerHealth> layerHealth = new ArrayList<>();
        if (!layers.isEmpty()) {
            for (String layer : layers.split(";")) {
                String[] p = layer.split(":");
                if (p.length != 4) {
                    throw new IllegalArgumentException(HISTORY_ENTRY + ": a layer is "
                            + "name:gradientNorm:updateRatio:firstUpdateRatio, found '" + layer + "'");
                }
                layerHealth.add(new EpochHealth.LayerHealth(p[0], Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                        Double.parseDouble(p[3])));
            }
        }
        return new EpochHealth(Double.parseDouble(dead), codeVariances, layerHealth);
    }

    private static String text(ModelFile file, String name, Path zip) {
        String text = file.text(name);
        if (text == null) {
            throw new IllegalArgumentException(zip + ": a model but not a training checkpoint (no " + name
                    + "); resume from the checkpoint directory's last.zip");
        }
        return text;
    }

    // A hostile row may hold anything: the message shows a short, printable part of it.
    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: missing %s", STATE_ENTRY, key));
        }
        return value.trim();
    }
}
