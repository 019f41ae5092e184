package io.dossier.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dossier.api.http.MultipartReader.Limits;
import io.dossier.api.http.MultipartReader.MalformedException;
import io.dossier.api.http.MultipartReader.MalformedException.Reason;
import io.dossier.api.http.MultipartReader.Part;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartReaderTest {

    private static final String B = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    private static final int BUF = MultipartReader.BUFFER_SIZE;

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    record Got(Map<String, String> headers, String name, String filename, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Returns at most {@code chunk} bytes per read, to force refills at every position. */
    static final class Trickle extends FilterInputStream {
        private final int chunk;

        Trickle(InputStream in, int chunk) {
            super(in);
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, chunk));
        }
    }

    private static InputStream stream(byte[] data, int chunk) {
        var in = new ByteArrayInputStream(data);
        return chunk <= 0 ? in : new Trickle(in, chunk);
    }

    private static List<Got> parse(InputStream in, String boundary) throws IOException {
        return parse(in, boundary, Limits.DEFAULT);
    }

    private static List<Got> parse(InputStream in, String boundary, Limits limits) throws IOException {
        var reader = new MultipartReader(in, boundary, limits);
        var out = new ArrayList<Got>();
        for (var p = reader.next(); p.isPresent(); p = reader.next()) {
            var part = p.get();
            out.add(new Got(part.headers(), part.name(), part.filename(), part.contentType(), part.body().readAllBytes()));
        }
        assertThat(reader.next()).isEmpty();
        return out;
    }

    private static List<Got> parse(String body) throws IOException {
        return parse(new ByteArrayInputStream(bytes(body)), "b0und4ry");
    }

    private static String crlf(String lfText) {
        return lfText.replace("\n", "\r\n");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // boundary()

    @Nested
    class BoundaryParameter {

        @Test
        void plainAndQuoted() {
            assertThat(MultipartReader.boundary("multipart/form-data; boundary=" + B)).contains(B);
            assertThat(MultipartReader.boundary("multipart/form-data; boundary=\"simple boundary\"")).contains("simple boundary");
            assertThat(MultipartReader.boundary("multipart/mixed;boundary=abc")).contains("abc");
        }

        @Test
        void caseInsensitiveNamesButValueCaseKept() {
            assertThat(MultipartReader.boundary("Multipart/Form-Data; BOUNDARY=AbC")).contains("AbC");
            assertThat(MultipartReader.boundary("MULTIPART/RELATED; Boundary=\"XyZ\"")).contains("XyZ");
        }

        @Test
        void oddSpacingAndLeftovers() {
            assertThat(MultipartReader.boundary("multipart/form-data ;  boundary = abc ; charset=UTF-8")).contains("abc");
            assertThat(MultipartReader.boundary("multipart/form-data; charset=utf-8; boundary=abc")).contains("abc");
            assertThat(MultipartReader.boundary("  multipart/form-data;boundary=abc;")).contains("abc");
            assertThat(MultipartReader.boundary("multipart/form-data; charset=; boundary=abc")).contains("abc");
            assertThat(MultipartReader.boundary("multipart/form-data;\tboundary=\"abc\" ; x")).contains("abc");
        }

        @Test
        void parametersBeforeTheBoundary() {
            assertThat(MultipartReader.boundary("multipart/related; type=\"application/json\"; boundary=xyz")).contains("xyz");
            assertThat(MultipartReader.boundary(
                    "multipart/related; type=\"application/json; boundary=evil\"; start=\"<root@x>\"; boundary=\"real\""))
                    .contains("real");
        }

        @Test
        void quotedWithSpecialCharacters() {
            assertThat(MultipartReader.boundary("multipart/mixed; boundary=\"a:b=c;d,e/f?(g)<h>@[i]\""))
                    .contains("a:b=c;d,e/f?(g)<h>@[i]");
            assertThat(MultipartReader.boundary("multipart/mixed; boundary=\"ab\\\"c\"")).contains("ab\"c");
            assertThat(MultipartReader.boundary("multipart/mixed; boundary='quoted'")).contains("'quoted'");
        }

        @Test
        void emptyWhenAbsentOrNotMultipart() {
            assertThat(MultipartReader.boundary(null)).isEmpty();
            assertThat(MultipartReader.boundary("")).isEmpty();
            assertThat(MultipartReader.boundary("multipart/form-data")).isEmpty();
            assertThat(MultipartReader.boundary("multipart/form-data; charset=utf-8")).isEmpty();
            assertThat(MultipartReader.boundary("application/json; boundary=x")).isEmpty();
            assertThat(MultipartReader.boundary("text/plain")).isEmpty();
            assertThat(MultipartReader.boundary("multipart/; boundary=x")).isEmpty();
            assertThat(MultipartReader.boundary("multipart/form-data; boundary=\"\"")).isEmpty();
            assertThat(MultipartReader.boundary("multipart/form-data; boundary=")).isEmpty();
            assertThat(MultipartReader.boundary("multipart/form-data; boundary=" + "x".repeat(300))).isEmpty();
        }

        @Test
        void constructorRejectsUnusableBoundaries() {
            var in = new ByteArrayInputStream(new byte[0]);
            assertThatThrownBy(() -> new MultipartReader(in, "", Limits.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new MultipartReader(in, "a\r\nb", Limits.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Limits(0, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // form-data

    @Test
    void textFieldThenFile() throws IOException {
        var body = concat(bytes(crlf("""
                --%s
                Content-Disposition: form-data; name="title"

                Quarterly report
                --%s
                Content-Disposition: form-data; name="file"; filename="report.pdf"
                Content-Type: application/pdf

                """.formatted(B, B))), bytes("%PDF-1.7\r\n\u0000\u00ff binary\r\n"), bytes("\r\n--" + B + "--\r\n"));
        var parts = parse(new ByteArrayInputStream(body), B);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).name()).isEqualTo("title");
        assertThat(parts.get(0).filename()).isNull();
        assertThat(parts.get(0).contentType()).isNull();
        assertThat(parts.get(0).text()).isEqualTo("Quarterly report");
        assertThat(parts.get(1).name()).isEqualTo("file");
        assertThat(parts.get(1).filename()).isEqualTo("report.pdf");
        assertThat(parts.get(1).contentType()).isEqualTo("application/pdf");
        assertThat(parts.get(1).body()).isEqualTo(bytes("%PDF-1.7\r\n\u0000\u00ff binary\r\n"));
    }

    /** The OWS WordPress client: the file first, then sessionId as a raw token labelled application/json. */
    @Test
    void fileThenTextFieldAsTheWordPressClientSendsIt() throws IOException {
        var pdf = new byte[3000];
        new Random(7).nextBytes(pdf);
        var body = concat(
                bytes("--" + B + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Rapport annuel.pdf\"\r\n"
                        + "Content-Type: application/pdf\r\n\r\n"),
                pdf,
                bytes("\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + "a1b2c3d4e5f6" + "\r\n--" + B + "--\r\n"));
        var parts = parse(new ByteArrayInputStream(body), B);
        assertThat(parts).extracting(Got::name).containsExactly("file", "sessionId");
        assertThat(parts.get(0).filename()).isEqualTo("Rapport annuel.pdf");
        assertThat(parts.get(0).body()).isEqualTo(pdf);
        assertThat(parts.get(1).contentType()).isEqualTo("application/json");
        assertThat(parts.get(1).text()).isEqualTo("a1b2c3d4e5f6");
    }

    @Test
    void severalFileParts() throws IOException {
        var rnd = new Random(42);
        var out = new ByteArrayOutputStream();
        var expected = new ArrayList<byte[]>();
        for (var i = 0; i < 5; i++) {
            var content = new byte[rnd.nextInt(200_000)];
            rnd.nextBytes(content);
            expected.add(content);
            out.writeBytes(bytes("--" + B + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"f" + i + ".bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n"));
            out.writeBytes(content);
            out.writeBytes(bytes("\r\n"));
        }
        out.writeBytes(bytes("--" + B + "--"));
        for (var chunk : new int[] {0, 7, 4096}) {
            var parts = parse(stream(out.toByteArray(), chunk), B);
            assertThat(parts).hasSize(5);
            for (var i = 0; i < 5; i++) {
                assertThat(parts.get(i).name()).isEqualTo("files");
                assertThat(parts.get(i).filename()).isEqualTo("f" + i + ".bin");
                assertThat(parts.get(i).body()).isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void relatedJsonThenBinaryWithoutPartHeaders() throws IOException {
        var binary = new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, '-', '-'};
        var body = concat(bytes(crlf("""
                --xyz
                Content-Type: application/json; charset=UTF-8

                {"title":"scan","tags":["a"]}
                --xyz

                """)), binary, bytes("\r\n--xyz--\r\n"));
        var parts = parse(new ByteArrayInputStream(body),
                MultipartReader.boundary("multipart/related; type=\"application/json\"; boundary=xyz").orElseThrow());
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).contentType()).isEqualTo("application/json; charset=UTF-8");
        assertThat(parts.get(0).text()).isEqualTo("{\"title\":\"scan\",\"tags\":[\"a\"]}");
        assertThat(parts.get(1).headers()).isEmpty();
        assertThat(parts.get(1).name()).isNull();
        assertThat(parts.get(1).contentType()).isNull();
        assertThat(parts.get(1).body()).isEqualTo(binary);
    }

    /** File API clients that put the content right after the delimiter line, without a blank line. */
    @Test
    void partWithoutHeadersOrBlankLine() throws IOException {
        var pdf = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj: <<>>\n";
        var parts = parse(crlf("--b0und4ry\nContent-Type: application/json\n\n{\"a\":1}\n--b0und4ry\n")
                + pdf + "\r\n--b0und4ry\r\n\u0089PNG\r\n--b0und4ry\r\n{\"x\": 2}\r\n--b0und4ry--");
        assertThat(parts).hasSize(4);
        assertThat(parts.get(1).headers()).isEmpty();
        assertThat(parts.get(1).text()).isEqualTo(pdf);
        assertThat(parts.get(2).headers()).isEmpty();
        assertThat(parts.get(2).text()).isEqualTo("\u0089PNG");
        assertThat(parts.get(3).headers()).isEmpty();
        assertThat(parts.get(3).text()).isEqualTo("{\"x\": 2}");
    }

    @Test
    void emptyParts() throws IOException {
        var parts = parse(crlf("""
                --b0und4ry
                Content-Disposition: form-data; name="empty"


                --b0und4ry
                Content-Disposition: form-data; name="upload"; filename=""
                Content-Type: application/octet-stream


                --b0und4ry
                Content-Disposition: form-data; name="lenient"

                --b0und4ry

                --b0und4ry
                --b0und4ry--
                """));
        assertThat(parts).extracting(Got::name).containsExactly("empty", "upload", "lenient", null, null);
        assertThat(parts).allSatisfy(p -> assertThat(p.body()).isEmpty());
        assertThat(parts.get(1).filename()).isEmpty();
    }

    @Test
    void lfOnlyLineEndings() throws IOException {
        var parts = parse("""
                preamble
                --b0und4ry
                Content-Disposition: form-data; name="a"

                line 1
                line 2\r
                --b0und4ry\t
                content-disposition: form-data; name="b"; filename="b.txt"
                Content-Type: text/plain

                bee
                --b0und4ry--
                """);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).text()).isEqualTo("line 1\nline 2");
        assertThat(parts.get(1).text()).isEqualTo("bee");
        assertThat(parts.get(1).filename()).isEqualTo("b.txt");
        assertThat(parts.get(1).contentType()).isEqualTo("text/plain");
    }

    @Test
    void preambleAndEpilogueIgnored() throws IOException {
        var body = crlf("""
                This is the preamble. --b0und4ryX is not a delimiter,
                nor is
                --b0und4ry-x
                --b0und4ryX
                --b0und4ry
                Content-Disposition: form-data; name="a"

                A
                --b0und4ry--
                This is the epilogue.
                --b0und4ry
                Content-Disposition: form-data; name="ghost"

                ignored
                """);
        var parts = parse(body);
        assertThat(parts).extracting(Got::name).containsExactly("a");
        assertThat(parts.get(0).text()).isEqualTo("A");
        // The stream may start with the delimiter (no preceding line break); a close delimiter may end the stream.
        assertThat(parse("--b0und4ry\r\n\r\nx\r\n--b0und4ry--")).extracting(Got::text).containsExactly("x");
    }

    @Test
    void boundaryLikeBytesInsideContent() throws IOException {
        var tricky = String.join("",
                "a\r\n--b0und4r\r\n", // prefix of the delimiter
                "\r\n--b0und4ryX\r\n", // boundary followed by a non-delimiter character
                "\n--b0und4ry-x", // one dash only
                "\r\n-b0und4ry\r\n", // one leading dash
                "x--b0und4ry\r\n", // not at a line start
                "\r\r\n--b0und4", // CR before a prefix
                "\r\n--\r\n--b\r\n--b0\r\n", "\r\n--b0und4r");
        var parts = parse("--b0und4ry\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n" + tricky + "\r\n--b0und4ry--\r\n");
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).text()).isEqualTo(tricky);
        // Content starting with "--boundary" followed by a non-delimiter character.
        var parts2 = parse("--b0und4ry\r\n\r\n--b0und4ryZ and more\r\n--b0und4ry--");
        assertThat(parts2.get(0).text()).isEqualTo("--b0und4ryZ and more");
        // Content ending with line breaks keeps them (only the one before the delimiter belongs to it).
        var parts3 = parse("--b0und4ry\r\n\r\nline\r\n\r\n\n\r\n--b0und4ry--");
        assertThat(parts3.get(0).text()).isEqualTo("line\r\n\r\n\n");
    }

    @Test
    void transportPaddingAfterDelimiter() throws IOException {
        var parts = parse("--b0und4ry  \t\r\n\r\nx\r\n--b0und4ry \r\n\r\ny\r\n--b0und4ry--  \r\n");
        assertThat(parts).extracting(Got::text).containsExactly("x", "y");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // buffer edges

    private static byte[] trickyContent(int size, long seed) {
        var rnd = new Random(seed);
        var out = new byte[size];
        var i = 0;
        var fragment = bytes("\r\n--" + B);
        while (i < size) {
            if (rnd.nextInt(8) == 0) {
                // a delimiter prefix, never the whole delimiter
                var k = Math.min(size - i, 1 + rnd.nextInt(fragment.length - 1));
                System.arraycopy(fragment, 0, out, i, k);
                i += k;
            } else {
                var k = Math.min(size - i, rnd.nextInt(300));
                for (var j = 0; j < k; j++) {
                    out[i + j] = (byte) rnd.nextInt(256);
                }
                i += k;
            }
        }
        // a prefix followed by the right random byte can complete the delimiter: break any such occurrence
        var delimiter = bytes("\n--" + B);
        for (int at; (at = indexOf(out, delimiter)) >= 0; ) {
            out[at + delimiter.length - 1] ^= 1;
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (var i = 0; i + needle.length <= hay.length; i++) {
            for (var j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static final String FILE_HEAD = "--" + B + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n";

    private static byte[] singleFile(byte[] content) {
        return concat(bytes(FILE_HEAD), content,
                bytes("\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nok\r\n--" + B + "--\r\n"));
    }

    @ParameterizedTest
    @ValueSource(ints = {BUF - 1, BUF, BUF + 1, 2 * BUF - 1, 2 * BUF, 2 * BUF + 1})
    void contentAtBufferSizeEdges(int size) throws IOException {
        var content = trickyContent(size, size);
        for (var chunk : new int[] {0, 1, 7, BUF - 1, BUF + 3}) {
            var parts = parse(stream(singleFile(content), chunk), B);
            assertThat(parts).hasSize(2);
            assertThat(parts.get(0).body()).as("chunk %d", chunk).isEqualTo(content);
            assertThat(parts.get(1).text()).isEqualTo("ok");
        }
    }

    /** Every placement of the delimiter across the end of the first 64 KiB read. */
    @Test
    void delimiterSplitAcrossRefills() throws IOException {
        var head = bytes(FILE_HEAD).length;
        var delimiterLength = ("\r\n--" + B + "\r\n").length();
        for (var size = BUF - head - delimiterLength - 3; size <= BUF - head + 3; size++) {
            var content = trickyContent(size, size);
            var parts = parse(stream(singleFile(content), 0), B);
            assertThat(parts.get(0).body()).as("size %d", size).isEqualTo(content);
            assertThat(parts.get(1).text()).isEqualTo("ok");
        }
    }

    /** Random messages, random read sizes, random ways of consuming the bodies. */
    @Test
    void randomisedRoundTrips() throws IOException {
        var rnd = new Random(2024);
        for (var round = 0; round < 150; round++) {
            var count = 1 + rnd.nextInt(4);
            var contents = new ArrayList<byte[]>();
            var out = new ByteArrayOutputStream();
            out.writeBytes(bytes("preamble " + round + "\r\n"));
            for (var i = 0; i < count; i++) {
                var size = rnd.nextInt(4) == 0 ? rnd.nextInt(10) : rnd.nextInt(3 * BUF);
                var content = trickyContent(size, rnd.nextLong());
                contents.add(content);
                out.writeBytes(bytes("--" + B + "\r\nContent-Disposition: form-data; name=\"p" + i + "\"\r\n\r\n"));
                out.writeBytes(content);
                out.writeBytes(bytes("\r\n"));
            }
            out.writeBytes(bytes("--" + B + "--\r\nepilogue"));
            var chunk = switch (rnd.nextInt(4)) {
                case 0 -> 0;
                case 1 -> 1 + rnd.nextInt(16);
                default -> 1 + rnd.nextInt(100_000);
            };
            var reader = new MultipartReader(stream(out.toByteArray(), chunk), B, Limits.DEFAULT);
            for (var i = 0; i < count; i++) {
                var part = reader.next().orElseThrow();
                assertThat(part.name()).isEqualTo("p" + i);
                var mode = rnd.nextInt(4);
                byte[] got = switch (mode) {
                    case 0 -> part.body().readAllBytes();
                    case 1 -> {
                        var sink = new ByteArrayOutputStream();
                        part.body().transferTo(sink);
                        yield sink.toByteArray();
                    }
                    case 2 -> {
                        var sink = new ByteArrayOutputStream();
                        for (int c; (c = part.body().read()) >= 0; ) {
                            sink.write(c);
                        }
                        yield sink.toByteArray();
                    }
                    default -> null; // skipped by next()
                };
                if (got != null) {
                    assertThat(got).as("round %d part %d mode %d chunk %d", round, i, mode, chunk).isEqualTo(contents.get(i));
                    assertThat(part.body().read()).isEqualTo(-1);
                }
            }
            assertThat(reader.next()).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // large part

    /** Deterministic pseudo-random bytes, generated on the fly. */
    static final class Generated extends InputStream {
        private long remaining;
        private long state;

        Generated(long size, long seed) {
            remaining = size;
            state = seed | 1;
        }

        @Override
        public int read() {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            var n = (int) Math.min(len, remaining);
            for (var i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            remaining -= n;
            return n;
        }
    }

    private static InputStream sequence(InputStream... streams) {
        return new SequenceInputStream(Collections.enumeration(List.of(streams)));
    }

    @Test
    void fiftyMegabytePartStreamsInConstantMemory() throws Exception {
        var size = 50L << 20;
        var expected = MessageDigest.getInstance("SHA-256");
        var scratch = new byte[BUF];
        try (var gen = new Generated(size, 99)) {
            for (int n; (n = gen.read(scratch, 0, scratch.length)) > 0; ) {
                expected.update(scratch, 0, n);
            }
        }
        var in = sequence(new ByteArrayInputStream(bytes(FILE_HEAD)), new Generated(size, 99),
                new ByteArrayInputStream(bytes("\r\n--" + B + "--\r\n")));

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        var allocatedBefore = threads.getCurrentThreadAllocatedBytes();

        var digest = MessageDigest.getInstance("SHA-256");
        var counted = new long[2]; // total, largest single write
        var reader = new MultipartReader(in, B, Limits.DEFAULT);
        var part = reader.next().orElseThrow();
        part.body().transferTo(new OutputStream() {
            @Override
            public void write(int b) {
                digest.update((byte) b);
                counted[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                digest.update(b, off, len);
                counted[0] += len;
                counted[1] = Math.max(counted[1], len);
            }
        });
        assertThat(reader.next()).isEmpty();
        var allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        assertThat(counted[0]).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        assertThat(counted[1]).isLessThanOrEqualTo(BUF);
        assertThat(allocated).as("bytes allocated while streaming 50 MB").isLessThan(4L << 20);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // partial reads

    @Test
    void partiallyReadBodyIsSkippedByNext() throws IOException {
        var big = trickyContent(3 * BUF + 17, 5);
        var body = concat(bytes(FILE_HEAD), big, bytes("\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\nsecond\r\n--" + B + "--"));
        var reader = new MultipartReader(stream(body, 1000), B, Limits.DEFAULT);
        var first = reader.next().orElseThrow();
        var ten = first.body().readNBytes(10);
        assertThat(ten).isEqualTo(Arrays.copyOf(big, 10));
        assertThat(first.body().skip(5)).isEqualTo(5);
        var second = reader.next().orElseThrow();
        assertThat(second.name()).isEqualTo("n");
        assertThat(new String(second.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
        assertThatThrownBy(() -> first.body().read())
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(MalformedException.class)
                .hasMessageContaining("no longer readable");
        assertThat(reader.next()).isEmpty();
        assertThat(reader.next()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // headers and Content-Disposition

    @Test
    void headersLowerCasedAndDispositionParameters() throws IOException {
        var parts = parse(crlf("""
                --b0und4ry
                CONTENT-DISPOSITION: form-data; NAME="doc"; FileName="a \\"b\\".pdf"
                X-Custom :  value
                X-Folded: first
                  second
                content-type: application/pdf

                x
                --b0und4ry
                Content-Disposition: form-data; name=field1; filename=a b.txt
                Content-Disposition: form-data; name=ignored

                y
                --b0und4ry
                Content-Disposition: form-data; name="upload"; filename="C:\\Users\\me\\My;File.pdf"

                z
                --b0und4ry--
                """));
        var doc = parts.get(0);
        assertThat(doc.headers()).containsOnlyKeys("content-disposition", "x-custom", "x-folded", "content-type");
        assertThat(doc.headers()).containsEntry("x-custom", "value").containsEntry("x-folded", "first second");
        assertThat(doc.name()).isEqualTo("doc");
        assertThat(doc.filename()).isEqualTo("a \"b\".pdf");
        assertThat(doc.contentType()).isEqualTo("application/pdf");
        assertThat(parts.get(1).name()).isEqualTo("field1");
        assertThat(parts.get(1).filename()).isEqualTo("a b.txt");
        assertThat(parts.get(2).filename()).isEqualTo("C:\\Users\\me\\My;File.pdf");
    }

    @Test
    void extendedFilenameTakesPrecedence() throws IOException {
        var parts = parse(crlf("""
                --b0und4ry
                Content-Disposition: form-data; name="f"; filename="naive.pdf"; filename*=UTF-8''na%C3%AFve.pdf

                1
                --b0und4ry
                Content-Disposition: attachment; filename*=utf-8'en'%E2%82%AC%20rates.txt; filename="EUR rates.txt"

                2
                --b0und4ry
                Content-Disposition: attachment; filename*=iso-8859-1''%A3%20rates.txt

                3
                --b0und4ry
                Content-Disposition: form-data; name="f"; filename="fallback.pdf"; filename*=UTF-8''bad%ZZ

                4
                --b0und4ry
                Content-Disposition: form-data; name="f"; filename="fallback2.pdf"; filename*=UTF-8''%FF%FE

                5
                --b0und4ry--
                """));
        assertThat(parts).extracting(Got::filename)
                .containsExactly("naïve.pdf", "€ rates.txt", "£ rates.txt", "fallback.pdf", "fallback2.pdf");
    }

    @Test
    void rawUtf8AndLatin1HeaderBytes() throws IOException {
        var utf8 = concat(bytes("--b0und4ry\r\nContent-Disposition: form-data; name=\"f\"; filename=\""),
                "Ñandú – 日本.txt".getBytes(StandardCharsets.UTF_8), bytes("\"\r\n\r\nx\r\n--b0und4ry--"));
        assertThat(parse(new ByteArrayInputStream(utf8), "b0und4ry").get(0).filename()).isEqualTo("Ñandú – 日本.txt");
        var latin1 = concat(bytes("--b0und4ry\r\nContent-Disposition: form-data; name=\"f\"; filename=\""),
                "Ñandú.txt".getBytes(StandardCharsets.ISO_8859_1), bytes("\"\r\n\r\nx\r\n--b0und4ry--"));
        assertThat(parse(new ByteArrayInputStream(latin1), "b0und4ry").get(0).filename()).isEqualTo("Ñandú.txt");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // errors

    private static MalformedException malformed(ThrowingRunnable r) {
        try {
            r.run();
        } catch (MalformedException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError("expected MalformedException, got " + e, e);
        }
        throw new AssertionError("expected MalformedException");
    }

    interface ThrowingRunnable {
        void run() throws IOException;
    }

    private static MultipartReader reader(String body) {
        return new MultipartReader(new ByteArrayInputStream(bytes(body)), "b0und4ry", Limits.DEFAULT);
    }

    @Test
    void noOpeningBoundary() {
        assertThat(malformed(() -> reader("").next()).reason()).isEqualTo(Reason.NO_OPENING_BOUNDARY);
        var e = malformed(() -> reader("just some text\r\n--b0und4r\r\n--b0und4ryX\r\n").next());
        assertThat(e.reason()).isEqualTo(Reason.NO_OPENING_BOUNDARY);
        assertThat(e).hasMessageContaining("no multipart boundary");
    }

    @Test
    void truncatedUploadFailsOnBodyRead() throws IOException {
        var r = reader("--b0und4ry\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\nhalf of the fi");
        var part = r.next().orElseThrow();
        var e = malformed(() -> part.body().readAllBytes());
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(e).hasMessageContaining("before the closing boundary");
        // sticky
        assertThat(malformed(() -> part.body().read())).isSameAs(e);
        assertThat(malformed(r::next)).isSameAs(e);
    }

    @Test
    void truncatedLargeUploadDeliversDataThenFails() throws IOException {
        var content = trickyContent(5 * BUF, 11);
        var in = new ByteArrayInputStream(concat(bytes(FILE_HEAD), content));
        var part = new MultipartReader(new Trickle(in, 777), B, Limits.DEFAULT).next().orElseThrow();
        var sink = new ByteArrayOutputStream();
        var buffer = new byte[5000];
        var e = malformed(() -> {
            for (int n; (n = part.body().read(buffer)) >= 0; ) {
                sink.write(buffer, 0, n);
            }
        });
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(sink.toByteArray()).isEqualTo(Arrays.copyOf(content, sink.size()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "data\r\n", "data\r\n--b0und4ry", "data\r\n--b0und4ry-", "data\r\n--b0und4ry\r", "data\r\n--b0und4ry\r\n",
            "data\r\n--b0und4ry\r\nContent-Type: text/plain", "data\r\n--b0und4ry\r\nContent-Type: text/plain\r\n\r\nmore"})
    void noClosingBoundary(String tail) throws IOException {
        var r = reader("--b0und4ry\r\n\r\n" + tail);
        r.next().orElseThrow();
        var e = malformed(() -> {
            while (r.next().isPresent()) {
                // drain
            }
        });
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void headersTooLarge() {
        var limits = new Limits(1024, 100);
        var body = "--b0und4ry\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Big: " + "x".repeat(2000) + "\r\n\r\nx\r\n--b0und4ry--";
        var e = malformed(() -> new MultipartReader(new ByteArrayInputStream(bytes(body)), "b0und4ry", limits).next());
        assertThat(e.reason()).isEqualTo(Reason.HEADERS_TOO_LARGE);
        assertThat(e).hasMessageContaining("1024");
        // many small lines count together
        var many = "--b0und4ry\r\n" + "X-A: 1234567890\r\n".repeat(100) + "\r\nx\r\n--b0und4ry--";
        assertThat(malformed(() -> new MultipartReader(new ByteArrayInputStream(bytes(many)), "b0und4ry", limits).next())
                .reason()).isEqualTo(Reason.HEADERS_TOO_LARGE);
    }

    @Test
    void tooManyParts() throws IOException {
        var three = "--b0und4ry\r\n\r\n1\r\n--b0und4ry\r\n\r\n2\r\n--b0und4ry\r\n\r\n3\r\n--b0und4ry--";
        var limits = new Limits(1024, 2);
        var r = new MultipartReader(new ByteArrayInputStream(bytes(three)), "b0und4ry", limits);
        r.next().orElseThrow();
        r.next().orElseThrow();
        assertThat(malformed(r::next).reason()).isEqualTo(Reason.TOO_MANY_PARTS);
        assertThat(parse(new ByteArrayInputStream(bytes(three)), "b0und4ry", new Limits(1024, 3))).hasSize(3);
    }

    @Test
    void invalidHeaderLine() {
        var e = malformed(() -> reader("--b0und4ry\r\nContent-Type: text/plain\r\nthis is not a header\r\n\r\nx\r\n--b0und4ry--").next());
        assertThat(e.reason()).isEqualTo(Reason.INVALID_HEADER);
        assertThat(e).hasMessageContaining("this is not a header");
        assertThat(malformed(() -> reader("--b0und4ry\r\nA: 1\r\nB@d: 2\r\n\r\nx\r\n--b0und4ry--").next()).reason())
                .isEqualTo(Reason.INVALID_HEADER);
    }

    @Test
    void garbageAfterDelimiter() {
        assertThat(malformed(() -> reader("--b0und4ry  junk\r\n\r\nx\r\n--b0und4ry--").next()).reason())
                .isEqualTo(Reason.INVALID_DELIMITER);
    }

    @Test
    void partToString() throws IOException {
        Optional<Part> part = reader("--b0und4ry\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b0und4ry--").next();
        assertThat(part.orElseThrow()).hasToString("Part[1, name=a, filename=null, contentType=null]");
        assertThat(part.get().index()).isEqualTo(1);
    }
}
