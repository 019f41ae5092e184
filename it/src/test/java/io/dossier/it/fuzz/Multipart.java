package io.dossier.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Multipart bodies, whole or broken: OWS uploads ({@code multipart/form-data}) and File API
 * publications ({@code multipart/related}) share the framing, and so share the damage.
 */
final class Multipart {

    /** A part: its header lines as they go on the wire, then its bytes. */
    record Part(List<String> headers, byte[] content) {
    }

    private Multipart() {
    }

    static Part part(String name, String filename, String contentType, byte[] content) {
        var headers = new ArrayList<String>();
        if (name != null) {
            headers.add("Content-Disposition: form-data; name=\"" + name + "\"" + (filename == null ? "" : "; filename=\"" + filename + "\""));
        }
        if (contentType != null) {
            headers.add("Content-Type: " + contentType);
        }
        return new Part(headers, content);
    }

    static Part related(String contentType, byte[] content) {
        return new Part(contentType == null ? List.of() : List.of("Content-Type: " + contentType), content);
    }

    static byte[] formData(String boundary, List<Part> parts, boolean closed) {
        var out = new ByteArrayOutputStream();
        for (var part : parts) {
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (var header : part.headers()) {
                out.writeBytes((header + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(part.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (closed) {
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A boundary as real clients make them (unquoted, with {@code ! @ # $ % ^ & * ( )}) or a broken one. */
    static String boundary(Gen gen) {
        return switch (gen.between(0, 7)) {
            case 0 -> "----WebKitFormBoundary" + gen.between(100000, 999999);
            case 1 -> "!@#$%^&*()" + gen.between(0, 99);
            case 2 -> "x".repeat(gen.between(70, 5000));
            case 3 -> "";
            case 4 -> "a b";
            case 5 -> "--";
            default -> "boundary" + gen.between(0, 9999);
        };
    }

    /** The Content-Type header for {@code boundary}: quoted, unquoted, missing or malformed. */
    static String contentType(Gen gen, String type, String boundary) {
        return switch (gen.between(0, 9)) {
            case 0 -> type + "; boundary=\"" + boundary + "\"";
            case 1 -> type;
            case 2 -> type + "; boundary=";
            case 3 -> type + "; boundary=\"" + boundary;
            case 4 -> type + "; charset=utf-8; boundary=" + boundary + "; boundary=other";
            case 5 -> gen.pick("text/plain", "application/json", "multipart/mixed; boundary=" + boundary, "multipart/", "", "*/*; boundary=" + boundary);
            default -> type + "; boundary=" + boundary;
        };
    }

    /** Byte-level damage to a multipart body: cut, lose the closing delimiter, add junk or a giant part header. */
    static byte[] damage(Gen gen, byte[] body, String boundary) {
        var text = new String(body, StandardCharsets.ISO_8859_1);
        var result = switch (gen.between(0, 8)) {
            case 0 -> text.substring(0, gen.between(0, text.length()));
            case 1 -> text.replace("--" + boundary + "--", "");
            case 2 -> text.replace("\r\n\r\n", "\r\n");
            case 3 -> text.replace("\r\n", "\n");
            case 4 -> text.replaceFirst("Content-Disposition: [^\r]*", "Content-Disposition: form-data; name=\"" + "h".repeat(gen.between(1000, 200_000)) + "\"");
            case 5 -> text.replaceFirst("\r\n\r\n", "\r\n" + ("X-Junk: " + "j".repeat(100) + "\r\n").repeat(gen.between(50, 2000)) + "\r\n");
            case 6 -> text.replace("--" + boundary, "--" + boundary + "x");
            case 7 -> ("--" + boundary + "\r\n\r\n\r\n").repeat(gen.between(100, 3000)) + text;
            default -> "preamble junk\r\n" + text + "epilogue junk" + "\u0000".repeat(gen.between(0, 10));
        };
        return result.getBytes(StandardCharsets.ISO_8859_1);
    }
}
