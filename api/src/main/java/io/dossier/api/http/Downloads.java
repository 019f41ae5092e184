package io.dossier.api.http;

import io.dossier.core.content.ByteRange;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredFile;
import io.dossier.core.content.VerifiedStream;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * Sends a stored file the same way for every dialect: Content-Type, Content-Length, a strong ETag
 * from the SHA-256, {@code Accept-Ranges: bytes}, Content-Disposition with an RFC 6266
 * {@code filename*} for names that are not plain ASCII, single ranges as 206, unsatisfiable ones as
 * 416, conditional requests. A file kept on local disk is read into one reused direct buffer and written straight to the
 * socket; any other blob is streamed through one 64 KiB buffer. A whole file is checked against
 * its SHA-256 on the way and the last bytes are held back until the check passes, so a corrupted
 * blob is never served whole.
 */
public final class Downloads {

    private static final int BUFFER = 64 * 1024;
    private static final long CHUNK = 256L * 1024;

    private Downloads() {
    }

    /** What happened to a download. */
    public enum Outcome {
        /** every byte asked for was handed to the client */
        COMPLETE,
        /** nothing or only headers were sent (HEAD, 304, 416) */
        NO_BODY,
        /** the client went away, or the blob failed its check, before the end */
        CUT_OFF
    }

    /**
     * Writes the status line, headers and (unless {@code HEAD}) the body; ranges as {@code Range}
     * asks. For an unsatisfiable range the status is 416 with {@code Content-Range: bytes *}{@code /size}
     * and {@code unsatisfiable} writes the dialect's body.
     */
    public static Outcome send(Context ctx, ContentService content, StoredFile file, java.util.function.Consumer<Context> unsatisfiable)
            throws IOException {
        var etag = "\"" + file.sha256() + "\"";
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("ETag", etag);
        ctx.header("Content-Disposition", contentDisposition("attachment", file.name()));
        ctx.header("Cache-Control", "private, no-transform");
        ctx.header("X-Content-Type-Options", "nosniff");
        var noneMatch = ctx.header("If-None-Match");
        if (noneMatch != null && (noneMatch.strip().equals("*") || List.of(noneMatch.split(",")).stream().map(String::strip).anyMatch(etag::equals))) {
            ctx.status(304);
            return Outcome.NO_BODY;
        }
        var ifRange = ctx.header("If-Range");
        var ranges = ifRange == null || ifRange.strip().equals(etag) ? RangeHeader.parse(ctx.header("Range")) : java.util.Optional.<List<ByteRange>>empty();
        ByteRange.Resolved range = ByteRange.Resolved.whole(file.size());
        var partial = false;
        if (ranges.isPresent() && ranges.get().size() == 1) {
            var resolved = ByteRange.resolve(ranges.get().getFirst(), file.size());
            if (resolved.isEmpty()) {
                ctx.header("Content-Range", "bytes */" + file.size());
                ctx.res().setHeader("Content-Disposition", null);
                ctx.res().setHeader("ETag", null);
                ctx.status(416);
                unsatisfiable.accept(ctx);
                ctx.status(416);
                return Outcome.NO_BODY;
            }
            range = resolved.get();
            partial = true;
        }
        ctx.status(partial ? 206 : 200);
        ctx.contentType(file.mediaType() == null ? "application/octet-stream" : file.mediaType());
        if (partial) {
            ctx.header("Content-Range", "bytes " + range.offset() + "-" + range.last() + "/" + file.size());
        }
        ctx.res().setContentLengthLong(range.length());
        if (ctx.method().name().equals("HEAD")) {
            return Outcome.NO_BODY;
        }
        return write(ctx, content, file, range, !partial);
    }

    /** Writes {@code range} of the file as the response body; the caller has set status and headers. */
    public static Outcome write(Context ctx, ContentService content, StoredFile file, ByteRange.Resolved range, boolean verify)
            throws IOException {
        try {
            var out = ctx.res().getOutputStream();
            var local = content.blobs().localFile(file.blobId());
            if (local.isPresent() && out instanceof HttpOutput jetty) {
                local(jetty, local.get(), range, verify ? file.sha256() : null, file.blobId());
            } else {
                try (InputStream in = verify ? content.openWhole(file) : content.openRange(file, range)) {
                    copy(in, out);
                }
            }
            out.flush();
            return Outcome.COMPLETE;
        } catch (IOException cutOff) {
            if (cutOff instanceof VerifiedStream.CorruptBlobException corrupt) {
                org.slf4j.LoggerFactory.getLogger(Downloads.class).error("not serving file {}: {}", file.ouid(), corrupt.getMessage());
                if (!ctx.res().isCommitted()) {
                    // found before a byte went out: drop the file's headers and say so in the dialect's own shape
                    ctx.res().reset();
                    throw io.dossier.core.Failure.unavailable("the stored file is damaged and was not served", corrupt);
                }
            }
            // the client went away, or the blob failed its check mid-way: cut the connection
            abort(ctx);
            return Outcome.CUT_OFF;
        }
    }

    /**
     * Reads the file through one reused direct buffer and writes each buffer straight to Jetty (no
     * copy into the heap). With {@code sha256} the bytes are hashed on the way and the last buffer is
     * written only after the hash matched.
     */
    private static void local(HttpOutput out, Path path, ByteRange.Resolved range, String sha256, String blobId) throws IOException {
        var digest = sha256 == null ? null : sha256();
        var buffer = java.nio.ByteBuffer.allocateDirect((int) Math.min(CHUNK, Math.max(range.length(), 1)));
        try (var channel = FileChannel.open(path, StandardOpenOption.READ)) {
            var position = range.offset();
            var remaining = range.length();
            while (remaining > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, position + buffer.position()) < 0) {
                        throw new java.io.EOFException("blob " + blobId + " is shorter than recorded");
                    }
                }
                buffer.flip();
                var read = buffer.remaining();
                if (digest != null) {
                    digest.update(buffer.duplicate());
                    if (remaining == read) {
                        var actual = HexFormat.of().formatHex(digest.digest());
                        if (!actual.equals(sha256)) {
                            throw new VerifiedStream.CorruptBlobException("blob " + blobId + " is corrupted: SHA-256 " + actual + ", recorded " + sha256);
                        }
                    }
                }
                out.write(buffer);
                position += read;
                remaining -= read;
            }
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        var buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
    }

    private static void abort(Context ctx) {
        try {
            var response = ctx.res();
            if (response instanceof org.eclipse.jetty.ee10.servlet.ServletApiResponse api) {
                api.getServletChannel().abort(new IOException("download cut off"));
            }
        } catch (RuntimeException ignored) {
            // the connection is going anyway
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code attachment; filename="plain"; filename*=UTF-8''encoded} — safe for any name. */
    public static String contentDisposition(String type, String name) {
        var fallback = new StringBuilder();
        for (char c : name.toCharArray()) {
            fallback.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        var value = type + "; filename=\"" + fallback + "\"";
        if (!fallback.toString().equals(name)) {
            value += "; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        }
        return value;
    }
}
