package io.dossier.store.blob;

import io.dossier.core.content.BlobStore;
import io.dossier.core.content.ByteRange;
import io.dossier.core.content.MemoryBudget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3BlobStoreTest extends BlobStoreContract {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3ProxyProcess s3;

    private String bucket;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyProcess.start();
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    /** A bucket per test: what a test left behind is then exactly what the bucket holds. */
    @Override
    protected BlobStore newStore() {
        bucket = "blobs-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        return S3BlobStore.open(settings(bucket, "dossier/"));
    }

    @Override
    protected List<String> leftovers() {
        var found = new ArrayList<String>();
        s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> found.add(o.key()));
        s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()
                .forEach(u -> found.add("unfinished upload of " + u.key()));
        return found;
    }

    @Test
    void storesBlobsUnderThePrefix() throws Exception {
        var blob = store.write(new ByteArrayInputStream(randomBytes(10)), 10);

        assertThat(leftovers()).containsExactlyInAnyOrder("dossier/" + blob.id(), "dossier/" + blob.id() + ".sums");
    }

    /** With no memory to spare, parts are gathered in temp files: the blob is stored whole all the same, and no file is left. */
    @Test
    void partsThatFindNoRoomInMemoryGoThroughTempFilesAndTheBlobIsStoredWhole(@TempDir Path spool) throws Exception {
        try (var tight = new S3BlobStore(settings(bucket, "dossier/"), new MemoryBudget(1, 0), spool)) {
            for (int length : new int[] {100_000, 2 * S3BlobStore.PART_BYTES + 12_345}) {
                var content = randomBytes(length);

                var blob = tight.write(new ByteArrayInputStream(content), 1L << 30);

                assertThat(blob.size()).isEqualTo(length);
                assertThat(blob.sha256()).isEqualTo(sha256(content));
                try (var in = tight.read(blob.id(), ByteRange.resolve(new ByteRange.FromTo(0, length - 1), length).orElseThrow())) {
                    assertThat(in.readAllBytes()).isEqualTo(content);
                }
                try (var files = java.nio.file.Files.list(spool)) {
                    assertThat(files).isEmpty();
                }
            }
        }
    }

    @Test
    void anEmptyRangeIsReadWithoutAskingS3() throws Exception {
        // No object has this id: only a store that skips the request can answer.
        try (var in = store.read("0123456789abcdef0123456789abcdef", new ByteRange.Resolved(0, 0))) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void describesBucketAndEndpoint() {
        assertThat(store.describe()).isEqualTo("s3 bucket " + bucket + " prefix dossier/ at " + s3.endpoint());
    }

    @Test
    void openingAMissingBucketFailsInOneLine() {
        assertThatThrownBy(() -> S3BlobStore.open(settings("no-such-bucket", "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot use s3 bucket no-such-bucket at " + s3.endpoint() + ": the bucket does not exist");
    }

    @Test
    void openingWithAWrongSecretFailsInOneLine() {
        var wrong = new S3BlobStore.Settings(s3.endpoint(), s3.region(), bucket, s3.accessKey(), "wrong", true, "");

        assertThatThrownBy(() -> S3BlobStore.open(wrong))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot use s3 bucket " + bucket + " at " + s3.endpoint() + ": ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anUnreachableEndpointIsNotReachable() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var nowhere = new S3BlobStore.Settings(URI.create("http://127.0.0.1:" + port), null, "b", "k", "s", true, null);

        try (var unreachable = new S3BlobStore(nowhere)) {
            assertThat(unreachable.reachable()).isFalse();
        }
        assertThatThrownBy(() -> S3BlobStore.open(nowhere))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot use s3 bucket b at http://127.0.0.1:" + port + ": ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMissingS3ProxyJarIsNamedWithTheCommandThatFetchesIt(@TempDir Path emptyRepository) {
        var configured = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", emptyRepository.toString());
        try {
            assertThatThrownBy(S3ProxyProcess::jar)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(emptyRepository.toString())
                    .hasMessageContaining("mvn dependency:get -Dartifact=org.gaul:s3proxy:");
        } finally {
            if (configured == null) {
                System.clearProperty("maven.repo.local");
            } else {
                System.setProperty("maven.repo.local", configured);
            }
        }
    }

    @Test
    void settingsNeverShowTheSecret() {
        assertThat(settings(bucket, "").toString()).doesNotContain(s3.secretKey());
    }

    private static S3BlobStore.Settings settings(String bucket, String prefix) {
        return new S3BlobStore.Settings(s3.endpoint(), s3.region(), bucket, s3.accessKey(), s3.secretKey(), true, prefix);
    }
}
