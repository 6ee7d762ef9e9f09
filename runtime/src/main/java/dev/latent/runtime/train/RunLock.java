package dev.latent.runtime.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a trainer holds on the folder it writes, so that two runs never write the same
 * checkpoints: a file {@value #FILE} in the folder holding the holder's process id, locked with
 * the operating system's file lock. The operating system drops that lock when its process ends,
 * however it ends, so a {@value #FILE} left by a killed run blocks nothing: the next run takes
 * the lock and writes its own id. The file stays after {@link #close()}, emptied; removing it
 * could let a run that opened the old file lock it while another locks a new one.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name inside the folder. */
    public static final String FILE = ".lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code directory} (created if missing) for this process.
     *
     * @throws IllegalStateException if another run holds it; the message names the holder's process id
     * @throws UncheckedIOException if the folder or its lock file cannot be created
     */
    public static RunLock acquire(Path directory) {
        Path file = directory.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process, by another trainer or command
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new IllegalStateException(directory + " is being written by another training run (PID " + holder
                        + "); wait for it to end or stop it, or write this run to another folder");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            channel.force(false);
            return new RunLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException(file + ": cannot lock the run folder: " + e.getMessage(), e);
        }
    }

    /** The process id the lock file names, or "unknown" when it names none. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        return text.matches("\\d{1,19}") ? text : "unknown";
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Empties the lock file and releases the lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot release the run folder's lock: " + e.getMessage(), e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing releases the lock; a failure here leaves nothing to undo.
            }
        }
    }
}
