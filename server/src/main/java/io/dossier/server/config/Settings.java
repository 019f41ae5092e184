package io.dossier.server.config;

import io.dossier.store.mail.SmtpMailTransport;
import io.dossier.store.sql.Database;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every setting of a Dossier process, read and checked once. Each is a key in the config file
 * ({@code db.url}) and also an environment variable ({@code DOSSIER_DB_URL}); the environment wins.
 */
public record Settings(
        String httpHost,
        int httpPort,
        Map<String, Integer> dialectPorts,
        HttpLimits httpLimits,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        long dbCompactFromBytes,
        BlobSettings blobs,
        Duration sessionIdle,
        Duration sessionCache,
        Duration shutdownGrace,
        long maxUploadBytes,
        Duration unboundUploadTtl,
        Duration tokenLifetime,
        Duration orphanBlobGrace,
        ScrubSettings blobScrub,
        Duration backgroundPeriod,
        Duration changeTombstoneLifetime,
        JobSettings jobs,
        RateLimitSettings rateLimits,
        Optional<SmtpMailTransport.Settings> smtp,
        Optional<Path> dataFolder,
        boolean seedDemo,
        WebhookSettings webhooks,
        Duration logicaldocSessionIdle) {

    // Copies with one setting changed, for tests and tools: they keep compiling when a setting is added.

    public Settings withJobs(JobSettings jobs) {
        return new Settings(httpHost, httpPort, dialectPorts, httpLimits, dbUrl, dbUser, dbPassword, dbPoolSize, dbCompactFromBytes, blobs, sessionIdle, sessionCache, shutdownGrace, maxUploadBytes, unboundUploadTtl, tokenLifetime, orphanBlobGrace, blobScrub, backgroundPeriod, changeTombstoneLifetime, jobs, rateLimits, smtp, dataFolder, seedDemo, webhooks, logicaldocSessionIdle);
    }

    public Settings withBackgroundPeriod(Duration backgroundPeriod) {
        return new Settings(httpHost, httpPort, dialectPorts, httpLimits, dbUrl, dbUser, dbPassword, dbPoolSize, dbCompactFromBytes, blobs, sessionIdle, sessionCache, shutdownGrace, maxUploadBytes, unboundUploadTtl, tokenLifetime, orphanBlobGrace, blobScrub, backgroundPeriod, changeTombstoneLifetime, jobs, rateLimits, smtp, dataFolder, seedDemo, webhooks, logicaldocSessionIdle);
    }

    public Settings withSmtp(Optional<SmtpMailTransport.Settings> smtp) {
        return new Settings(httpHost, httpPort, dialectPorts, httpLimits, dbUrl, dbUser, dbPassword, dbPoolSize, dbCompactFromBytes, blobs, sessionIdle, sessionCache, shutdownGrace, maxUploadBytes, unboundUploadTtl, tokenLifetime, orphanBlobGrace, blobScrub, backgroundPeriod, changeTombstoneLifetime, jobs, rateLimits, smtp, dataFolder, seedDemo, webhooks, logicaldocSessionIdle);
    }

    public Settings withRateLimits(RateLimitSettings rateLimits) {
        return new Settings(httpHost, httpPort, dialectPorts, httpLimits, dbUrl, dbUser, dbPassword, dbPoolSize, dbCompactFromBytes, blobs, sessionIdle, sessionCache, shutdownGrace, maxUploadBytes, unboundUploadTtl, tokenLifetime, orphanBlobGrace, blobScrub, backgroundPeriod, changeTombstoneLifetime, jobs, rateLimits, smtp, dataFolder, seedDemo, webhooks, logicaldocSessionIdle);
    }

    public Settings withWebhooks(WebhookSettings webhooks) {
        return new Settings(httpHost, httpPort, dialectPorts, httpLimits, dbUrl, dbUser, dbPassword, dbPoolSize, dbCompactFromBytes, blobs, sessionIdle, sessionCache, shutdownGrace, maxUploadBytes, unboundUploadTtl, tokenLifetime, orphanBlobGrace, blobScrub, backgroundPeriod, changeTombstoneLifetime, jobs, rateLimits, smtp, dataFolder, seedDemo, webhooks, logicaldocSessionIdle);
    }

    /**
     * What HTTP clients may hold on one node: open connections, requests in flight, and how long and
     * how slowly a request body may take to arrive. Once the server has waited for a body's bytes
     * longer than {@code bodyGrace}, they must have come at {@code bodyMinBytesPerSecond} on average
     * over that waiting; a body must be complete within {@code bodyDeadline}; a connection silent for
     * {@code idleTimeout} is closed. Of the requests in flight, at most {@code maxActive} whose bodies
     * have arrived are handled at once; the others wait their turn in arrival order. At most
     * {@code maxUploads} bodies are streamed in at once (uploads), and as many more wait for one of
     * their slots; any beyond those is answered busy at once.
     */
    public record HttpLimits(int maxConnections, int maxRequests, Duration idleTimeout,
                             int bodyMinBytesPerSecond, Duration bodyGrace, Duration bodyDeadline, int maxActive, int maxUploads) {

        /**
         * The heap an upload in flight holds, at most: the multipart reader's buffer (64 KiB), the
         * blob store's first buffer (64 KiB), the hashing copy's head (8 KiB), and the request's own
         * objects. Measured: 4,000 uploads stalled after 80 KB of 200 KB held about 93 KB each.
         */
        static final long UPLOAD_HEAP_BYTES = 160 * 1024;

        /**
         * Uploads streamed in at once by default: as many as an eighth of the heap holds at
         * {@link #UPLOAD_HEAP_BYTES} each (204 with the launcher's 256 MB), at least 16. Without a
         * bound, 4,000 stalled uploads filled the heap and the JVM spent minutes collecting it; 1,500
         * ran it out of memory (the jobs' and webhooks' threads died with it).
         */
        public static int defaultMaxUploads() {
            return (int) Math.max(16, Math.min(100_000, Runtime.getRuntime().maxMemory() / 8 / UPLOAD_HEAP_BYTES));
        }

        public HttpLimits(int maxConnections, int maxRequests, Duration idleTimeout, int bodyMinBytesPerSecond, Duration bodyGrace,
                          Duration bodyDeadline, int maxActive) {
            this(maxConnections, maxRequests, idleTimeout, bodyMinBytesPerSecond, bodyGrace, bodyDeadline, maxActive, defaultMaxUploads());
        }

        /**
         * Requests handled at once by default: two for each core this node has. A request's work
         * is the node's and its database's CPU; more at once only share the cores, and the
         * scheduler decides who waits (4 per core: an Opus 2 poll's p99 45.8-48.5 ms, the File API
         * list's 33.5-39.5 ms; 2 per core: 31.4-37.6 and 25.3-27.5 ms, at as many requests a second).
         */
        public static int defaultMaxActive() {
            return 2 * Runtime.getRuntime().availableProcessors();
        }

        public HttpLimits(int maxConnections, int maxRequests, Duration idleTimeout, int bodyMinBytesPerSecond, Duration bodyGrace,
                          Duration bodyDeadline) {
            this(maxConnections, maxRequests, idleTimeout, bodyMinBytesPerSecond, bodyGrace, bodyDeadline, defaultMaxActive());
        }

        /**
         * The defaults: a 100 MB upload passes at 28 KB/s on average (230 kbit/s) within the hour,
         * and a body may come slowly for 10 s of waiting before it must keep up 4 KiB/s.
         */
        public static HttpLimits defaults() {
            return new HttpLimits(4000, 2000, Duration.ofSeconds(30), 4096, Duration.ofSeconds(10), Duration.ofHours(1));
        }
    }

    /**
     * How a node runs durable jobs: at most {@code concurrency} at once, each under a lease of
     * {@code lease} (renewed every third of it while it runs; another node takes a job over once its
     * lease ends), looking for due jobs every {@code poll}; finished jobs are kept {@code keep}.
     * A document sent to a personal file (Youforce) is retried for {@code documentRetry} at most,
     * then its ticket is rejected.
     */
    public record JobSettings(int concurrency, Duration lease, Duration poll, Duration keep, Duration documentRetry) {

        public JobSettings(int concurrency, Duration lease, Duration poll, Duration keep) {
            this(concurrency, lease, poll, keep, Duration.ofHours(6));
        }

        public static JobSettings defaults() {
            return new JobSettings(8, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofDays(7), Duration.ofHours(6));
        }
    }

    /**
     * Rate limits: {@code enabled} false turns them off on this node (benchmarks); a limit of N
     * "per minute" is N per {@code window} (a minute, shorter in tests); a change of a client's
     * limit reaches every node within {@code refresh}.
     */
    public record RateLimitSettings(boolean enabled, Duration window, Duration refresh) {

        public static RateLimitSettings defaults() {
            return new RateLimitSettings(true, Duration.ofMinutes(1), Duration.ofSeconds(2));
        }
    }

    /**
     * The blob scrub: every file's blob has its SHA-256 re-checked once per {@code pass} (zero: never),
     * reading at most {@code maxBytesPerSecond} (zero: no cap).
     */
    public record ScrubSettings(Duration pass, long maxBytesPerSecond) {

        public static ScrubSettings defaults() {
            return new ScrubSettings(Duration.ofDays(7), 20L * 1024 * 1024);
        }
    }

    /**
     * Webhooks: an answer must come within {@code timeout}; failed attempts are retried with backoff
     * from {@code firstBackoff} up to {@code maxBackoff} until {@code retryDeadline} after the
     * change, then the delivery is dead; a node holds a delivery for the timeout and
     * {@code leaseMargin} (after that another node takes over one whose node died); new changes are
     * looked for every {@code poll} (at once after this node's own writes); at most
     * {@code concurrency} attempts at once per node; finished deliveries are kept {@code keep}.
     * {@code secretsKey} (32 bytes, {@code secrets.key} as Base64) seals webhook secrets, the same
     * on every node; none: webhooks cannot be registered.
     */
    public record WebhookSettings(Duration timeout, Duration retryDeadline, Duration firstBackoff, Duration maxBackoff,
                                  Duration leaseMargin, Duration poll, int concurrency, Duration keep, Optional<byte[]> secretsKey) {

        public static WebhookSettings defaults() {
            return new WebhookSettings(Duration.ofSeconds(10), Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofMinutes(15),
                    Duration.ofSeconds(5), Duration.ofSeconds(1), 8, Duration.ofDays(7), Optional.empty());
        }

        /** The same with this secrets key. */
        public WebhookSettings withSecretsKey(byte[] key) {
            return new WebhookSettings(timeout, retryDeadline, firstBackoff, maxBackoff, leaseMargin, poll, concurrency, keep,
                    Optional.of(key));
        }
    }

    public sealed interface BlobSettings {
    }

    public record FolderBlobs(Path folder) implements BlobSettings {
    }

    public record S3Blobs(URI endpoint, String region, String bucket, String accessKey, String secretKey,
                          boolean pathStyle, String prefix) implements BlobSettings {
    }

    /** The dialects that may be bound at {@code /} on a port of their own. */
    public static final java.util.List<String> DIALECTS = java.util.List.of("ows", "youforce", "fileapi", "opus2", "logicaldoc", "admin");

    /** Defaults of {@code dossier dev}: embedded H2 and blobs in {@code data}, demo tenant seeded; {@code DOSSIER_*} variables override them. */
    public static Settings dev(Path data, int port, Map<String, String> environment) {
        var abs = data.toAbsolutePath().normalize();
        var values = new TreeMap<String, String>();
        values.put("http.host", "127.0.0.1");
        values.put("http.port", Integer.toString(port));
        values.put("db.url", "jdbc:h2:file:" + abs.resolve("db").resolve("dossier"));
        values.put("db.user", "dossier");
        values.put("db.password", "");
        values.put("blob.store", "folder");
        values.put("blob.folder", abs.resolve("blobs").toString());
        if (!environment.containsKey(Source.envName("secrets.key"))) {
            values.put("secrets.key", SecretsKeyFile.readOrCreate(abs.resolve("secrets.key")));
        }
        return parse(new Source(values, environment), Optional.of(abs), true);
    }

    /** Production settings from a config file's entries and the environment; nothing defaulted that matters. */
    public static Settings production(Map<String, String> file, Map<String, String> environment) {
        return parse(new Source(file, environment), Optional.empty(), false);
    }

    /** Settings for admin commands: the config file when given, else the dev data folder. */
    public static Settings forCommands(Optional<Map<String, String>> file, Path devData, Map<String, String> environment) {
        if (file.isPresent() || environment.containsKey(Source.envName("db.url"))) {
            return production(file.orElse(Map.of()), environment);
        }
        return dev(devData, 8080, environment);
    }

    /** Whether {@code dbUrl} names an H2 database that other processes write too: through an H2 server, or AUTO_SERVER. */
    private static boolean sharedH2(String dbUrl) {
        var upper = dbUrl.toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("JDBC:H2:TCP:") || upper.startsWith("JDBC:H2:SSL:")
                || (upper.startsWith("JDBC:H2:") && upper.replace(" ", "").contains(";AUTO_SERVER=TRUE"));
    }

    private static Settings parse(Source src, Optional<Path> data, boolean dev) {
        var dbUrl = src.required("db.url");
        if (!dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
            throw new ConfigException(src.label("db.url"), "must be a jdbc:postgresql: (or jdbc:h2:) URL, got '" + dbUrl + "'");
        }
        if (sharedH2(dbUrl)) {
            // Another process's writes neither take this one's write gate nor wait for its fsync
            // (H2DurableCommits), and an H2 server stores its commits in the background.
            throw new ConfigException(src.label("db.url"), "an H2 database shared with other processes (tcp:, ssl:, AUTO_SERVER)"
                    + " cannot keep on disk every write Dossier acknowledges: use one process's jdbc:h2:file: database, or PostgreSQL");
        }
        var ports = new TreeMap<String, Integer>();
        for (var dialect : DIALECTS) {
            src.optional("http." + dialect + ".port").ifPresent(p -> ports.put(dialect, port(src, "http." + dialect + ".port", p)));
        }
        return new Settings(
                src.optional("http.host").orElse("0.0.0.0"),
                port(src, "http.port", src.optional("http.port").orElse("8080")),
                ports,
                httpLimits(src),
                dbUrl,
                src.optional("db.user").orElse(""),
                src.optional("db.password").orElse(""),
                positive(src, "db.pool-size", src.optional("db.pool-size").orElse("16")),
                positive(src, "db.compact-from-mb", src.optional("db.compact-from-mb").orElse(Integer.toString(Database.COMPACT_FROM_MB))) * (1L << 20),
                blobs(src),
                Duration.ofMinutes(positive(src, "session.idle-minutes", src.optional("session.idle-minutes").orElse("840"))),
                Duration.ofSeconds(positive(src, "session.cache-seconds", src.optional("session.cache-seconds").orElse("2"))),
                Duration.ofSeconds(positive(src, "http.shutdown-grace-seconds", src.optional("http.shutdown-grace-seconds").orElse("30"))),
                positiveLong(src, "upload.max-bytes", src.optional("upload.max-bytes").orElse("104857600")),
                hours(src, "upload.unbound-hours", src.optional("upload.unbound-hours").orElse("24")),
                Duration.ofSeconds(positive(src, "token.lifetime-seconds", src.optional("token.lifetime-seconds").orElse("7200"))),
                Duration.ofMinutes(positive(src, "blob.orphan-grace-minutes", src.optional("blob.orphan-grace-minutes").orElse("60"))),
                blobScrub(src),
                Duration.ofSeconds(positive(src, "background.period-seconds", src.optional("background.period-seconds").orElse("60"))),
                Duration.ofDays(positive(src, "change.tombstone-days", src.optional("change.tombstone-days").orElse("30"))),
                jobs(src),
                rateLimits(src),
                smtp(src),
                data,
                dev,
                webhooks(src),
                Duration.ofMinutes(positive(src, "logicaldoc.session-minutes", src.optional("logicaldoc.session-minutes").orElse("30"))));
    }

    private static WebhookSettings webhooks(Source src) {
        var defaults = WebhookSettings.defaults();
        Optional<byte[]> key = src.optional("secrets.key").map(text -> {
            byte[] bytes;
            try {
                bytes = java.util.Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            if (bytes.length != 32) {
                throw new ConfigException(src.label("secrets.key"), "must be 32 random bytes in Base64 (openssl rand -base64 32)");
            }
            return bytes;
        });
        var timeout = Duration.ofMillis(positive(src, "webhooks.timeout-millis", defaults.timeout().toMillis()));
        var first = Duration.ofMillis(positive(src, "webhooks.first-backoff-millis", defaults.firstBackoff().toMillis()));
        var max = Duration.ofMillis(positive(src, "webhooks.max-backoff-millis", defaults.maxBackoff().toMillis()));
        if (max.compareTo(first) < 0) {
            throw new ConfigException(src.label("webhooks.max-backoff-millis"), "must be at least webhooks.first-backoff-millis");
        }
        return new WebhookSettings(timeout,
                hours(src, "webhooks.retry-hours", src.optional("webhooks.retry-hours").orElse("24")),
                first, max,
                Duration.ofMillis(positive(src, "webhooks.lease-margin-millis", defaults.leaseMargin().toMillis())),
                Duration.ofMillis(positive(src, "webhooks.poll-millis", defaults.poll().toMillis())),
                positive(src, "webhooks.concurrency", defaults.concurrency()),
                Duration.ofDays(positive(src, "webhooks.keep-days", defaults.keep().toDays())),
                key);
    }

    /** The mail server outbox messages are delivered to; none without {@code smtp.host}. */
    private static Optional<SmtpMailTransport.Settings> smtp(Source src) {
        var host = src.optional("smtp.host");
        if (host.isEmpty()) {
            for (var key : java.util.List.of("smtp.port", "smtp.user", "smtp.password", "smtp.security")) {
                if (src.optional(key).isPresent()) {
                    throw new ConfigException(src.label(key), "needs smtp.host (" + Source.envName("smtp.host") + ")");
                }
            }
            return Optional.empty();
        }
        var securityText = src.optional("smtp.security").orElse("starttls");
        SmtpMailTransport.Security security;
        try {
            security = SmtpMailTransport.Security.valueOf(securityText.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(src.label("smtp.security"), "must be 'starttls', 'tls' or 'none', got '" + securityText + "'");
        }
        var user = src.optional("smtp.user").orElse("");
        var password = src.optional("smtp.password").orElse("");
        if (user.isEmpty() != password.isEmpty()) {
            throw new ConfigException(src.label(user.isEmpty() ? "smtp.user" : "smtp.password"), "is required with "
                    + (user.isEmpty() ? "smtp.password" : "smtp.user"));
        }
        var port = port(src, "smtp.port", src.optional("smtp.port").orElse(security == SmtpMailTransport.Security.TLS ? "465" : "587"));
        return Optional.of(new SmtpMailTransport.Settings(host.get(), port, user, password, security,
                Duration.ofSeconds(positive(src, "smtp.timeout-seconds", src.optional("smtp.timeout-seconds").orElse("30")))));
    }

    private static HttpLimits httpLimits(Source src) {
        var defaults = HttpLimits.defaults();
        return new HttpLimits(
                positive(src, "http.max-connections", defaults.maxConnections()),
                positive(src, "http.max-requests", defaults.maxRequests()),
                Duration.ofSeconds(positive(src, "http.idle-timeout-seconds", defaults.idleTimeout().toSeconds())),
                positive(src, "http.body-min-bytes-per-second", defaults.bodyMinBytesPerSecond()),
                Duration.ofSeconds(positive(src, "http.body-grace-seconds", defaults.bodyGrace().toSeconds())),
                Duration.ofSeconds(positive(src, "http.body-deadline-seconds", defaults.bodyDeadline().toSeconds())),
                positive(src, "http.max-active", defaults.maxActive()),
                positive(src, "http.max-uploads", defaults.maxUploads()));
    }

    private static JobSettings jobs(Source src) {
        var defaults = JobSettings.defaults();
        return new JobSettings(
                positive(src, "jobs.concurrency", defaults.concurrency()),
                Duration.ofSeconds(positive(src, "jobs.lease-seconds", defaults.lease().toSeconds())),
                Duration.ofMillis(positive(src, "jobs.poll-millis", defaults.poll().toMillis())),
                Duration.ofDays(positive(src, "jobs.keep-days", defaults.keep().toDays())),
                Duration.ofMinutes(positive(src, "youforce.document-retry-minutes", defaults.documentRetry().toMinutes())));
    }

    private static RateLimitSettings rateLimits(Source src) {
        var defaults = RateLimitSettings.defaults();
        var enabled = src.optional("ratelimit.enabled").orElse("true");
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new ConfigException(src.label("ratelimit.enabled"), "must be true or false, got '" + enabled + "'");
        }
        return new RateLimitSettings(Boolean.parseBoolean(enabled),
                Duration.ofSeconds(positive(src, "ratelimit.window-seconds", defaults.window().toSeconds())),
                Duration.ofMillis(positive(src, "ratelimit.refresh-millis", defaults.refresh().toMillis())));
    }

    private static ScrubSettings blobScrub(Source src) {
        var defaults = ScrubSettings.defaults();
        var days = src.optional("blob.scrub-days").orElse(Long.toString(defaults.pass().toDays()));
        Duration pass;
        try {
            var millis = new java.math.BigDecimal(days.trim()).multiply(java.math.BigDecimal.valueOf(86_400_000)).longValueExact();
            if (millis < 0) {
                throw new NumberFormatException();
            }
            pass = Duration.ofMillis(millis);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(src.label("blob.scrub-days"), "must be a number of days (0: no scrub), got '" + days + "'");
        }
        var mb = number(src, "blob.scrub-mb-per-second",
                src.optional("blob.scrub-mb-per-second").orElse(Long.toString(defaults.maxBytesPerSecond() / (1024 * 1024))));
        if (mb < 0) {
            throw new ConfigException(src.label("blob.scrub-mb-per-second"), "must be 0 (no cap) or more, got '" + mb + "'");
        }
        return new ScrubSettings(pass, mb * 1024L * 1024);
    }

    private static int positive(Source src, String key, long fallback) {
        return positive(src, key, src.optional(key).orElse(Long.toString(fallback)));
    }

    private static BlobSettings blobs(Source src) {
        var kind = src.required("blob.store");
        return switch (kind) {
            case "folder" -> new FolderBlobs(Path.of(src.required("blob.folder")).toAbsolutePath());
            case "s3" -> {
                var endpoint = src.optional("s3.endpoint").map(e -> {
                    try {
                        var uri = new URI(e);
                        if (uri.getScheme() == null || uri.getHost() == null) {
                            throw new IllegalArgumentException();
                        }
                        return uri;
                    } catch (Exception bad) {
                        throw new ConfigException(src.label("s3.endpoint"), "is not an http(s) URL: '" + e + "'");
                    }
                }).orElse(null);
                yield new S3Blobs(endpoint, src.optional("s3.region").orElse("us-east-1"), src.required("s3.bucket"),
                        src.required("s3.access-key"), src.required("s3.secret-key"),
                        Boolean.parseBoolean(src.optional("s3.path-style").orElse("true")), src.optional("s3.prefix").orElse(""));
            }
            default -> throw new ConfigException(src.label("blob.store"), "must be 'folder' or 's3', got '" + kind + "'");
        };
    }

    private static int port(Source src, String key, String value) {
        var port = number(src, key, value);
        if (port < 0 || port > 65535) {
            throw new ConfigException(src.label(key), "must be a port number 0-65535, got '" + value + "'");
        }
        return port;
    }

    private static int positive(Source src, String key, String value) {
        var n = number(src, key, value);
        if (n <= 0) {
            throw new ConfigException(src.label(key), "must be a positive number, got '" + value + "'");
        }
        return n;
    }

    private static long positiveLong(Source src, String key, String value) {
        try {
            var n = Long.parseLong(value.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(src.label(key), "must be a positive number, got '" + value + "'");
        }
    }

    /** A positive number of hours, fractions allowed ({@code 0.5}): tests and sandboxes want seconds, operators hours. */
    private static Duration hours(Source src, String key, String value) {
        try {
            var millis = new java.math.BigDecimal(value.trim()).multiply(java.math.BigDecimal.valueOf(3_600_000)).longValueExact();
            if (millis <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(millis);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(src.label(key), "must be a positive number of hours, got '" + value + "'");
        }
    }

    private static int number(Source src, String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(src.label(key), "must be a number, got '" + value + "'");
        }
    }

    /** Config file entries with environment overrides. */
    record Source(Map<String, String> file, Map<String, String> environment) {

        static String envName(String key) {
            return "DOSSIER_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
        }

        Optional<String> optional(String key) {
            var env = environment.get(envName(key));
            if (env != null && !env.isBlank()) {
                return Optional.of(env.trim());
            }
            var value = file.get(key);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        String required(String key) {
            return optional(key).orElseThrow(() -> new ConfigException(label(key), "is required"));
        }

        String label(String key) {
            return key + " (" + envName(key) + ")";
        }
    }
}
