package io.dossier.it.fuzz;

import java.util.List;

/**
 * HTTP/1.1 framing, written by hand: request lines with bad methods, targets and versions;
 * doubled, negative and huge Content-Length; chunked bodies with bad sizes, missing ends and
 * Content-Length beside them; header floods, giant headers, bare LF line ends, NUL bytes,
 * obsolete line folding; very long URLs; two requests pipelined on one connection.
 */
final class FramingGrammar {

    static final List<String> GOOD_VERSIONS = List.of("HTTP/1.1", "HTTP/1.0");
    static final List<String> TARGETS = List.of("/health/live", "/ows/jservice.php", "/admin/api/tenants", "/fileapi/connect/token",
            "/fileapi/v1.0/files?role=subscriber", "/ows/fileService.php", "/metrics", "/");

    private final Fixture fixture;

    FramingGrammar(Fixture fixture) {
        this.fixture = fixture;
    }

    FuzzRequest request(Gen gen) {
        var method = gen.chance(0.85) ? gen.pick("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS")
                : gen.pick("TRACE", "CONNECT", "PATCH", "BREW", "", "get", "G\u0000ET", "POST ", "X".repeat(gen.between(100, 10_000)));
        var target = gen.chance(0.8) ? gen.pick(TARGETS) : target(gen);
        var version = gen.chance(0.85) ? gen.pick(GOOD_VERSIONS)
                : gen.pick("HTTP/0.9", "HTTP/2.0", "HTTP/1.2", "HTTP/3", "http/1.1", "HTTP/1.1x", "", "HTTP/11", "HTTP/1", "HTTP/1.01", "FTP/1.1", "HTTP/9.9");
        // Jetty reads a request line that is not "<method> <target> HTTP/1.x" (an empty target, doubled
        // spaces) as one without a version, i.e. HTTP/0.9, and answers 505: that is a bad version too.
        var eol = gen.chance(0.9) ? "\r\n" : gen.pick("\n", "\r", "\n\r");
        var separator = gen.pick(" ", " ", " ", "  ", "\t");
        var head = new StringBuilder(method + separator + target + (version.isEmpty() ? "" : " " + version) + eol);
        var badVersion = !GOOD_VERSIONS.contains(version) || !separator.equals(" ") || target.isEmpty() || method.isEmpty()
                || method.contains(" ") || target.contains(" ");
        if (gen.chance(0.9)) {
            head.append("Host: ").append(gen.chance(0.9) ? "127.0.0.1" : gen.pick("", "a b", "x".repeat(5000), "127.0.0.1\r\nHost: other")).append(eol);
        }
        if (gen.chance(0.5)) {
            head.append("Authorization: Bearer ").append(gen.pick(fixture.adminToken, fixture.publisherToken, fixture.owsSession)).append(eol);
        }
        var body = gen.chance(0.6) ? body(gen, target) : "";
        switch (gen.between(0, 13)) {
            case 0 -> head.append("Content-Length: ").append(body.length()).append(eol).append("Content-Length: ").append(body.length() + gen.pick(0, 1, -1, 100)).append(eol);
            case 1 -> head.append("Content-Length: ").append(gen.pick("-1", "abc", "99999999999999999999", "1e3", "+5", " 5 ", "0x10", "", "5, 5", "2147483648")).append(eol);
            case 2 -> {
                head.append("Transfer-Encoding: chunked").append(eol);
                body = chunked(gen, body);
            }
            case 3 -> {
                head.append("Transfer-Encoding: chunked").append(eol).append("Content-Length: ").append(body.length()).append(eol);
                body = chunked(gen, body);
            }
            case 4 -> head.append("Transfer-Encoding: ").append(gen.pick("gzip", "chunked, gzip", "identity", "x", "chunked\u0000", "CHUNKED ")).append(eol);
            case 5 -> head.append(("X-Flood-" + gen.between(0, 9) + ": " + "v".repeat(gen.between(1, 50)) + eol).repeat(gen.between(100, 5000)));
            case 6 -> head.append("X-Big: ").append("b".repeat(gen.between(8_000, 300_000))).append(eol);
            case 7 -> head.append(gen.pick("Bad Header: x", ": no name", "X-Nul: a\u0000b", "X-Fold: a" + eol + " folded", "NoColon", "X-Utf8: \u00e9\u00e8",
                    "Content-Type: application/json" + eol + "Content-Type: text/xml")).append(eol);
            case 8 -> head.append("Expect: ").append(gen.pick("100-continue", "200-ok", "")).append(eol);
            case 9 -> head.append("Connection: ").append(gen.pick("Upgrade, HTTP2-Settings", "keep-alive", "close, close", "x")).append(eol)
                    .append("Upgrade: ").append(gen.pick("h2c", "websocket", "HTTP/2.0")).append(eol).append("HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA").append(eol);
            case 10 -> head.append("Content-Type: ").append(gen.pick("application/json; charset=bogus", "multipart/form-data", "text/xml; charset=\"", ";;;", "application/json;" + "p=1;".repeat(2000))).append(eol);
            default -> {
            }
        }
        var lengthSet = head.toString().toLowerCase().contains("content-length") || head.toString().toLowerCase().contains("transfer-encoding");
        if (!body.isEmpty() && !lengthSet) {
            head.append("Content-Length: ").append(body.length()).append(eol);
        }
        var text = head + eol + body;
        int requests = 1;
        if (gen.chance(0.1) && !badVersion) {
            text += "GET /health/live HTTP/1.1" + eol + "Host: 127.0.0.1" + eol + eol;
            requests = 2;
        }
        return FuzzRequest.raw("framing", text, badVersion, requests);
    }

    private String target(Gen gen) {
        return switch (gen.between(0, 7)) {
            case 0 -> "/" + "a".repeat(gen.between(2_000, 200_000));
            case 1 -> "/ows/jservice.php?" + "q=1&".repeat(gen.between(1_000, 20_000));
            case 2 -> gen.pick("*", "http://127.0.0.1/health/live", "127.0.0.1:80", "//health/live", "health/live", "/health/live#frag");
            case 3 -> gen.pick("/%00", "/..%2f..%2fetc/passwd", "/%", "/?%zz", "/a b", "/\u00e9", "/%c0%ae%c0%ae/", "/health/live?x=%ff%fe");
            case 4 -> "/fileapi/v1.0/files/" + "%2e%2e/".repeat(gen.between(1, 50)) + "x?role=subscriber";
            case 5 -> "/admin/api/tenants/" + "%".repeat(gen.between(1, 100));
            case 6 -> "/ows/fileServiceDownload?ouid=" + "%41".repeat(gen.between(100, 10_000)) + "&class=AttachedDocument";
            default -> "";
        };
    }

    private String body(Gen gen, String target) {
        if (target.startsWith("/ows/jservice")) {
            return "{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[\"" + fixture.owsSession + "\"],\"id\":1}";
        }
        if (target.startsWith("/fileapi/connect")) {
            return "grant_type=client_credentials&client_id=" + fixture.publisherId + "&client_secret=x&tenant_id=" + fixture.tenant;
        }
        return gen.pick("{}", "{\"slug\":\"x\"}", "x".repeat(gen.between(1, 100_000)), "\u0000\u0001\u0002");
    }

    private String chunked(Gen gen, String body) {
        var half = body.length() / 2;
        return switch (gen.between(0, 8)) {
            case 0 -> Integer.toHexString(half) + "\r\n" + body.substring(0, half) + "\r\n" + Integer.toHexString(body.length() - half) + "\r\n" + body.substring(half) + "\r\n0\r\n\r\n";
            case 1 -> "zz\r\n" + body + "\r\n0\r\n\r\n";
            case 2 -> Integer.toHexString(body.length()) + "\r\n" + body; // no last chunk
            case 3 -> "FFFFFFFFFFFFFFFF\r\n" + body + "\r\n0\r\n\r\n";
            case 4 -> Integer.toHexString(body.length()) + ";ext=\"x\"\r\n" + body + "\r\n0\r\nTrailer-X: y\r\nContent-Length: 5\r\n\r\n";
            case 5 -> Integer.toHexString(body.length() + 10) + "\r\n" + body + "\r\n0\r\n\r\n";
            case 6 -> "-1\r\n" + body + "\r\n0\r\n\r\n";
            case 7 -> (Integer.toHexString(body.length()) + "\n" + body + "\n0\n\n");
            default -> ("1\r\nx\r\n").repeat(gen.between(100, 20_000)) + "0\r\n\r\n";
        };
    }
}
