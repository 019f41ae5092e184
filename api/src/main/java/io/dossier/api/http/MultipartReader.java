package io.dossier.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A streaming reader of MIME multipart bodies ({@code multipart/form-data}, {@code multipart/related}, any
 * {@code multipart/*}), JDK only.
 *
 * <p>The reader pulls the underlying stream through one fixed buffer ({@value #BUFFER_SIZE} bytes, larger only if
 * the boundary needs it) and never holds a whole part: a part's {@link Part#body() body} is an {@link InputStream}
 * that hands out bytes straight from that buffer, so memory is constant whatever the part size. Per part, only the
 * header block is accumulated, bounded by {@link Limits#maxHeaderBytes()}.
 *
 * <pre>{@code
 * var boundary = MultipartReader.boundary(ctx.header("Content-Type")).orElseThrow(...);
 * var reader = new MultipartReader(ctx.req().getInputStream(), boundary, MultipartReader.Limits.DEFAULT);
 * for (var part = reader.next(); part.isPresent(); part = reader.next()) {
 *     var p = part.get();
 *     if (p.filename() != null) store.write(p.body()); else fields.put(p.name(), new String(p.body().readAllBytes(), UTF_8));
 * }
 * }</pre>
 *
 * <h2>What is accepted</h2>
 * RFC 2046 §5.1.1 and RFC 7578, with these documented leniencies for real clients:
 * <ul>
 *   <li><b>Line endings.</b> Every line break the reader looks for (delimiter lines, header lines, the blank line
 *       ending the headers, the break before a delimiter) may be CRLF or a bare LF. A bare CR is never a line break.
 *       The break before a delimiter is not part of the content: if it is CRLF the CR is dropped too. (So content
 *       ending in a CR, followed by an LF-only delimiter, loses that CR — indistinguishable from a CRLF delimiter.)</li>
 *   <li><b>Delimiters.</b> A delimiter is {@code --boundary} at the start of the stream or of a line, followed by
 *       {@code --} (the close delimiter) or by optional spaces/tabs and a line break. {@code --boundary} followed by
 *       anything else (e.g. {@code --boundaryX}) is content. Everything before the first delimiter (preamble) and
 *       after the close delimiter (epilogue) is ignored; the reader does not read past the close delimiter.</li>
 *   <li><b>Parts without headers.</b> If the first line after a delimiter is empty, the part has no headers. If it
 *       does not look like a header line ({@code token [spaces] ":"}, name at most 998 bytes), the part has no headers
 *       either and that line is the first line of the body (clients that omit the blank line). If it does look like a
 *       header, header lines are read up to the blank line and every one must be a header line (or a folded
 *       continuation starting with a space/tab). A part whose body starts right after the blank line with
 *       {@code --boundary} (no line break) is an empty part.</li>
 *   <li><b>Header values</b> are decoded as UTF-8 (what browsers send for non-ASCII file names), falling back to
 *       ISO-8859-1 per line if not valid UTF-8. Names are lower-cased; the first occurrence of a repeated header
 *       wins.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Malformed or over-limit input raises {@link MalformedException} (an {@link IOException}, with a
 * {@link MalformedException#reason() reason}) from {@link #next()} or from reading a body. A stream that ends before
 * the close delimiter is an error everywhere — a body stream throws rather than returning end-of-stream, so a
 * half-received file is never taken for a complete one. Errors are sticky: once thrown, every later call throws the
 * same exception. I/O errors of the underlying stream propagate unchanged. Not thread-safe.
 */
public final class MultipartReader {

    /** The size of the read buffer. */
    public static final int BUFFER_SIZE = 64 * 1024;

    /** The longest boundary accepted (RFC 2046 allows 70; a few clients go beyond). */
    public static final int MAX_BOUNDARY_LENGTH = 256;

    /** Longest header name recognised when deciding whether a part's first line is a header (RFC 5322 line limit). */
    private static final int MAX_HEADER_NAME = 998;

    /** Per-request limits. */
    public record Limits(int maxHeaderBytes, int maxParts) {

        /** 16 KiB of headers per part, 100 parts. */
        public static final Limits DEFAULT = new Limits(16 * 1024, 100);

        public Limits {
            if (maxHeaderBytes < 1 || maxParts < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxHeaderBytes + ", " + maxParts);
            }
        }
    }

    /** Malformed or over-limit multipart input. */
    public static final class MalformedException extends IOException {

        public enum Reason {
            /** The stream ended (or was empty) before any delimiter. */
            NO_OPENING_BOUNDARY,
            /** The stream ended before the close delimiter: a truncated upload. */
            TRUNCATED,
            /** A part's header block is larger than {@link Limits#maxHeaderBytes()}. */
            HEADERS_TOO_LARGE,
            /** More parts than {@link Limits#maxParts()}. */
            TOO_MANY_PARTS,
            /** A line in a part's header block that is not a header. */
            INVALID_HEADER,
            /** Unexpected characters after a delimiter on its line. */
            INVALID_DELIMITER
        }

        private final Reason reason;

        public MalformedException(Reason reason, String message) {
            super(message);
            this.reason = Objects.requireNonNull(reason);
        }

        public Reason reason() {
            return reason;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Content-Type boundary

    /**
     * The {@code boundary} parameter of a {@code multipart/*} Content-Type (type and parameter names
     * case-insensitive, value quoted or not, spaces around {@code ;} and {@code =} ignored, other parameters in any
     * order). Empty if {@code contentType} is null, not multipart, has no boundary, or the boundary is empty, longer
     * than {@value #MAX_BOUNDARY_LENGTH} or contains a line break.
     */
    public static Optional<String> boundary(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        var semicolon = indexOfUnquoted(contentType, ';', 0);
        var mediaType = contentType.substring(0, semicolon < 0 ? contentType.length() : semicolon).strip();
        var slash = mediaType.indexOf('/');
        if (slash < 0 || !mediaType.substring(0, slash).strip().equalsIgnoreCase("multipart")
                || mediaType.substring(slash + 1).isBlank() || semicolon < 0) {
            return Optional.empty();
        }
        var boundary = parameters(contentType.substring(semicolon + 1)).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH
                || boundary.indexOf('\r') >= 0 || boundary.indexOf('\n') >= 0) {
            return Optional.empty();
        }
        return Optional.of(boundary);
    }

    // ------------------------------------------------------------------------------------------------------------
    // State

    private static final int NONE = 0;
    private static final int PART = 1;
    private static final int CLOSE = 2;

    private enum State { PREAMBLE, HEADERS, BODY, DONE }

    private final InputStream in;
    private final Limits limits;
    /** {@code "\n--" + boundary}. */
    private final byte[] delimiter;
    /** Boyer–Moore–Horspool shift table for {@link #delimiter}. */
    private final int[] shift = new int[256];
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;

    private State state = State.PREAMBLE;
    /** While reading content: {@code buf[pos, contentEnd)} is known to be content. */
    private int contentEnd;
    /** The content starts at a line start: a delimiter may begin at {@code pos} without a preceding line break. */
    private boolean lineStart = true;
    /** NONE, or the kind of delimiter found; then {@code pos} is just past {@code --boundary}. */
    private int pending = NONE;
    private int parts;
    private MalformedException failure;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    /**
     * @param in       the request body, positioned at its start; not closed by the reader
     * @param boundary the boundary, as returned by {@link #boundary(String)}
     * @throws IllegalArgumentException if the boundary is empty, longer than {@value #MAX_BOUNDARY_LENGTH} or has a
     *                                  line break
     */
    public MultipartReader(InputStream in, String boundary, Limits limits) {
        this(in, boundary, limits, null);
    }

    /**
     * A reader through {@code buffer} (of {@value #BUFFER_SIZE} bytes, else a buffer of its own), which the
     * caller may use again once it has {@linkplain #end() ended} the reader.
     */
    MultipartReader(InputStream in, String boundary, Limits limits, byte[] buffer) {
        this.in = Objects.requireNonNull(in, "in");
        this.limits = Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(boundary, "boundary");
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH
                || boundary.indexOf('\r') >= 0 || boundary.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("invalid multipart boundary: " + boundary);
        }
        var latin1 = StandardCharsets.ISO_8859_1.newEncoder().canEncode(boundary);
        var b = boundary.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        delimiter = new byte[b.length + 3];
        delimiter[0] = '\n';
        delimiter[1] = '-';
        delimiter[2] = '-';
        System.arraycopy(b, 0, delimiter, 3, b.length);
        var m = delimiter.length;
        Arrays.fill(shift, m);
        for (var i = 0; i < m - 1; i++) {
            shift[delimiter[i] & 0xff] = m - 1 - i;
        }
        var size = Math.max(BUFFER_SIZE, 4 * m + MAX_HEADER_NAME + 16);
        buf = buffer != null && buffer.length == size ? buffer : new byte[size];
    }

    /**
     * Ends the reading: {@link #next()} finds no more parts and every part's body refuses to be read, so
     * that the buffer the reader was given is no longer touched.
     */
    void end() {
        state = State.DONE;
    }

    /**
     * Advances to the next part: skips the preamble (first call) or whatever is left unread of the current part,
     * then reads the new part's headers. Any previously returned part's body becomes unreadable.
     *
     * @return the next part, or empty after the close delimiter
     * @throws MalformedException on malformed input or exceeded limits (see the class comment)
     * @throws IOException        if the underlying stream fails
     */
    public Optional<Part> next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            return Optional.ofNullable(advance());
        } catch (MalformedException e) {
            failure = e;
            throw e;
        }
    }

    private Part advance() throws IOException {
        if (state == State.DONE) {
            return null;
        }
        // Skip the preamble / the rest of the current part up to its delimiter.
        while (pending == NONE) {
            pos = contentEnd;
            if (!scan()) {
                break;
            }
        }
        if (pending == CLOSE) {
            pending = NONE;
            state = State.DONE;
            return null;
        }
        pending = NONE;
        state = State.HEADERS;
        if (++parts > limits.maxParts()) {
            throw new MalformedException(MalformedException.Reason.TOO_MANY_PARTS,
                    "multipart body has more than " + limits.maxParts() + " parts");
        }
        finishDelimiterLine();
        var headers = readHeaders();
        state = State.BODY;
        lineStart = true;
        contentEnd = pos;
        return new Part(this, parts, headers);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Buffer

    /** Reads more input, compacting first. False at end of stream. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            var remaining = lim - pos;
            System.arraycopy(buf, pos, buf, 0, remaining);
            contentEnd -= pos;
            lim = remaining;
            pos = 0;
        }
        if (lim == buf.length) {
            throw new IllegalStateException("multipart buffer full"); // cannot happen: callers never need a full buffer
        }
        int n;
        do {
            n = in.read(buf, lim, buf.length - lim);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }

    /** Ensures {@code n} bytes are buffered from {@code pos}; false if the stream ends first. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    private MalformedException truncated(String where) {
        if (state == State.PREAMBLE) {
            return new MalformedException(MalformedException.Reason.NO_OPENING_BOUNDARY,
                    "no multipart boundary delimiter found in the body");
        }
        return new MalformedException(MalformedException.Reason.TRUNCATED,
                "multipart body ended " + where + " before the closing boundary (truncated upload?)");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Content scanning

    /**
     * With {@code pos == contentEnd} and no pending delimiter: finds more content ({@code contentEnd > pos}, returns
     * true) or the next delimiter ({@code pending} set, {@code pos} past {@code --boundary}, returns false).
     */
    private boolean scan() throws IOException {
        var m = delimiter.length;
        if (lineStart) {
            lineStart = false;
            // "--boundary" right at the start (stream start, or body start after the header block's line break).
            if (ensure(m + 1) && matchesAt(pos, 1)) {
                var kind = classify(pos + m - 1);
                if (kind != NONE) {
                    pos += m - 1;
                    contentEnd = pos;
                    pending = kind;
                    return false;
                }
            }
            contentEnd = pos;
        }
        var from = pos;
        while (true) {
            var i = indexOfDelimiter(from);
            if (i < 0) {
                // No delimiter starts at or before lim - m; keep the last m bytes (a partial one, plus its CR).
                var safe = lim - m;
                if (safe > pos) {
                    contentEnd = safe;
                    return true;
                }
                if (!fill()) {
                    throw truncated("in a part");
                }
                from = pos;
                continue;
            }
            var end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
            if (end > pos) {
                contentEnd = end;
                return true;
            }
            var after = i + m;
            if (lim - after < 2) {
                if (!fill()) {
                    throw truncated("in a part");
                }
                from = pos;
                continue;
            }
            var kind = classify(after);
            if (kind != NONE) {
                pos = after;
                contentEnd = pos;
                pending = kind;
                return false;
            }
            contentEnd = i + 1; // "\n--boundaryX": content, up to and including the line break
            return true;
        }
    }

    /** Whether {@code delimiter[from..]} is at {@code buf[at..]} (caller ensured enough bytes). */
    private boolean matchesAt(int at, int from) {
        var m = delimiter.length;
        for (int i = from, j = at; i < m; i++, j++) {
            if (buf[j] != delimiter[i]) {
                return false;
            }
        }
        return true;
    }

    /** Horspool search for the whole delimiter in {@code buf[from, lim)}; -1 if none. */
    private int indexOfDelimiter(int from) {
        var d = delimiter;
        var last = d.length - 1;
        var lastByte = d[last];
        var b = buf;
        var limit = lim - last;
        var i = from;
        while (i < limit) {
            var c = b[i + last];
            if (c == lastByte) {
                var j = last - 1;
                while (j >= 0 && b[i + j] == d[j]) {
                    j--;
                }
                if (j < 0) {
                    return i;
                }
            }
            i += shift[c & 0xff];
        }
        return -1;
    }

    /** What follows {@code --boundary} at {@code at} (two bytes available). */
    private int classify(int at) {
        var a = buf[at];
        if (a == '-' && buf[at + 1] == '-') {
            return CLOSE;
        }
        return a == '\r' || a == '\n' || a == ' ' || a == '\t' ? PART : NONE;
    }

    /** After {@code --boundary} of a part delimiter: transport padding, then CRLF or LF. */
    private void finishDelimiterLine() throws IOException {
        var padding = 0;
        while (true) {
            if (!ensure(1)) {
                throw truncated("after a boundary delimiter");
            }
            var c = buf[pos];
            if (c == ' ' || c == '\t') {
                pos++;
                if (++padding > limits.maxHeaderBytes()) {
                    throw new MalformedException(MalformedException.Reason.INVALID_DELIMITER,
                            "too much white space after a multipart boundary delimiter");
                }
                continue;
            }
            if (c == '\n') {
                pos++;
                return;
            }
            if (c == '\r') {
                if (!ensure(2)) {
                    throw truncated("after a boundary delimiter");
                }
                if (buf[pos + 1] == '\n') {
                    pos += 2;
                    return;
                }
            }
            throw new MalformedException(MalformedException.Reason.INVALID_DELIMITER,
                    "unexpected characters after multipart boundary delimiter of part " + parts);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Headers

    private static final int EMPTY_LINE = 0;
    private static final int HEADER_LINE = 1;
    private static final int BODY_LINE = 2;

    /**
     * Classifies the first line of a part without consuming it. At end of stream it answers BODY_LINE and lets the
     * content scan report the truncation (or find a close delimiter such as {@code --boundary--} without a final line
     * break).
     */
    private int peekFirstLine() throws IOException {
        if (!ensure(1)) {
            return BODY_LINE;
        }
        var c0 = buf[pos];
        if (c0 == '\n') {
            return EMPTY_LINE;
        }
        if (c0 == '\r') {
            return ensure(2) && buf[pos + 1] == '\n' ? EMPTY_LINE : BODY_LINE;
        }
        if (!isTokenChar(c0)) {
            return BODY_LINE;
        }
        var sawSpace = false;
        for (var i = 1; i <= MAX_HEADER_NAME; i++) {
            if (!ensure(i + 1)) {
                return BODY_LINE;
            }
            var c = buf[pos + i];
            if (c == ':') {
                return HEADER_LINE;
            }
            if (c == ' ' || c == '\t') {
                sawSpace = true;
            } else if (sawSpace || !isTokenChar(c)) {
                return BODY_LINE;
            }
        }
        return BODY_LINE;
    }

    private Map<String, String> readHeaders() throws IOException {
        var budget = new int[] {limits.maxHeaderBytes()};
        switch (peekFirstLine()) {
            case EMPTY_LINE -> {
                readLine(budget);
                return Map.of();
            }
            case BODY_LINE -> {
                return Map.of();
            }
            default -> {
            }
        }
        var headers = new LinkedHashMap<String, String>();
        String continuing = null; // header a folded line continues; null if none (or a repeated header)
        while (true) {
            var text = readLine(budget);
            if (text.isEmpty()) {
                return Collections.unmodifiableMap(headers);
            }
            var c0 = text.charAt(0);
            if (c0 == ' ' || c0 == '\t') {
                if (continuing != null) {
                    headers.put(continuing, (headers.get(continuing) + " " + text.strip()).strip());
                }
                continue;
            }
            var colon = text.indexOf(':');
            var name = colon < 0 ? "" : stripSpaces(text.substring(0, colon));
            if (name.isEmpty() || !isToken(name)) {
                throw new MalformedException(MalformedException.Reason.INVALID_HEADER,
                        "invalid header line in multipart part " + parts + ": " + excerpt(text));
            }
            name = name.toLowerCase(Locale.ROOT);
            if (headers.putIfAbsent(name, text.substring(colon + 1).strip()) == null) {
                continuing = name;
            } else {
                continuing = null;
            }
        }
    }

    /** Reads one line (CRLF or LF), without its line break, counting its bytes against the header budget. */
    private String readLine(int[] budget) throws IOException {
        line.reset();
        while (true) {
            var nl = -1;
            for (var i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            var end = nl >= 0 ? nl + 1 : lim;
            var n = end - pos;
            budget[0] -= n;
            if (budget[0] < 0) {
                throw new MalformedException(MalformedException.Reason.HEADERS_TOO_LARGE,
                        "headers of multipart part " + parts + " exceed " + limits.maxHeaderBytes() + " bytes");
            }
            line.write(buf, pos, n);
            pos = end;
            if (nl >= 0) {
                break;
            }
            if (!fill()) {
                throw truncated("in part headers");
            }
        }
        var bytes = line.toByteArray();
        var len = bytes.length - 1;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        return decodeHeader(bytes, len);
    }

    private static String decodeHeader(byte[] bytes, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, len))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
        }
    }

    private static String excerpt(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    private static String stripSpaces(String s) {
        var start = 0;
        var end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isTokenChar(int c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return switch (c) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }

    private static boolean isToken(String s) {
        for (var i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Header parameters (Content-Type, Content-Disposition)

    private static int indexOfUnquoted(String s, char wanted, int from) {
        var quoted = false;
        for (var i = from; i < s.length(); i++) {
            var c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == wanted) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses {@code name=value; name="quoted"; name*=UTF-8''pct} into a map with lower-cased names. Values of
     * {@code name*} (RFC 5987/8187) are decoded and replace {@code name}; undecodable ones are ignored. The first
     * occurrence of a name wins.
     */
    static Map<String, String> parameters(String s) {
        var plain = new HashMap<String, String>();
        var extended = new HashMap<String, String>();
        var i = 0;
        var n = s.length();
        while (i < n) {
            var j = i;
            while (j < n && s.charAt(j) != ';' && s.charAt(j) != '=') {
                j++;
            }
            var name = s.substring(i, j).strip().toLowerCase(Locale.ROOT);
            if (j >= n || s.charAt(j) == ';') {
                i = j + 1; // a parameter without value (e.g. the "form-data" token): skip it
                continue;
            }
            var k = j + 1;
            while (k < n && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
                k++;
            }
            String value;
            if (k < n && s.charAt(k) == '"') {
                var sb = new StringBuilder();
                k++;
                while (k < n && s.charAt(k) != '"') {
                    var c = s.charAt(k);
                    // Backslash escapes only before characters that need them (as Go does): MSIE sends file paths
                    // like "C:\dir\a.pdf" without escaping the backslashes.
                    if (c == '\\' && k + 1 < n && isTSpecial(s.charAt(k + 1))) {
                        sb.append(s.charAt(k + 1));
                        k += 2;
                    } else {
                        sb.append(c);
                        k++;
                    }
                }
                value = sb.toString();
                var semi = indexOfUnquoted(s, ';', Math.min(k + 1, n));
                i = semi < 0 ? n : semi + 1;
            } else {
                var semi = s.indexOf(';', k);
                value = s.substring(k, semi < 0 ? n : semi).strip();
                i = semi < 0 ? n : semi + 1;
            }
            if (name.endsWith("*")) {
                var decoded = decodeExtValue(value);
                if (decoded != null) {
                    extended.putIfAbsent(name.substring(0, name.length() - 1), decoded);
                }
            } else if (!name.isEmpty()) {
                plain.putIfAbsent(name, value);
            }
        }
        plain.putAll(extended);
        return plain;
    }

    private static boolean isTSpecial(char c) {
        return "()<>@,;:\\\"/[]?=".indexOf(c) >= 0;
    }

    /** RFC 5987 {@code charset'language'pct-encoded}; null if malformed or the charset is unknown. */
    private static String decodeExtValue(String value) {
        var q1 = value.indexOf('\'');
        var q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
        if (q2 < 0) {
            return null;
        }
        Charset charset;
        try {
            charset = Charset.forName(value.substring(0, q1).strip());
        } catch (RuntimeException unknown) {
            return null;
        }
        var encoded = value.substring(q2 + 1);
        var bytes = new byte[encoded.length()];
        var len = 0;
        for (var i = 0; i < encoded.length(); i++) {
            var c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                var hi = Character.digit(encoded.charAt(i + 1), 16);
                var lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes[len++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c > 0x7f) {
                return null;
            } else {
                bytes[len++] = (byte) c;
            }
        }
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, len))
                    .toString();
        } catch (CharacterCodingException malformed) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Parts

    /** One part: its headers, and its content as a stream. Valid until the next {@link #next()}. */
    public static final class Part {

        private final MultipartReader reader;
        private final int ordinal;
        private final Map<String, String> headers;
        private final String name;
        private final String filename;
        private final String contentType;
        private final InputStream body;

        private Part(MultipartReader reader, int ordinal, Map<String, String> headers) {
            this.reader = reader;
            this.ordinal = ordinal;
            this.headers = headers;
            var disposition = headers.get("content-disposition");
            Map<String, String> params = Map.of();
            if (disposition != null) {
                var semi = indexOfUnquoted(disposition, ';', 0);
                params = semi < 0 ? Map.of() : parameters(disposition.substring(semi + 1));
            }
            this.name = params.get("name");
            this.filename = params.get("filename");
            var type = headers.get("content-type");
            this.contentType = type == null || type.isBlank() ? null : type;
            this.body = new Body();
        }

        /** The part's headers, names lower-cased, values trimmed; empty for a part without headers. */
        public Map<String, String> headers() {
            return headers;
        }

        /** The {@code name} parameter of Content-Disposition ({@code name*} preferred), or null. */
        public String name() {
            return name;
        }

        /**
         * The {@code filename} parameter of Content-Disposition, {@code filename*} (RFC 5987/6266) preferred, or null
         * if absent (a form field rather than a file; browsers send {@code filename=""} for an empty file input).
         * Not sanitised: it may contain a client path ({@code C:\dir\a.pdf}); the caller strips it.
         */
        public String filename() {
            return filename;
        }

        /** The part's Content-Type header, or null. */
        public String contentType() {
            return contentType;
        }

        /** 1 for the first part. */
        public int index() {
            return ordinal;
        }

        /**
         * The part's content, up to (not including) the line break before the next delimiter, streamed through the
         * reader's buffer. It may be read partially: {@link #next()} skips the rest. It throws
         * {@link MalformedException} (reason {@code TRUNCATED}) instead of ending if the input ends before the
         * delimiter, and {@link IOException} if read after {@link #next()} moved on. Closing it does nothing.
         */
        public InputStream body() {
            return body;
        }

        @Override
        public String toString() {
            return "Part[" + ordinal + ", name=" + name + ", filename=" + filename + ", contentType=" + contentType + "]";
        }

        private final class Body extends InputStream {

            /** Makes content available: false at the end of this part. */
            private boolean more() throws IOException {
                var r = reader;
                if (r.failure != null) {
                    throw r.failure;
                }
                if (r.state != State.BODY || r.parts != ordinal) {
                    throw new IOException("multipart part " + ordinal + " is no longer readable: next() moved past it");
                }
                if (r.pos < r.contentEnd) {
                    return true;
                }
                if (r.pending != NONE) {
                    return false;
                }
                try {
                    return r.scan();
                } catch (MalformedException e) {
                    r.failure = e;
                    throw e;
                }
            }

            @Override
            public int read() throws IOException {
                if (!more()) {
                    return -1;
                }
                return reader.buf[reader.pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                if (!more()) {
                    return -1;
                }
                var r = reader;
                var n = Math.min(len, r.contentEnd - r.pos);
                System.arraycopy(r.buf, r.pos, b, off, n);
                r.pos += n;
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                var skipped = 0L;
                while (skipped < n && more()) {
                    var r = reader;
                    var k = (int) Math.min(n - skipped, r.contentEnd - r.pos);
                    r.pos += k;
                    skipped += k;
                }
                return skipped;
            }

            @Override
            public int available() {
                var r = reader;
                return r.state == State.BODY && r.parts == ordinal && r.failure == null ? r.contentEnd - r.pos : 0;
            }

            @Override
            public long transferTo(OutputStream out) throws IOException {
                Objects.requireNonNull(out, "out");
                var total = 0L;
                while (more()) {
                    var r = reader;
                    var n = r.contentEnd - r.pos;
                    out.write(r.buf, r.pos, n);
                    r.pos += n;
                    total += n;
                }
                return total;
            }

            @Override
            public void close() {
            }
        }
    }
}
