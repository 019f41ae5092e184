package io.dossier.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One exchange over a fresh TCP connection, with the request's bytes sent exactly as given: no
 * HTTP client library would send a broken request line, a doubled Content-Length or a bad chunk,
 * and a saved request replays byte for byte. The answer is read until the server closes, or until
 * as many complete responses as requests were sent have arrived; what takes longer than the limit
 * is a hang.
 */
public final class RawExchange {

    /** Bytes of a response kept for reports; the rest is counted and dropped. */
    private static final int KEEP = 4 * 1024 * 1024;

    /** The answer: every response's status in order (none when the server closed without one). */
    public record Answer(List<Integer> statuses, byte[] bytes, boolean hung, String failure) {

        /** The worst status: the first 5xx, else the last one; -1 when there was none. */
        public int status() {
            return statuses.stream().filter(s -> s >= 500).findFirst().orElse(statuses.isEmpty() ? -1 : statuses.getLast());
        }

        /** The body of the first response, de-chunked, as text. */
        public String body() {
            var parsed = Responses.parse(bytes, 0, false);
            return parsed == null ? "" : new String(parsed.body(), StandardCharsets.UTF_8);
        }
    }

    private RawExchange() {
    }

    /**
     * Sends {@code request} to {@code host:port} and reads the answer for at most {@code limitMillis}.
     * {@code expectedResponses} is how many requests the bytes hold (pipelining); {@code head} says
     * the (first) request is a HEAD, whose response has no body whatever its headers say.
     */
    public static Answer send(String host, int port, byte[] request, int expectedResponses, boolean head, long limitMillis) {
        var deadline = System.nanoTime() + limitMillis * 1_000_000;
        var received = new ByteArrayOutputStream();
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(limitMillis, 5_000));
            socket.setTcpNoDelay(true);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                // Half-close: the server sees the end of the request bytes, so a request that
                // promised more body than it has is answered (or closed) instead of waited on.
                socket.shutdownOutput();
            } catch (IOException writeFailed) {
                // The server may answer and close before reading everything (413, 400): read what it said.
            }
            var in = socket.getInputStream();
            var buffer = new byte[16 * 1024];
            long total = 0;
            while (true) {
                var left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return new Answer(statuses(received.toByteArray(), head), received.toByteArray(), true, "no complete answer within " + limitMillis + " ms");
                }
                socket.setSoTimeout((int) Math.max(1, left));
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException timeout) {
                    continue;
                } catch (IOException reset) {
                    break; // a reset after (or instead of) the answer: judged on what arrived
                }
                if (n < 0) {
                    break;
                }
                total += n;
                if (received.size() < KEEP) {
                    received.write(buffer, 0, Math.min(n, KEEP - received.size()));
                }
                if (total == received.size() && statuses(received.toByteArray(), head).size() >= expectedResponses
                        && Responses.allComplete(received.toByteArray(), head)) {
                    break;
                }
            }
            var bytes = received.toByteArray();
            return new Answer(statuses(bytes, head), bytes, false, null);
        } catch (IOException e) {
            var bytes = received.toByteArray();
            return new Answer(statuses(bytes, head), bytes, false, e.toString());
        }
    }

    private static List<Integer> statuses(byte[] bytes, boolean head) {
        var out = new ArrayList<Integer>();
        int offset = 0;
        while (offset < bytes.length) {
            var parsed = Responses.parse(bytes, offset, head && out.isEmpty());
            if (parsed == null) {
                var status = Responses.statusAt(bytes, offset);
                if (status > 0) {
                    out.add(status); // an incomplete last response still counts by its status
                }
                break;
            }
            if (parsed.status() >= 200 || parsed.status() == 101) {
                out.add(parsed.status());
            }
            offset = parsed.end();
        }
        return out;
    }

    /** Just enough of HTTP/1.1 response framing to know where a response ends. */
    static final class Responses {

        record Parsed(int status, byte[] body, int end) {
        }

        private Responses() {
        }

        static boolean allComplete(byte[] bytes, boolean head) {
            int offset = 0;
            boolean first = true;
            while (offset < bytes.length) {
                var parsed = parse(bytes, offset, head && first);
                if (parsed == null) {
                    return false;
                }
                first = first && parsed.status() < 200;
                offset = parsed.end();
            }
            return true;
        }

        static int statusAt(byte[] bytes, int offset) {
            var line = lineEnd(bytes, offset);
            var text = new String(bytes, offset, (line < 0 ? bytes.length : line) - offset, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/") || text.length() < 12) {
                return -1;
            }
            try {
                return Integer.parseInt(text.substring(9, 12));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** The response starting at {@code offset}, or null when it is not complete (or not HTTP). */
        static Parsed parse(byte[] bytes, int offset, boolean head) {
            var headEnd = indexOf(bytes, offset, "\r\n\r\n");
            if (headEnd < 0) {
                return null;
            }
            var status = statusAt(bytes, offset);
            if (status < 0) {
                return null;
            }
            var headers = new String(bytes, offset, headEnd - offset, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            int bodyStart = headEnd + 4;
            if (head || status < 200 || status == 204 || status == 304) {
                return new Parsed(status, new byte[0], bodyStart);
            }
            if (headers.contains("\r\ntransfer-encoding: chunked")) {
                return dechunk(bytes, bodyStart, status);
            }
            var at = headers.indexOf("\r\ncontent-length:");
            if (at >= 0) {
                var end = headers.indexOf("\r\n", at + 2);
                var length = Long.parseLong(headers.substring(at + 17, end < 0 ? headers.length() : end).trim());
                if (bodyStart + length > bytes.length) {
                    return null;
                }
                var body = new byte[(int) length];
                System.arraycopy(bytes, bodyStart, body, 0, body.length);
                return new Parsed(status, body, bodyStart + body.length);
            }
            return null; // delimited by the connection's end: complete only once the server closes
        }

        private static Parsed dechunk(byte[] bytes, int at, int status) {
            var body = new ByteArrayOutputStream();
            while (true) {
                var line = lineEnd(bytes, at);
                if (line < 0) {
                    return null;
                }
                var sizeText = new String(bytes, at, line - at, StandardCharsets.ISO_8859_1);
                var semicolon = sizeText.indexOf(';');
                int size;
                try {
                    size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    return null;
                }
                at = line + 2;
                if (size == 0) {
                    var trailerEnd = indexOf(bytes, at - 2, "\r\n\r\n");
                    return trailerEnd < 0 ? null : new Parsed(status, body.toByteArray(), trailerEnd + 4);
                }
                if (at + size + 2 > bytes.length) {
                    return null;
                }
                body.write(bytes, at, size);
                at += size + 2;
            }
        }

        private static int lineEnd(byte[] bytes, int from) {
            return indexOf(bytes, from, "\r\n");
        }

        private static int indexOf(byte[] bytes, int from, String what) {
            var needle = what.getBytes(StandardCharsets.ISO_8859_1);
            outer:
            for (int i = from; i <= bytes.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
