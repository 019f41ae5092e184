package io.dossier.store.blob;

import io.dossier.core.Failure;
import io.dossier.core.content.BlobStore;
import io.dossier.core.content.ByteRange;
import io.dossier.core.content.ChunkSums;
import io.dossier.core.content.MemoryBudget;
import io.dossier.core.content.StoredBlob;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;

/**
 * Blobs as objects in an S3-compatible bucket, under {@code prefix + id}. A write holds at most one
 * {@value #PART_BYTES}-byte buffer (less for a smaller blob): a blob that fits is one PutObject, a larger one a multipart upload
 * that is aborted on any failure, so a refused or broken write leaves no object and no parts behind.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    /** Part size of multipart uploads, and the largest blob stored with a single PutObject. */
    static final int PART_BYTES = 8 * 1024 * 1024;

    private static final int FIRST_BUFFER_BYTES = 64 * 1024;
    /**
     * The heap the parts of uploads in flight may take beyond their first 64 KiB: a quarter of it
     * (eight whole parts on the launcher's heap); beyond it, parts are gathered in temp files
     * ({@link PartBuffer}).
     */
    private static final MemoryBudget PART_BUFFERS = new MemoryBudget(Runtime.getRuntime().maxMemory() / 4, 0);

    /** S3 allows at most this many parts in one upload: 78 GiB at {@value #PART_BYTES}-byte parts. */
    private static final int MAX_PARTS = 10_000;

    private static final String CONTENT_TYPE = "application/octet-stream";

    /**
     * Where the bucket is and how to sign in.
     *
     * @param endpoint  the S3 endpoint, or null for AWS itself
     * @param region    the signing region; null means {@code us-east-1}
     * @param accessKey with {@code secretKey}, static credentials; null means the AWS default chain
     * @param pathStyle {@code http://host/bucket/key} rather than {@code http://bucket.host/key}, as
     *                  most self-hosted S3 servers want
     * @param prefix    put before every blob id to form its key, e.g. {@code "blobs/"}; null means none
     */
    public record Settings(URI endpoint, String region, String bucket, String accessKey, String secretKey,
                           boolean pathStyle, String prefix) {
        public Settings {
            Objects.requireNonNull(bucket, "bucket");
            region = region == null || region.isBlank() ? "us-east-1" : region;
            prefix = prefix == null ? "" : prefix;
        }

        /** Where, for logs and error messages: never the credentials. */
        String where() {
            return "s3 bucket " + bucket + (prefix.isEmpty() ? "" : " prefix " + prefix)
                    + " at " + (endpoint == null ? "AWS " + region : endpoint);
        }

        @Override
        public String toString() {
            return where() + (pathStyle ? " (path style)" : "");
        }
    }

    private final Settings settings;
    private final S3Client client;
    private final MemoryBudget partBuffers;
    private final Path spoolFolder;

    /**
     * A store for {@code settings}; nothing is checked until it is used (see {@link #open}). Parts
     * that do not fit the memory budget are gathered in the JVM's temp folder ({@code java.io.tmpdir}).
     */
    public S3BlobStore(Settings settings) {
        this(settings, PART_BUFFERS, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** With a budget of its own for its parts beyond their first 64 KiB, and a folder for the parts beyond it, for tests. */
    S3BlobStore(Settings settings, MemoryBudget partBuffers, Path spoolFolder) {
        this.settings = settings;
        this.client = client(settings);
        this.partBuffers = partBuffers;
        this.spoolFolder = spoolFolder;
    }

    /**
     * Aborts multipart uploads under this store's prefix started more than {@code age} ago: writes
     * of a node that died mid-upload. Younger ones may still be in progress on another node.
     * Returns how many were aborted.
     */
    public int abortAbandonedUploads(java.time.Duration age) {
        return removeAbandonedWrites(java.time.Instant.now().minus(age));
    }

    @Override
    public int removeAbandonedWrites(java.time.Instant cutoff) {
        var aborted = 0;
        for (var upload : client.listMultipartUploadsPaginator(b -> b.bucket(settings.bucket()).prefix(settings.prefix())).uploads()) {
            if (upload.initiated() != null && upload.initiated().isBefore(cutoff)) {
                client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(upload.key()).uploadId(upload.uploadId()));
                aborted++;
            }
        }
        return aborted;
    }

    /**
     * A store for {@code settings} whose bucket has been found.
     *
     * @throws IllegalStateException in one line when the bucket cannot be reached
     */
    public static S3BlobStore open(Settings settings) {
        var store = new S3BlobStore(settings);
        try {
            store.client.headBucket(b -> b.bucket(settings.bucket()));
            store.abortAbandonedUploads(java.time.Duration.ofHours(24));
            return store;
        } catch (SdkException e) {
            store.close();
            var reason = switch (e) {
                case NoSuchBucketException missing -> "the bucket does not exist";
                case S3Exception s3 when s3.statusCode() == 404 -> "the bucket does not exist";
                case S3Exception s3 when s3.statusCode() == 403 -> "access denied (check the access key, secret and bucket policy)";
                case S3Exception s3 -> "HTTP " + s3.statusCode() + " " + errorCode(s3);
                default -> firstLine(e);
            };
            throw new IllegalStateException("cannot use " + settings.where() + ": " + reason, e);
        }
    }

    @Override
    public StoredBlob write(InputStream in, long maxBytes) throws IOException {
        var copy = new HashingCopy(maxBytes);
        var id = BlobIds.random();
        var key = key(id);
        try (var part = new PartBuffer(partBuffers, FIRST_BUFFER_BYTES, PART_BYTES, spoolFolder)) {
            if (part.fill(copy, in) < PART_BYTES) {
                putSums(id, copy.chunkSums());
                var body = body(part);
                try {
                    client.putObject(b -> b.bucket(settings.bucket()).key(key).contentLength(body.contentLength()), body);
                } catch (SdkException e) {
                    var failure = failure("put", key, e);
                    forgetSums(id, failure);
                    throw failure;
                }
            } else {
                uploadInParts(in, copy, key, part);
            }
        }
        return copy.result(id);
    }

    /** Uploads {@code part} (a full first part) and then the rest of {@code in}, or aborts and rethrows. */
    private void uploadInParts(InputStream in, HashingCopy copy, String key, PartBuffer part) throws IOException {
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(b -> b.bucket(settings.bucket()).key(key).contentType(CONTENT_TYPE))
                    .uploadId();
        } catch (SdkException e) {
            throw failure("create multipart upload", key, e);
        }
        try {
            var parts = new ArrayList<CompletedPart>();
            int n = part.length();
            while (n > 0) {
                if (parts.size() == MAX_PARTS) {
                    throw Failure.tooLarge("the content is larger than " + (long) MAX_PARTS * PART_BYTES
                            + " bytes, the most one S3 upload can take");
                }
                int number = parts.size() + 1;
                long length = n;
                var uploaded = client.uploadPart(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength(length), body(part));
                parts.add(CompletedPart.builder().partNumber(number).eTag(uploaded.eTag()).build());
                n = n < PART_BYTES ? 0 : part.fill(copy, in);
            }
            putSums(key.substring(settings.prefix().length()), copy.chunkSums());
            client.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts)));
        } catch (IOException | RuntimeException | Error e) {
            try {
                client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
            } catch (SdkException suppressed) {
                e.addSuppressed(suppressed);
            }
            forgetSums(key.substring(settings.prefix().length()), e);
            if (e instanceof SdkException sdk) {
                throw failure("multipart upload", key, sdk);
            }
            throw e;
        }
    }

    @Override
    public InputStream read(String blobId, ByteRange.Resolved range) throws IOException {
        if (!BlobIds.isValid(blobId)) {
            throw notFound(blobId);
        }
        if (range.length() == 0) {
            return InputStream.nullInputStream();
        }
        var key = key(blobId);
        try {
            return client.getObject(b -> b.bucket(settings.bucket()).key(key)
                    .range("bytes=" + range.offset() + "-" + range.last()));
        } catch (NoSuchKeyException e) {
            throw notFound(blobId);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw notFound(blobId);
            }
            if (e.statusCode() == 416) {
                throw Failure.invalid("range " + range.offset() + "+" + range.length() + " is outside blob " + blobId);
            }
            throw failure("get", key, e);
        } catch (SdkException e) {
            throw failure("get", key, e);
        }
    }

    @Override
    public Optional<ChunkSums> chunkSums(String blobId) throws IOException {
        if (!BlobIds.isValid(blobId)) {
            return Optional.empty();
        }
        var key = sumsKey(blobId);
        byte[] bytes;
        try {
            bytes = client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("get", key, e);
        } catch (SdkException e) {
            throw failure("get", key, e);
        }
        return ChunkSums.decodeIfValid(bytes, blobId);
    }

    @Override
    public void putChunkSums(String blobId, ChunkSums sums) throws IOException {
        if (!BlobIds.isValid(blobId)) {
            throw notFound(blobId);
        }
        putSums(blobId, sums);
    }

    /**
     * Stores the sums as their own small object ({@code <id>.sums}), before the blob's object exists,
     * so that no blob is ever listed without them. (S3's own CRC32C checksums cover whole objects or
     * parts, not the fixed chunks a ranged read needs, so the sums are kept the same way as on disk.)
     */
    private void putSums(String blobId, ChunkSums sums) throws IOException {
        var key = sumsKey(blobId);
        var bytes = sums.encode(blobId);
        try {
            client.putObject(b -> b.bucket(settings.bucket()).key(key).contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("put", key, e);
        }
    }

    @Override
    public Optional<Long> size(String blobId) throws IOException {
        if (!BlobIds.isValid(blobId)) {
            return Optional.empty();
        }
        var key = key(blobId);
        try {
            return Optional.of(client.headObject(b -> b.bucket(settings.bucket()).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("head", key, e);
        } catch (SdkException e) {
            throw failure("head", key, e);
        }
    }

    @Override
    public void delete(String blobId) throws IOException {
        if (!BlobIds.isValid(blobId)) {
            return;
        }
        var key = key(blobId);
        try {
            client.deleteObject(b -> b.bucket(settings.bucket()).key(key));
            client.deleteObject(b -> b.bucket(settings.bucket()).key(sumsKey(blobId)));
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public boolean reachable() {
        try {
            client.headBucket(b -> b.bucket(settings.bucket()));
            return true;
        } catch (SdkException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return settings.where();
    }

    @Override
    public void close() {
        client.close();
    }

    /** The objects under this store's prefix that are blobs, page by page as the listing goes. */
    @Override
    public java.util.stream.Stream<Listed> list() {
        return client.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(settings.prefix())).contents().stream()
                .filter(object -> BlobIds.isValid(object.key().substring(settings.prefix().length())))
                .map(object -> new Listed(object.key().substring(settings.prefix().length()), object.lastModified()));
    }

    private String key(String blobId) {
        return settings.prefix() + blobId;
    }

    /** After a failed write: its sums object goes too (best effort; a leftover is a few bytes, never listed). */
    private void forgetSums(String blobId, Throwable failure) {
        try {
            client.deleteObject(b -> b.bucket(settings.bucket()).key(sumsKey(blobId)));
        } catch (SdkException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    private String sumsKey(String blobId) {
        return settings.prefix() + blobId + ".sums";
    }

    private static RequestBody body(PartBuffer part) {
        // A provider, not fromBytes: no copy of the buffer, and the SDK can replay it on a retry.
        return RequestBody.fromContentProvider(part::open, part.length(), CONTENT_TYPE);
    }

    private static Failure notFound(String blobId) {
        return Failure.notFound("no blob " + blobId);
    }

    /** S3 trouble surfaces as an I/O error, as it would from a disk. */
    private IOException failure(String operation, String key, SdkException e) {
        return new IOException(operation + " " + key + " in " + settings.where() + ": " + firstLine(e), e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private static String firstLine(Throwable e) {
        var message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static S3Client client(Settings settings) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle())
                // Checksums only where S3 demands them: many S3-compatible servers reject the SDK's
                // newer default trailing checksums, and the store computes its own SHA-256 anyway.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(Settings settings) {
        if (settings.accessKey() == null || settings.accessKey().isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    }
}
