package io.dossier.api.xml;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes at most {@code limit} bytes; one byte more fails the read and marks the stream {@link #exceeded()}. */
final class BoundedInputStream extends FilterInputStream {

    private final long limit;
    private long count;
    private boolean exceeded;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        if (count >= limit) {
            return overLimit();
        }
        var b = in.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (count >= limit) {
            return overLimit();
        }
        var n = in.read(buffer, offset, (int) Math.min(length, limit - count));
        if (n > 0) {
            count += n;
        }
        return n;
    }

    /** At the limit: the end of the stream is fine, one more byte is not. */
    private int overLimit() throws IOException {
        if (in.read() < 0) {
            return -1;
        }
        exceeded = true;
        throw new IOException("the document is larger than " + limit + " bytes");
    }

    @Override
    public long skip(long n) throws IOException {
        var buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        var read = buffer.length == 0 ? 0 : read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), limit - Math.min(count, limit));
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readLimit) { }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    @Override
    public void close() { }
}
