package io.dossier.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests an ordinary client will not send: a body that does not
 * match its headers, a body cut off mid-way, a body the server should refuse before it has been sent.
 */
public final class RawHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final byte[] CRLF = {'\r', '\n'};

    private RawHttp() {
    }

    public record Answer(int status, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Opens a connection to {@code server} with a read timeout, so that no test waits forever. */
    public static Socket connect(TestServer server) {
        try {
            var socket = new Socket("127.0.0.1", server.server().port());
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code head} (request line and headers, CRLF-separated, without the empty line) and {@code body}; reads the answer. */
    public static Answer exchange(TestServer server, String head, byte[] body) {
        try (var socket = connect(server)) {
            var out = socket.getOutputStream();
            writeHead(out, head);
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code head} with {@code Transfer-Encoding: chunked} (added here) and then {@code totalBytes}
     * of {@code filler} in 64 KiB chunks from another thread, while this one waits for the answer: a
     * server that refuses the body part-way answers (and closes) before it has all been sent.
     */
    public static Answer postChunked(TestServer server, String head, byte filler, long totalBytes) {
        try (var socket = connect(server)) {
            var out = socket.getOutputStream();
            writeHead(out, head + "\r\nTransfer-Encoding: chunked");
            var writer = Thread.ofVirtual().start(() -> {
                var chunk = new byte[64 * 1024];
                Arrays.fill(chunk, filler);
                var size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    for (long sent = 0; sent < totalBytes; sent += chunk.length) {
                        out.write(size);
                        out.write(chunk);
                        out.write(CRLF);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException refused) {
                    // the server answered and closed the connection: what these tests expect
                }
            });
            var answer = read(socket.getInputStream());
            socket.close();   // stops the writer if it is still sending
            writer.join(Duration.ofSeconds(30));
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void writeHead(OutputStream out, String head) throws IOException {
        out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one answer: status line, headers, and a body of Content-Length bytes (or up to the end of the stream). */
    public static Answer read(InputStream in) throws IOException {
        var statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the server closed the connection without answering");
        }
        var status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        var headers = new LinkedHashMap<String, String>();
        for (var line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            var colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        var length = headers.get("content-length");
        var body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readNBytes(16 * 1024 * 1024);
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                bytes.write(b);
            }
            if (bytes.size() > 64 * 1024) {
                throw new IOException("header line too long");
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
