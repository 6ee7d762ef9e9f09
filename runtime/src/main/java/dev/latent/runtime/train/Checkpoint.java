package dev.latent.runtime.train;

import dev.latent.dsl.Optimizer;
import dev.latent.runtime.engine.ArrayText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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
        java.util.Random shuffler,
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
        state.put("shuffler", serialize(shuffler));
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
        try (ZipFile file = new ZipFile(zip.toFile())) {
            String stateText = text(file, STATE_ENTRY, zip);
            String historyText = text(file, HISTORY_ENTRY, zip);
            ZipEntry bestEntry = file.getEntry(BEST_PARAMETERS_ENTRY);
            INDArray bestParameters = null;
            if (bestEntry != null) {
                try (InputStream in = file.getInputStream(bestEntry)) {
                    bestParameters = ArrayText.decode(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            Properties p = new Properties();
            p.load(new StringReader(stateText));
            int version = Integer.parseInt(required(p, "version"));
            if (version > VERSION) {
                throw new IllegalArgumentException(zip + ": training state written by a newer Latent (version " + version
                        + "); this runtime reads up to version " + VERSION);
            }
            TrainingSettings settings = new TrainingSettings(
                    Integer.parseInt(required(p, "settings.epochs")),
                    Integer.parseInt(required(p, "settings.batchSize")),
                    Optimizer.valueOf(required(p, "settings.optimizer")),
                    Double.parseDouble(required(p, "settings.learningRate")),
                    Long.parseLong(required(p, "settings.seed")),
                    Double.parseDouble(required(p, "settings.validationSplit")),
                    Integer.parseInt(required(p, "settings.earlyStoppingPatience")),
                    LearningRateSchedule.parse(required(p, "settings.schedule")),
                    Double.parseDouble(required(p, "settings.gradientClipping")),
                    Double.parseDouble(required(p, "settings.l2")),
                    WeightInit.valueOf(required(p, "settings.weightInit")));
            return new Checkpoint(required(p, "modelName"), settings, required(p, "noise"), required(p, "loss"),
                    Integer.parseInt(required(p, "trainSamples")), Integer.parseInt(required(p, "validationSamples")),
                    // Checkpoints from before streaming trained on data in memory: one block.
                    Integer.parseInt(p.getProperty("blockSize", required(p, "trainSamples"))),
                    Integer.parseInt(required(p, "epochsDone")), history(historyText),
                    Double.parseDouble(required(p, "best")), Integer.parseInt(required(p, "bestEpoch")),
                    Integer.parseInt(required(p, "sinceBest")), bestParameters,
                    Long.parseLong(required(p, "noiseRootState")), Long.parseLong(required(p, "noiseNodeState")),
                    deserialize(required(p, "shuffler")), Boolean.parseBoolean(required(p, "stoppedEarly")));
        } catch (IOException e) {
            throw new IllegalArgumentException(zip + ": cannot read the checkpoint: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(zip.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(zip + ": corrupt training state: " + e.getMessage(), e);
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
                        + HISTORY_HEADER + "), found '" + line + "'");
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

    private static String text(ZipFile file, String name, Path zip) throws IOException {
        ZipEntry entry = file.getEntry(name);
        if (entry == null) {
            throw new IllegalArgumentException(zip + ": a model but not a training checkpoint (no " + name
                    + "); resume from the checkpoint directory's last.zip");
        }
        try (InputStream in = file.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: missing %s", STATE_ENTRY, key));
        }
        return value.trim();
    }

    // java.util.Random exposes no state, but serialises it exactly.
    private static String serialize(java.util.Random random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static java.util.Random deserialize(String text) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(text)))) {
            // A checkpoint may come from anywhere: nothing but the generator itself is deserialised.
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("java.util.Random;!*"));
            Object value = in.readObject();
            if (!(value instanceof java.util.Random random) || value.getClass() != java.util.Random.class) {
                throw new IOException("the shuffler's state is not a java.util.Random");
            }
            return random;
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }
}
