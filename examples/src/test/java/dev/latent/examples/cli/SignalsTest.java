package dev.latent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.train.RunLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The command line as a user, a script or a supervisor runs it, in its own process: killed with
 * SIGKILL or SIGTERM at a random point of training, nothing of it survives, and the run resumes
 * to exactly the weights of one that was never interrupted; a second run on a folder being
 * written is refused.
 */
@Tag("slow")
class SignalsTest {
    private static final int EPOCHS = 12;
    /** How long a killed command line's processes may outlive the signal. */
    private static final long SURVIVAL_MILLIS = 2000;

    private final Random random = new Random();

    private static String[] train(Path digits, String out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", TinyDigits.class.getName(), "--data", digits.toString(),
                "--epochs", Integer.toString(EPOCHS), "--limit-batches", "1", "--threads", "1", "--out", out));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aKilledCommandLineLeavesNoProcessAndItsRunResumesExactly(@TempDir Path dir) throws Exception {
        Path digits = CommandLineProcess.digits(dir, 300);

        CommandLineProcess whole = CommandLineProcess.start(dir, "whole", false, train(digits, "whole"));
        // As soon as it holds its folder: its 12 short epochs can end before a second JVM has started.
        awaitLock(whole, dir.resolve("whole"));
        CommandLineProcess second = CommandLineProcess.start(dir, "second", false, train(digits, "whole"));
        assertEquals(1, second.waitFor(), second.err());
        assertEquals("latent: whole is being written by another training run (PID " + whole.process.pid() + "); wait "
                + "for it to end or stop it, or write this run to another folder\n", second.err());
        assertEquals(0, whole.waitFor(), whole.err());

        CommandLineProcess terminated = CommandLineProcess.start(dir, "term", true, train(digits, "term"));
        List<ProcessHandle> termProcesses = killDuringTraining(terminated, dir.resolve("term"), false);
        String said = terminated.err();
        assertTrue(said.matches("(?s).*latent: training stopped by a signal in epoch \\d+ of 12; kept the checkpoint of "
                + "epoch \\d+ in term/checkpoints/last.zip: continue with the same command and --resume term\n.*"), said);
        assertEquals(2, termProcesses.size(), "the command line and its relaunched child: " + termProcesses);

        CommandLineProcess killed = CommandLineProcess.start(dir, "kill", true, train(digits, "kill"));
        killDuringTraining(killed, dir.resolve("kill"), true);

        for (String run : List.of("term", "kill")) {
            CommandLineProcess resumed = CommandLineProcess.start(dir, run + "-resumed", false,
                    train(digits, run, "--resume", run));
            assertEquals(0, resumed.waitFor(), resumed.err());
            // The trainer's log on the command line: one line, and none of the libraries' chatter.
            assertTrue(resumed.err().lines().anyMatch(l -> l.matches("\\[INFO\\] DenoisingTrainer - resuming "
                    + TinyDigits.class.getName() + " from .* after epoch \\d+ of 12")), resumed.err());
            assertFalse(resumed.err().contains("Loaded [CpuBackend]"), resumed.err());
            assertArrayEquals(outputs(dir.resolve("whole/model.zip")), outputs(dir.resolve(run + "/model.zip")),
                    run + ": the resumed run's weights are the uninterrupted run's");
        }
    }

    /**
     * Sends SIGTERM (or SIGKILL) to the command line at a random point after its first checkpoint,
     * and checks that none of its processes is alive {@value #SURVIVAL_MILLIS} ms later.
     */
    private List<ProcessHandle> killDuringTraining(CommandLineProcess cli, Path run, boolean forcibly)
            throws Exception {
        awaitCheckpoint(cli, run);
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(cli.process.toHandle());
        cli.process.descendants().forEach(processes::add);
        Thread.sleep(random.nextInt(400));
        assertTrue(cli.process.isAlive(), "the run ended before it could be killed: " + cli.out());
        if (forcibly) {
            cli.process.destroyForcibly();
        } else {
            cli.process.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SURVIVAL_MILLIS);
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<ProcessHandle> alive = processes.stream().filter(ProcessHandle::isAlive).toList();
        alive.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), alive, (forcibly ? "SIGKILL" : "SIGTERM") + ": alive after " + SURVIVAL_MILLIS
                + " ms; " + cli.err());
        assertNotEquals(0, cli.process.waitFor());
        return processes;
    }

    private static void awaitCheckpoint(CommandLineProcess cli, Path run) throws Exception {
        Path last = run.resolve("checkpoints/last.zip");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(last) && cli.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(last), "no checkpoint: " + cli.err());
    }

    private static void awaitLock(CommandLineProcess cli, Path run) throws Exception {
        Path lock = run.resolve(RunLock.FILE);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!(Files.exists(lock) && Files.size(lock) > 0) && cli.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(lock), "no lock: " + cli.err());
    }

    /** The model's denoising of fixed inputs, bit for bit. */
    private static float[] outputs(Path model) throws IOException {
        Random values = new Random(7);
        float[] pixels = new float[8 * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = values.nextFloat();
        }
        INDArray input = Nd4j.create(pixels, new long[] {8, 1, 28, 28});
        return Denoiser.load(model).denoiseRaw(input).ravel().toFloatVector();
    }
}
