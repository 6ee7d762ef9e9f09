package dev.latent.runtime.model.file;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** A stream that fails as soon as more than a set number of bytes come out of it: a zip bomb stops there. */
final class LimitedInputStream extends FilterInputStream {
    private final Supplier<ModelFileException> problem;
    private long left;

    LimitedInputStream(InputStream in, long limit, Supplier<ModelFileException> problem) {
        super(in);
        this.left = limit;
        this.problem = problem;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0 && --left < 0) {
            throw new LimitExceeded(problem.get());
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // One byte past the limit is asked for, so that an entry of exactly the limit passes and a longer one fails.
        int n = super.read(buffer, offset, (int) Math.min(length, Math.max(left + 1, 1)));
        if (n > 0) {
            left -= n;
            if (left < 0) {
                throw new LimitExceeded(problem.get());
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return Math.max(read(new byte[(int) Math.max(0, Math.min(n, 8192))]), 0);
    }

    /** The limit was passed; carries the message for the user. */
    static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient ModelFileException problem;

        LimitExceeded(ModelFileException problem) {
            super(problem.getMessage());
            this.problem = problem;
        }

        ModelFileException problem() {
            return problem;
        }
    }
}
