package io.dossier.core.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a whole blob and checks its SHA-256 against the one recorded at upload. A mismatch throws
 * at the end of the stream, before the last bytes are handed over, so a corrupted blob is never
 * served whole and silently: the reader's copy fails and the client sees a cut-off transfer.
 */
public final class VerifiedStream extends FilterInputStream {

    private final MessageDigest digest;
    private final String expected;
    private final String blobId;
    private boolean checked;

    public VerifiedStream(InputStream in, String expectedSha256, String blobId) {
        super(new java.io.BufferedInputStream(in, 64 * 1024));
        this.expected = expectedSha256;
        this.blobId = blobId;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        var one = new byte[1];
        var n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        var n = super.read(buffer, offset, length);
        if (n > 0) {
            digest.update(buffer, offset, n);
            if (in.available() == 0 && atEnd()) {
                verify();
            }
        } else if (n < 0) {
            verify();
        }
        return n;
    }

    /** Peeks whether the underlying stream is exhausted, without losing a byte. */
    private boolean atEnd() throws IOException {
        if (!in.markSupported()) {
            return false;
        }
        in.mark(1);
        var next = in.read();
        in.reset();
        return next < 0;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("a verified stream is read whole");
    }

    private void verify() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        var actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            throw new CorruptBlobException("blob " + blobId + " is corrupted: SHA-256 " + actual + ", recorded " + expected);
        }
    }

    /** The content of a blob no longer matches its recorded SHA-256. */
    public static final class CorruptBlobException extends IOException {
        public CorruptBlobException(String message) {
            super(message);
        }
    }
}
