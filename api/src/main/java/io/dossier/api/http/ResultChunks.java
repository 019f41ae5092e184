package io.dossier.api.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Hands a body to the response in the pieces Javalin hands a {@code result(bytes)} body over in
 * (whole pieces of {@link #SIZE} bytes, then the rest; its stream is closed by Javalin after the
 * handler), so the server frames it as it did that body (a Content-Length when it fits its buffer,
 * else chunked) and decides on compression alike.
 */
final class ResultChunks extends OutputStream {

    /** Javalin's {@code responseBufferSize} when not configured, as here. */
    static final int SIZE = 32 * 1024;
    private final OutputStream out;
    private final byte[] buffer = new byte[SIZE];
    private int filled;

    ResultChunks(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == SIZE) {
            drain();
        }
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == SIZE) {
                drain();
            }
            int n = Math.min(length, SIZE - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    private void drain() throws IOException {
        out.write(buffer, 0, filled);
        filled = 0;
    }

    /** Hands over what is left; the response's stream stays open, for Javalin to close. */
    void finish() throws IOException {
        if (filled > 0) {
            drain();
        }
    }
}
