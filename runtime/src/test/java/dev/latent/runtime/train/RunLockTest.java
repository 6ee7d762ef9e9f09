package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run at a time per folder; a lock file left by a killed run blocks nothing. */
class RunLockTest {
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    @Test
    void aSecondLockOnTheFolderIsRefusedNamingTheHolder(@TempDir Path dir) {
        try (RunLock first = RunLock.acquire(dir.resolve("run"))) {
            assertEquals(PID + "\n", read(first.file()));
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> RunLock.acquire(dir.resolve("run")));
            assertEquals(dir.resolve("run") + " is being written by another training run (PID " + PID + "); wait for "
                    + "it to end or stop it, or write this run to another folder", refused.getMessage());
        }
        RunLock.acquire(dir.resolve("run")).close(); // released
    }

    @Test
    void aLockFileLeftByAKilledProcessDoesNotBlock(@TempDir Path dir) throws Exception {
        // A process that has ended: its id in the file, but the operating system holds no lock for it.
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        Files.writeString(dir.resolve(RunLock.FILE), gone.pid() + "\n");

        try (RunLock lock = RunLock.acquire(dir)) {
            assertEquals(PID + "\n", read(lock.file()));
        }
        assertEquals("", read(dir.resolve(RunLock.FILE)), "emptied on release");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
