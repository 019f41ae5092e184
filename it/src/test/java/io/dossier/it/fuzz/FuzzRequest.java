package io.dossier.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated request: the exact bytes to send, which grammar made it, and what the judge must
 * know about it ({@code badVersion}: a 505 is the right answer; {@code requests}: how many
 * pipelined requests the bytes hold; {@code head}: a HEAD, whose response has no body).
 */
record FuzzRequest(String grammar, byte[] bytes, boolean badVersion, int requests, boolean head) {

    static FuzzRequest raw(String grammar, String text, boolean badVersion, int requests) {
        return new FuzzRequest(grammar, text.getBytes(StandardCharsets.ISO_8859_1), badVersion, requests, text.startsWith("HEAD "));
    }

    /** The first line, for summaries. */
    String requestLine() {
        int end = 0;
        while (end < bytes.length && end < 300 && bytes[end] != '\r' && bytes[end] != '\n') {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** The request as printable text (bytes outside ASCII escaped), cut to {@code max} characters. */
    String printable(int max) {
        var out = new StringBuilder();
        for (int i = 0; i < bytes.length && out.length() < max; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\n' || b == '\r' || (b >= 0x20 && b < 0x7f)) {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        if (out.length() >= max) {
            out.append("… (").append(bytes.length).append(" bytes in all)");
        }
        return out.toString();
    }

    /**
     * A well-formed HTTP/1.1 request being put together: the grammars build a valid frame around
     * their (possibly broken) body, and Content-Length is computed unless a grammar sets its own.
     */
    static final class Builder {
        private final String grammar;
        private final String method;
        private final String target;
        private final List<String[]> headers = new ArrayList<>();
        private byte[] body;
        private boolean contentLengthSet;

        Builder(String grammar, String method, String target) {
            this.grammar = grammar;
            this.method = method;
            this.target = target;
        }

        Builder header(String name, String value) {
            if (value != null) {
                headers.add(new String[] {name, value});
                contentLengthSet |= name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding");
            }
            return this;
        }

        Builder bearer(String token) {
            return token == null ? this : header("Authorization", "Bearer " + token);
        }

        Builder body(String contentType, byte[] bytes) {
            header("Content-Type", contentType);
            this.body = bytes;
            return this;
        }

        Builder body(String contentType, String text) {
            return body(contentType, text.getBytes(StandardCharsets.UTF_8));
        }

        FuzzRequest build() {
            var out = new ByteArrayOutputStream();
            out.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.UTF_8));
            for (var h : headers) {
                out.writeBytes((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (body != null && !contentLengthSet) {
                out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.writeBytes(body);
            }
            return new FuzzRequest(grammar, out.toByteArray(), false, 1, method.equals("HEAD"));
        }
    }
}
