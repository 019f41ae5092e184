package io.dossier.api.http;

import io.dossier.core.content.ByteRange;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredFile;
import io.dossier.core.content.ChunkSums;
import io.dossier.core.content.DamagedBlobException;
import io.dossier.core.content.MemoryBudget;
import io.dossier.core.Threads;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * Sends a stored file the same way for every dialect: Content-Type, Content-Length, a strong ETag
 * from the SHA-256, {@code Accept-Ranges: bytes}, Content-Disposition with an RFC 6266
 * {@code filename*} for names that are not plain ASCII, single ranges as 206, unsatisfiable ones as
 * 416, conditional requests. A file kept on local disk is read into reused direct buffers (the next
 * one read while the last is written; when all are in use, through the heap: {@link ReadBuffers})
 * and written straight to the socket; any other blob is
 * streamed through one 64 KiB buffer. Either way every chunk sent, whole file or range, is checked
 * against its CRC32C ({@link ChunkSums}) before any of its bytes go out, so a damaged blob is never
 * served: found at the start, the dialect answers "unavailable"; later, the connection is cut.
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
        return write(ctx, content, file, range);
    }

    /** Writes {@code range} of the file as the response body; the caller has set status and headers. */
    public static Outcome write(Context ctx, ContentService content, StoredFile file, ByteRange.Resolved range)
            throws IOException {
        try {
            var out = ctx.res().getOutputStream();
            var local = content.blobs().localFile(file.blobId());
            if (local.isPresent() && out instanceof HttpOutput jetty) {
                var sums = content.chunkSums(file.blobId(), file.sha256());   // reports damaged sums itself
                try {
                    local(jetty, local.get(), range, sums, file.blobId());
                } catch (DamagedBlobException damaged) {
                    content.reportDamaged(damaged);
                    throw damaged;
                }
            } else {
                try (InputStream in = content.openRange(file, range)) {
                    copy(in, out);
                }
            }
            out.flush();
            return Outcome.COMPLETE;
        } catch (IOException cutOff) {
            if (cutOff instanceof DamagedBlobException damaged) {
                org.slf4j.LoggerFactory.getLogger(Downloads.class).error("not serving file {}: {}", file.ouid(), damaged.getMessage());
                if (!ctx.res().isCommitted()) {
                    // found before a byte went out: drop the file's headers and say so in the dialect's own shape
                    ctx.res().reset();
                    throw io.dossier.core.Failure.unavailable("the stored file is damaged and was not served", damaged);
                }
            }
            // the client went away, or the blob failed its check mid-way: cut the connection
            abort(ctx);
            return Outcome.CUT_OFF;
        }
    }

    /**
     * Reads the file through reused direct buffers, whole chunks at a time from the chunk that holds
     * the range's first byte, checks each chunk's CRC32C, and writes the part of it inside the range
     * straight to Jetty (no copy into the heap). A span of more than one buffer is read and checked a
     * buffer ahead while the last one is written ({@link #readAhead}), by at most 16 downloads at
     * once; otherwise, and for shorter spans, one buffer reads and writes in turn.
     */
    private static void local(HttpOutput out, Path path, ByteRange.Resolved range, ChunkSums sums, String blobId) throws IOException {
        if (range.length() == 0) {
            return;
        }
        int chunkBytes = sums.chunkBytes();
        long first = sums.chunkStart(range.offset());
        long end = range.offset() + range.length();
        long alignedEnd = Math.min(sums.size(), sums.chunkStart(end - 1) + chunkBytes);
        int capacity = (int) Math.min(CHUNK / chunkBytes * chunkBytes, alignedEnd - first);
        var span = new Span(first, alignedEnd, range.offset(), end, sums, blobId);
        // whole chunks per read: a multiple of the chunk size (a direct buffer's, or one chunk through the heap)
        var buffer = BUFFERS.take((int) Math.min(chunkBytes, capacity));
        boolean ahead = alignedEnd - first > buffer.capacity() && READING_AHEAD.tryAcquire();
        ByteBuffer second = ahead ? BUFFERS.tryDirect() : null;
        if (ahead && second == null) {
            READING_AHEAD.release();
            ahead = false;
        }
        try (var channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ahead) {
                readAhead(out, channel, buffer, second, span);
            } else {
                for (long position = first; position < alignedEnd; ) {
                    int read = readChecked(channel, buffer, position, span);
                    span.send(out, buffer, position, read);
                    position += read;
                }
            }
        } finally {
            BUFFERS.give(buffer);
            if (second != null) {
                BUFFERS.give(second);
            }
            if (ahead) {
                READING_AHEAD.release();
            }
        }
    }

    /** Downloads reading ahead at once ({@link #readAhead}): each holds a second direct buffer, when one is free. */
    private static final Semaphore READING_AHEAD = new Semaphore(16);

    /** The chunk-aligned stretch of a blob a range is read from, and the range inside it. */
    private record Span(long first, long alignedEnd, long offset, long end, ChunkSums sums, String blobId) {

        /** Writes the part of the {@code read} bytes in {@code buffer}, read from {@code position}, that lies inside the range. */
        void send(HttpOutput out, ByteBuffer buffer, long position, int read) throws IOException {
            buffer.position((int) Math.max(0, offset - position)).limit((int) (Math.min(end, position + read) - position));
            out.write(buffer);
        }
    }

    /** Fills {@code buffer} from {@code position} (at most to the span's end), checks every chunk in it, and returns how much it read. */
    private static int readChecked(FileChannel channel, ByteBuffer buffer, long position, Span span) throws IOException {
        var blobId = span.blobId();
        buffer.clear().limit((int) Math.min(buffer.capacity(), span.alignedEnd() - position));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new DamagedBlobException(blobId, "blob " + blobId + " is shorter than recorded");
            }
        }
        buffer.flip();
        int read = buffer.remaining();
        int chunkBytes = span.sums().chunkBytes();
        for (int at = 0; at < read; at += chunkBytes) {
            long chunk = (position + at) / chunkBytes;
            var slice = buffer.duplicate().position(at).limit(Math.min(read, at + chunkBytes));
            if (!span.sums().matches(chunk, slice)) {
                throw new DamagedBlobException(blobId, "blob " + blobId + " is damaged: chunk " + chunk + " (bytes from "
                        + chunk * chunkBytes + ") fails its CRC32C");
            }
        }
        return read;
    }

    /**
     * Sends a span through two buffers: a virtual thread reads and checks the next while this one
     * writes the last. In a profile of a File API ranged download the read from the page cache and
     * the check were a third of the handler's CPU, done before each write, with a core to spare.
     * Nothing is written before its chunks are checked; the reader's failure (a damaged chunk) is
     * thrown here, in the order of the bytes, after what came before it was written. When the
     * writing stops (the client went away), the reader is stopped and waited for before the buffers
     * and the file are given back.
     */
    private static void readAhead(HttpOutput out, FileChannel channel, ByteBuffer one, ByteBuffer two, Span span) throws IOException {
        var free = new ArrayBlockingQueue<ByteBuffer>(2);
        free.add(one);
        free.add(two);
        // read blocks, then END or the reader's failure: never more than two blocks and one more
        var filled = new ArrayBlockingQueue<Object>(3);
        var reader = Thread.ofVirtual().name("download-read-ahead").start(() -> {
            try {
                for (long position = span.first(); position < span.alignedEnd(); ) {
                    var buffer = free.take();
                    int read = readChecked(channel, buffer, position, span);
                    filled.put(new Block(buffer, position, read));
                    position += read;
                }
                filled.put(END);
            } catch (InterruptedException | ClosedByInterruptException stopped) {
                // the writing stopped first: nobody takes anything more
            } catch (IOException | RuntimeException | Error failed) {
                filled.offer(failed);
            }
        });
        try {
            while (true) {
                var next = filled.take();
                if (next == END) {
                    return;
                }
                if (next instanceof Block block) {
                    span.send(out, block.buffer(), block.position(), block.read());
                    free.add(block.buffer());
                } else {
                    Threads.rethrow((Throwable) next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending a file");
        } finally {
            reader.interrupt();
            Threads.joinUninterruptibly(reader);
        }
    }

    /** A buffer the read-ahead filled: {@code read} bytes of the blob from {@code position}. */
    private record Block(ByteBuffer buffer, long position, int read) {
    }

    private static final Object END = new Object();

    /**
     * Read buffers: 48 direct ones of {@link #CHUNK} bytes (12 MiB of the node's 64 MiB of direct
     * memory), kept between downloads (allocating a direct buffer, zeroed and with a cleaner, for
     * every range was 7% of a File API ranged download's handler time); beyond them, one chunk on the
     * heap each, within an eighth of the heap (see {@link ReadBuffers}).
     */
    private static final ReadBuffers BUFFERS = new ReadBuffers((int) CHUNK, 48,
            new MemoryBudget(Runtime.getRuntime().maxMemory() / 8, 10_000));

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
