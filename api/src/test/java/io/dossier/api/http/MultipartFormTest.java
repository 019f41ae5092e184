package io.dossier.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipartFormTest {

    static final String CRLF = "\r\n";

    static String form(String... parts) {
        var out = new StringBuilder();
        for (var part : parts) {
            out.append("--b").append(CRLF).append(part).append(CRLF);
        }
        return out.append("--b--").append(CRLF).toString();
    }

    static MultipartForm of(String body, MultipartForm.Limits limits) {
        return MultipartForm.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "b", limits);
    }

    @Test
    void fieldsAreReadAsTextAndFilesAsStreamsInOrder() throws IOException {
        var body = form(
                "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"" + CRLF + "Content-Type: text/plain" + CRLF + CRLF + "hello",
                "Content-Disposition: form-data; name=\"sessionId\"" + CRLF + CRLF + "tok");
        var form = of(body, MultipartForm.Limits.DEFAULT);
        var seen = new ArrayList<String>();
        form.read(part -> {
            if (part.isFile()) {
                seen.add(part.index() + " file " + part.filename() + " " + part.contentType() + " " + new String(part.body().readAllBytes(), StandardCharsets.UTF_8));
            } else {
                seen.add(part.index() + " field " + part.name() + "=" + part.text());
            }
            return true;
        });
        assertThat(seen).containsExactly("1 file a.txt text/plain hello", "2 field sessionId=tok");
        assertThat(form.fields()).isEqualTo(Map.of("sessionId", "tok"));
    }

    @Test
    void aFileIsStreamedNotBuffered() throws IOException {
        // 50 MB of file content that is generated as it is read: were it buffered, the heap would show it
        long size = 50L * 1024 * 1024;
        var head = ("--b" + CRLF + "Content-Disposition: form-data; name=\"file\"; filename=\"big.bin\"" + CRLF + CRLF).getBytes(StandardCharsets.US_ASCII);
        var tail = (CRLF + "--b--" + CRLF).getBytes(StandardCharsets.US_ASCII);
        var in = new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(head), new Zeros(size), new ByteArrayInputStream(tail))));
        var counted = new long[1];
        MultipartForm.of(in, "b", MultipartForm.Limits.DEFAULT).read(part -> {
            var buffer = new byte[8192];
            for (int n; (n = part.body().read(buffer)) >= 0; ) {
                counted[0] += n;
            }
            return true;
        });
        assertThat(counted[0]).isEqualTo(size);
    }

    @Test
    void aFieldLargerThanTheLimitIsRefusedAsInvalid() {
        var body = form("Content-Disposition: form-data; name=\"sessionId\"" + CRLF + CRLF + "x".repeat(101));
        var form = of(body, new MultipartForm.Limits(MultipartReader.Limits.DEFAULT, 100));
        assertThatThrownBy(() -> form.read(part -> {
            part.text();
            return true;
        })).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID);
            assertThat(f.getMessage()).contains("'sessionId'").contains("100 bytes");
        });
    }

    @Test
    void tooManyPartsAreRefusedAsInvalid() {
        var parts = new String[6];
        java.util.Arrays.fill(parts, "Content-Disposition: form-data; name=\"f\"" + CRLF + CRLF + "v");
        var form = of(form(parts), new MultipartForm.Limits(new MultipartReader.Limits(16 * 1024, 5), 100));
        assertThatThrownBy(() -> form.read(part -> true))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID))
                .hasMessageStartingWith("malformed multipart body: ");
    }

    @Test
    void aBodyCutOffInAFileIsRefusedAsInvalidEvenWhenTheStoreWrapsTheError() {
        var body = "--b" + CRLF + "Content-Disposition: form-data; name=\"file\"; filename=\"a\"" + CRLF + CRLF + "partial content, no delimiter";
        assertThatThrownBy(() -> of(body, MultipartForm.Limits.DEFAULT).read(part -> {
            try {
                part.body().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("the store failed", e);   // as a blob store might wrap it
            }
            return true;
        })).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID))
                .hasMessageStartingWith("malformed multipart body: ");
    }

    @Test
    void theHandlerMayStopEarlyAndTheRestIsNotRead() throws IOException {
        var body = form("Content-Disposition: form-data; name=\"meta\"" + CRLF + CRLF + "{}",
                "Content-Disposition: form-data; name=\"file\"; filename=\"a\"" + CRLF + CRLF + "content") + "garbage that is never read";
        var names = new ArrayList<String>();
        of(body, MultipartForm.Limits.DEFAULT).read(part -> {
            names.add(part.name());
            return part.index() < 2;
        });
        assertThat(names).containsExactly("meta", "file");
    }

    /**
     * The reader's buffer goes back to a pool when the reading ends: a part's body kept past that point refuses to be read
     * (it would otherwise read another upload's bytes), and a form read meanwhile does not disturb a form being read.
     */
    @Test
    void aBodyKeptPastTheReadingRefusesAndFormsReadInsideEachOtherKeepTheirOwnBytes() throws IOException {
        var kept = new InputStream[1];
        var outer = new ArrayList<String>();
        of(form("Content-Disposition: form-data; name=\"file\"; filename=\"a\"" + CRLF + CRLF + "x".repeat(100_000),
                "Content-Disposition: form-data; name=\"late\"" + CRLF + CRLF + "late"), MultipartForm.Limits.DEFAULT).read(part -> {
            if (part.isFile()) {
                var head = new String(part.body().readNBytes(10), StandardCharsets.UTF_8);
                // another form read to its end in the middle of this one's file, its buffer given back
                of(form("Content-Disposition: form-data; name=\"file\"; filename=\"b\"" + CRLF + CRLF + "y".repeat(100_000)),
                        MultipartForm.Limits.DEFAULT).read(inner -> {
                            inner.body().readAllBytes();
                            return true;
                        });
                outer.add(head + new String(part.body().readAllBytes(), StandardCharsets.UTF_8));
                kept[0] = part.body();
            } else {
                outer.add(part.text());
            }
            return true;
        });
        assertThat(outer).containsExactly("x".repeat(100_000), "late");
        assertThatThrownBy(() -> kept[0].read()).isInstanceOf(IOException.class).hasMessageContaining("no longer readable");
        assertThat(kept[0].available()).isZero();
    }

    @Test
    void aRequestThatIsNotMultipartGetsTheDialectsAdvice() throws Exception {
        var dialect = new RoutesTest.Plain("d", routes -> routes.post("/upload", ctx ->
                MultipartForm.of(ctx, MultipartForm.Limits.DEFAULT, "send multipart/form-data with a file").read(part -> true)));
        try (var app = new TestApp(dialect)) {
            var response = app.postForm("/d/upload", "a=b");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("send multipart/form-data with a file");
        }
    }

    /** {@code size} zero bytes, made up as they are read. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            var n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
