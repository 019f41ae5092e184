import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.identity.Client;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.Secrets;
import io.dossier.core.tenant.Tenant;
import io.dossier.server.Server;
import io.dossier.store.sql.Database;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * File API throughput against baselines measured in the same run, in one JVM: a Dossier server
 * started in-process on PostgreSQL (database {@code dossier_bench_fileapi}) and a blob folder on
 * local disk, driven over HTTP on 127.0.0.1. Run by bench/fileapi.sh, which documents the command,
 * the options and starts the nginx this program compares downloads with:
 * {@code java -cp "server/target/dossier.jar:server/target/lib/*" bench/FileApiBench.java [options]}.
 *
 * <ul>
 *   <li>list: 100,000 deliveries (business types 7100/7101) in one tenant, 10 subscriber
 *       applications with realistic download/delete states, bulk-loaded once with COPY and reused;
 *       16 clients spread over the subscribers repeat
 *       {@code GET /fileapi/v1.0/files?role=subscriber&pageSize=100&$filter=businessType eq 7101 and uploadDate gt <median>}
 *       against every statement the server issued for that request (captured from jOOQ), replayed
 *       over plain JDBC on a HikariCP pool with the same concurrency.</li>
 *   <li>download: a 1 GiB file published through {@code POST /fileapi/v1.0/files?uploadType=multipart},
 *       downloaded by one client as a HEAD and then sequential 4 MiB {@code Range} requests on one
 *       keep-alive connection, against nginx (sendfile on) serving a hard link of the same blob file
 *       with the same requests, and a bare Javalin endpoint in this JVM that sends the same bytes
 *       through io.dossier.api.http.Downloads (each chunk's CRC32C checked) without token, database,
 *       metrics or access log, as the floor of what this JVM and Jetty can do.</li>
 * </ul>
 *
 * The server's own log goes to {@code <work>/server.log}; this program's report goes to standard output.
 */
public class FileApiBench {

    static final PrintStream OUT = System.out;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DATABASE = "dossier_bench_fileapi";
    static final String TENANT_SLUG = "fileapi-bench";
    static final long PAYROLL = 7100;
    static final long SLIPS = 7101;
    static final long BULK = 7900;
    static final int SUBSCRIBERS = 10;
    static final List<String> SUMMARY = new ArrayList<>();

    record Options(boolean list, boolean download, boolean fresh, int seconds, int warmup, int prewarm, int clients, int rows,
                   int sizeMib, int chunkMib, int runs, boolean explain, String pgHost, int pgPort,
                   Path work, int nginxPort, long nginxPid) {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(parse(args));
        } catch (Throwable e) {
            // printed here: the source launcher can fail to print the trace itself (JDK 25)
            OUT.flush();
            e.printStackTrace(System.err);
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(Options o) throws Exception {
        try (var server = Harness.startServer("fileapi bench", o.pgHost() + ":" + o.pgPort(), DATABASE, o.work(), o.fresh(),
                Map.of("upload.max-bytes", Long.toString(Math.max(100L << 20, ((long) o.sizeMib() << 20) + (16L << 20)))))) {
            OUT.printf("blob folder %s%n", o.work().resolve("blobs"));
            var fixture = Fixture.ensure(server);
            var base = URI.create("http://127.0.0.1:" + server.port());
            if (o.list()) {
                listing(o, server, fixture, base);
            }
            if (o.download()) {
                download(o, server, fixture, base);
            }
        }
        OUT.println();
        OUT.println("summary");
        SUMMARY.forEach(line -> OUT.println("  " + line));
        OUT.flush();
    }

    // ---------------------------------------------------------------- options

    static final String USAGE = "bench/fileapi.sh [--only list|download] [--fresh] [--no-explain] [--seconds 20] [--warmup 5]"
            + " [--jit-warmup 30] [--clients 16] [--quiet-wait 15] [--rows 100000] [--size-mib 1024] [--chunk-mib 4] [--runs 3]"
            + " [--pg 127.0.0.1:5432] --work DIR [--nginx-port PORT --nginx-pid PID] (see the header of bench/fileapi.sh)";

    static Options parse(String[] arguments) {
        var args = new Harness.Args(arguments, USAGE);
        var only = args.text("--only", null);
        if (only != null && !only.equals("list") && !only.equals("download")) {
            args.usage("--only takes list or download");
        }
        boolean list = !"download".equals(only), download = !"list".equals(only);
        var fresh = args.flag("--fresh");
        var explain = !args.flag("--no-explain");
        var load = args.load(16, 5, 20, 30, 15);
        int rows = args.integer("--rows", 100_000, 1000, 2_000_000);
        int sizeMib = args.integer("--size-mib", 1024, 8, 4096);
        int chunkMib = args.integer("--chunk-mib", 4, 1, 64);
        int runs = args.integer("--runs", 3, 1, 9);
        var pg = args.localPostgres();
        var work = args.text("--work", null);
        int nginxPort = args.integer("--nginx-port", 0, 0, 65535);
        long nginxPid = Long.parseLong(args.text("--nginx-pid", "-1"));
        args.done();
        if (work == null) {
            args.usage("--work is required (bench/fileapi.sh passes it)");
        }
        if (download && nginxPort <= 0) {
            args.usage("the download part needs --nginx-port (bench/fileapi.sh starts nginx and passes it)");
        }
        return new Options(list, download, fresh, load.seconds(), load.warmup(), load.jitWarmup(), load.clients(), rows, sizeMib, chunkMib, runs,
                explain, pg.substring(0, pg.lastIndexOf(':')), Integer.parseInt(pg.substring(pg.lastIndexOf(':') + 1)),
                Path.of(work).toAbsolutePath(), nginxPort, nginxPid);
    }

    // ---------------------------------------------------------------- database and fixture

    static String benchUrl(Options o) {
        return "jdbc:postgresql://" + o.pgHost() + ":" + o.pgPort() + "/" + DATABASE;
    }

    /** An OAuth application of the bench tenant and, for those that fetch tokens, a secret set for this run. */
    record App(Client client, String secret) {
    }

    /**
     * The bench tenant and its applications, made once and found by name afterwards: two publishers
     * of the loaded deliveries, ten subscribers, and a publisher and a subscriber of business type
     * 7900 for the big file. Secrets are kept only as hashes, so the applications that fetch tokens
     * get a new secret each run, written straight into this bench database's client table.
     */
    record Fixture(Tenant tenant, List<Client> publishers, List<App> subscribers, App bulkPublisher, App bulkSubscriber) {

        static Fixture ensure(Server server) throws SQLException {
            var d = server.dossier();
            var tenant = d.tenants().list().stream().filter(t -> t.slug().equals(TENANT_SLUG)).findFirst()
                    .orElseGet(() -> d.tenants().create(TENANT_SLUG, "File API bench payroll"));
            var byName = new HashMap<String, Client>();
            for (var c : d.identities().listClients(tenant.id())) {
                if (!c.revoked() && c.kind() == ClientKind.OAUTH) {
                    byName.merge(c.name(), c, (a, b) -> a.id() < b.id() ? a : b);
                }
            }
            java.util.function.Function<String, Client> app = name -> byName.computeIfAbsent(name,
                    n -> d.identities().createClient(tenant.id(), ClientKind.OAUTH, n, null, Set.of()).client());
            var publishers = List.of(app.apply("Payroll engine (bench)"), app.apply("HR core (bench)"));
            for (var p : publishers) {
                d.deliveries().authorize(tenant.id(), p.id(), DeliveryRole.PUBLISHER, Set.of(PAYROLL, SLIPS));
            }
            var subscribers = new ArrayList<App>();
            try (var c = d.database().dataSource().getConnection();
                 var s = c.prepareStatement("UPDATE client SET secret_hash = ? WHERE id = ? AND tenant_id = ?")) {
                java.util.function.Function<Client, App> withSecret = client -> {
                    var secret = Secrets.random(24);
                    try {
                        s.setString(1, Secrets.hash(secret));
                        s.setLong(2, client.id());
                        s.setLong(3, tenant.id());
                        if (s.executeUpdate() != 1) {
                            throw new IllegalStateException("cannot set a secret for client " + client.id());
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return new App(client, secret);
                };
                for (int i = 1; i <= SUBSCRIBERS; i++) {
                    var client = app.apply(String.format(Locale.ROOT, "Subscriber %02d (bench)", i));
                    d.deliveries().authorize(tenant.id(), client.id(), DeliveryRole.SUBSCRIBER, Set.of(PAYROLL, SLIPS));
                    subscribers.add(withSecret.apply(client));
                }
                var bulkPublisher = app.apply("Bulk publisher (bench)");
                d.deliveries().authorize(tenant.id(), bulkPublisher.id(), DeliveryRole.PUBLISHER, Set.of(BULK));
                var bulkSubscriber = app.apply("Bulk downloader (bench)");
                d.deliveries().authorize(tenant.id(), bulkSubscriber.id(), DeliveryRole.SUBSCRIBER, Set.of(BULK));
                return new Fixture(tenant, publishers, List.copyOf(subscribers), withSecret.apply(bulkPublisher), withSecret.apply(bulkSubscriber));
            }
        }
    }

    static String token(URI base, App app) throws Exception {
        var form = "grant_type=client_credentials&client_id=" + enc(app.client().publicId()) + "&client_secret=" + enc(app.secret())
                + "&tenant_id=" + enc(TENANT_SLUG);
        var response = Harness.http.send(HttpRequest.newBuilder(base.resolve("/fileapi/connect/token")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token refused for " + app.client().name() + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    static HttpResponse<String> get(URI uri, String token) throws Exception {
        return Harness.http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---------------------------------------------------------------- list

    static void listing(Options o, Server server, Fixture f, URI base) throws Exception {
        var db = server.dossier().database();
        long tenantId = f.tenant().id();
        Loader.ensure(db, o, f);
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            // an extra index an earlier version of this bench made for a while (--try-index), left
            // behind when such a run was interrupted: the database keeps only the server's indexes
            s.execute("DROP INDEX IF EXISTS bench_ix_delivery_state_subscriber");
        }

        // The date that splits the 7101 deliveries in two halves, to the minute.
        Instant median;
        try (var c = db.dataSource().getConnection(); var s = c.prepareStatement(
                "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY upload_date) FROM delivery WHERE tenant_id = ? AND business_type = ?")) {
            s.setLong(1, tenantId);
            s.setLong(2, SLIPS);
            try (var rs = s.executeQuery()) {
                rs.next();
                median = rs.getObject(1, OffsetDateTime.class).toInstant().truncatedTo(ChronoUnit.MINUTES);
            }
        }
        var filter = "businessType eq " + SLIPS + " and uploadDate gt " + median;
        var uri = base.resolve("/fileapi/v1.0/files?role=subscriber&pageSize=100&$filter=" + enc(filter));
        OUT.printf("%nlist: GET /fileapi/v1.0/files?role=subscriber&pageSize=100&$filter=%s%n", filter);

        // One token per subscriber for the checks, one per client for the load (client i is subscriber i % 10).
        var subscriberTokens = new ArrayList<String>();
        for (var app : f.subscribers()) {
            subscriberTokens.add(token(base, app));
        }
        var clientTokens = new ArrayList<String>();
        for (int i = 0; i < o.clients(); i++) {
            clientTokens.add(token(base, f.subscribers().get(i % SUBSCRIBERS)));
        }

        // Every subscriber's answer against a count written by hand over the loaded rows.
        var pages = new ArrayList<List<String>>();
        OUT.println("  subscriber  state rows  downloaded  deleted   matches (server = hand-written SQL)   clients");
        try (var c = db.dataSource().getConnection(); var count = c.prepareStatement("SELECT count(*) FROM delivery d"
                + " LEFT JOIN delivery_state s ON s.file_id = d.file_id AND s.subscriber_client_id = ?"
                + " WHERE d.tenant_id = ? AND d.business_type = ? AND d.upload_date > ? AND s.state IS NULL");
             var states = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE state = 'DOWNLOADED'), count(*) FILTER (WHERE state = 'DELETED')"
                     + " FROM delivery_state WHERE subscriber_client_id = ?")) {
            for (int sub = 0; sub < SUBSCRIBERS; sub++) {
                var response = get(uri, subscriberTokens.get(sub));
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("list answered " + response.statusCode() + ": " + abbreviate(response.body(), 300));
                }
                var answer = JSON.readTree(response.body());
                var ids = new ArrayList<String>();
                for (var item : answer.path("data")) {
                    ids.add(item.path("fileId").asText());
                    if (item.path("businessType").path("id").asLong() != SLIPS || item.path("downloaded").asBoolean()
                            || Instant.parse(item.path("uploadDate").asText()).compareTo(median) <= 0) {
                        throw new IllegalStateException("an item outside the filter: " + item);
                    }
                }
                pages.add(ids);
                long clientId = f.subscribers().get(sub).client().id();
                count.setLong(1, clientId);
                count.setLong(2, tenantId);
                count.setLong(3, SLIPS);
                count.setObject(4, median.atOffset(ZoneOffset.UTC));
                long expected;
                try (var rs = count.executeQuery()) {
                    rs.next();
                    expected = rs.getLong(1);
                }
                states.setLong(1, clientId);
                long[] st = new long[3];
                try (var rs = states.executeQuery()) {
                    rs.next();
                    for (int k = 0; k < 3; k++) {
                        st[k] = rs.getLong(k + 1);
                    }
                }
                long got = answer.path("count").asLong();
                int clients = 0;
                for (int i = 0; i < o.clients(); i++) {
                    clients += i % SUBSCRIBERS == sub ? 1 : 0;
                }
                OUT.printf(Locale.ROOT, "  %02d %15s %11s %8s   %,8d = %,8d; page of %3d        %d%n", sub + 1, fmt(st[0]), fmt(st[1]), fmt(st[2]), got,
                        expected, ids.size(), clients);
                if (got != expected || ids.size() != Math.min(100, expected)) {
                    throw new IllegalStateException("subscriber " + (sub + 1) + ": the server counts " + got + " and pages " + ids.size()
                            + ", the hand-written SQL counts " + expected);
                }
            }
        }

        // The SQL the server issues for this request, per subscriber, captured from jOOQ on a second request.
        var captures = new ArrayList<List<Captured>>();
        for (int sub = 0; sub < SUBSCRIBERS; sub++) {
            var token = subscriberTokens.get(sub);
            captures.add(capture(db, () -> {
                var response = get(uri, token);
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("list answered " + response.statusCode());
                }
            }));
        }
        OUT.printf("%n  SQL issued by the server for one list request (%d statements; subscriber 01):%n", captures.getFirst().size());
        for (var q : captures.getFirst()) {
            OUT.println("    " + abbreviate(q.sql(), 600) + "   binds " + abbreviate(q.binds().toString(), 200));
        }
        for (int sub = 0; sub < SUBSCRIBERS; sub++) {
            var viaJdbc = runJdbcOnce(db.dataSource(), captures.get(sub));
            if (!viaJdbc.equals(pages.get(sub))) {
                throw new IllegalStateException("subscriber " + (sub + 1) + ": server and JDBC pages differ: " + pages.get(sub).size() + " vs "
                        + viaJdbc.size() + " file ids");
            }
        }
        OUT.println("  the same statements over plain JDBC give every subscriber the same page (file ids in order)");

        // What the database could do: the page and count written with an anti-join (no state row = available) and the count
        // without the stored_file and client joins, the other statements as captured. Same answers, checked here.
        var rewritten = new ArrayList<List<Captured>>();
        for (int sub = 0; sub < SUBSCRIBERS; sub++) {
            var list = new ArrayList<Captured>();
            long clientId = f.subscribers().get(sub).client().id();
            for (var q : captures.get(sub)) {
                list.add(q.isPage() ? Rewritten.page(clientId, tenantId, median) : q.isCount() ? Rewritten.count(clientId, tenantId, median) : q);
            }
            rewritten.add(List.copyOf(list));
            if (!runJdbcOnce(db.dataSource(), list).equals(pages.get(sub))) {
                throw new IllegalStateException("subscriber " + (sub + 1) + ": the rewritten page differs from the server's");
            }
        }
        OUT.println("  the rewritten page query (anti-join) gives every subscriber the same page as well");

        var results = listRound(o, uri, captures, clientTokens);
        var ratio = report(o, "list", results);
        double p99 = results.get(1).percentileMs(0.99);
        SUMMARY.add(String.format(Locale.ROOT, "list (100 of ~half the 7101 deliveries, %d clients over %d subscribers): File API %.0f req/s, p50 %.1f ms,"
                        + " p99 %.1f ms; JDBC same SQL %.0f req/s, p99 %.1f ms; ratio %.2f", o.clients(), SUBSCRIBERS, results.get(1).perSecond(),
                results.get(1).percentileMs(0.5), p99, results.get(0).perSecond(), results.get(0).percentileMs(0.99), ratio));
        // The best SQL for the same answer, written by hand, over JDBC with the same clients: what the
        // server's statements could at most gain, apart from the HTTP, JSON and Java the server adds.
        Harness.Result hand;
        try (var pool = jdbcPool(o)) {
            hand = Harness.measure("JDBC hand-written SQL", load(o), false, client -> runJdbcOnce(pool, rewritten.get(client % SUBSCRIBERS)));
        }
        SUMMARY.add(String.format(Locale.ROOT, "list, JDBC hand-written SQL (the statements as Rewritten writes them): %.0f req/s, p99 %.1f ms; File API / hand-written %.2f",
                hand.perSecond(), hand.percentileMs(0.99), results.get(1).perSecond() / hand.perSecond()));
        if (p99 > 50) {
            OUT.printf(Locale.ROOT, "  p99 %.0f ms is over 50 ms: with every core busy, a request waits for the CPU the others take; the CPU"
                    + " each costs (JVM and PG above) against the SQL's own in the diagnosis below is where to look%n", p99);
        }
        if (o.explain()) {
            diagnose(db, uri, subscriberTokens.getFirst(), captures.getFirst(), rewritten.getFirst());
        }
    }

    static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static List<Harness.Result> listRound(Options o, URI uri, List<List<Captured>> captures, List<String> clientTokens) throws Exception {
        try (var pool = jdbcPool(o)) {
            return Harness.compare(load(o),
                    new Harness.Target("JDBC same SQL", false, client -> runJdbcOnce(pool, captures.get(client % SUBSCRIBERS))),
                    new Harness.Target("File API list", true, client -> {
                        var response = get(uri, clientTokens.get(client));
                        if (response.statusCode() != 200 || !response.body().startsWith("{\"data\":[")) {
                            throw new IllegalStateException("unexpected answer " + response.statusCode() + ": " + abbreviate(response.body(), 300));
                        }
                    }));
        }
    }

    static HikariDataSource jdbcPool(Options o) {
        var config = new HikariConfig();
        config.setJdbcUrl(benchUrl(o));
        config.setUsername("postgres");
        config.setMaximumPoolSize(16);
        config.setPoolName("bench-baseline");
        return new HikariDataSource(config);
    }

    /** The statements, as captured, on one pooled connection, every column of every row read; returns the file ids of the page. */
    static List<String> runJdbcOnce(javax.sql.DataSource pool, List<Captured> queries) throws SQLException {
        var ids = new ArrayList<String>();
        try (var c = pool.getConnection()) {
            for (var q : queries) {
                try (var s = c.prepareStatement(q.sql())) {
                    Harness.bind(s, q.binds());
                    try (var rs = s.executeQuery()) {
                        var meta = rs.getMetaData();
                        int columns = meta.getColumnCount();
                        int fileIdColumn = -1;
                        if (q.isPage()) {
                            for (int i = 1; i <= columns; i++) {
                                if (meta.getColumnLabel(i).equalsIgnoreCase("file_id")) {
                                    fileIdColumn = i;
                                    break;
                                }
                            }
                        }
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                rs.getObject(i);
                            }
                            if (fileIdColumn > 0) {
                                ids.add(rs.getString(fileIdColumn));
                            }
                        }
                    }
                }
            }
        }
        return ids;
    }

    /** Where the time goes: each statement alone, unloaded, EXPLAIN ANALYZE of the page and count, and one whole request. */
    static void diagnose(Database db, URI uri, String token, List<Captured> queries, List<Captured> rewritten) throws Exception {
        OUT.println();
        OUT.println("diagnosis, subscriber 01 (no download history: the most matches), one at a time, median of 30:");
        try (var c = db.dataSource().getConnection()) {
            var all = new ArrayList<>(queries);
            rewritten.stream().filter(q -> q.isPage() || q.isCount()).forEach(q -> all.add(new Captured("/* rewritten */ " + q.sql(), q.binds())));
            for (var q : all) {
                OUT.printf(Locale.ROOT, "  %7.2f ms  %s%n", Harness.medianMs(() -> Harness.readAll(c, q.sql(), q.binds())), abbreviate(q.sql(), 110));
            }
            for (var q : all) {
                if (!q.isPage() && !q.isCount()) {
                    continue;
                }
                OUT.println("  EXPLAIN (ANALYZE, BUFFERS) of the " + (q.sql().startsWith("/* rewritten */") ? "rewritten " : "server's ")
                        + (q.isPage() ? "page" : "count") + " query:");
                Harness.explain(c, q.sql(), q.binds());
            }
        }
        OUT.printf(Locale.ROOT, "  %7.2f ms  one whole list request over HTTP%n", Harness.medianMs(() -> get(uri, token)));
    }

    /**
     * The list's page and count as they could be written: "available" as an anti-join (no state row
     * for this subscriber; a state row is only ever DOWNLOADED or DELETED), which the planner
     * estimates well and can stop after 100 rows of an index walk, and a count that joins only what
     * the filter needs (stored_file and client add nothing to it but a lookup per match).
     */
    static final class Rewritten {

        static Captured page(long subscriberId, long tenantId, Instant after) {
            return new Captured("select d.file_id, d.tenant_id, d.business_type, d.publisher_client_id, d.upload_date, publisher.public_id,"
                    + " f.ouid, f.tenant_id, f.blob_id, f.name, f.media_type, f.byte_size, f.sha256, f.uploaded_by, f.uploaded_at, f.expires_at,"
                    + " f.state, s.state from delivery d join stored_file f on (f.ouid = d.file_ouid and f.tenant_id = d.tenant_id)"
                    + " join client as publisher on publisher.id = d.publisher_client_id"
                    + " left outer join delivery_state s on (s.file_id = d.file_id and s.subscriber_client_id = ?)"
                    + " where d.tenant_id = ? and d.business_type in (?, ?) and s.file_id is null and d.business_type = ? and d.upload_date > ?"
                    + " order by d.upload_date desc, d.file_id asc offset ? rows fetch next ? rows only",
                    List.of(subscriberId, tenantId, PAYROLL, SLIPS, SLIPS, after.atOffset(ZoneOffset.UTC), 0, 100));
        }

        static Captured count(long subscriberId, long tenantId, Instant after) {
            return new Captured("select count(*) from delivery d"
                    + " left outer join delivery_state s on (s.file_id = d.file_id and s.subscriber_client_id = ?)"
                    + " where d.tenant_id = ? and d.business_type in (?, ?) and s.file_id is null and d.business_type = ? and d.upload_date > ?",
                    List.of(subscriberId, tenantId, PAYROLL, SLIPS, SLIPS, after.atOffset(ZoneOffset.UTC)));
        }
    }

    // ---------------------------------------------------------------- capturing the SQL

    record Captured(String sql, List<Object> binds) {

        boolean isPage() {
            var s = sql.toLowerCase(Locale.ROOT);
            return s.contains("delivery_state") && s.contains("order by") && !s.contains("count(");
        }

        boolean isCount() {
            var s = sql.toLowerCase(Locale.ROOT);
            return s.contains("delivery_state") && s.contains("count(");
        }
    }

    /** Every statement jOOQ executes while {@code work} runs, with its bind values (the server must be otherwise idle). */
    static List<Captured> capture(Database db, Harness.Work work) throws Exception {
        var statements = Harness.statements(db, work);
        statements.forEach(Harness::checkBinds);
        var seen = statements.stream().map(q -> new Captured(q.sql(), q.binds())).toList();
        if (seen.stream().noneMatch(Captured::isPage)) {
            throw new IllegalStateException("no page query captured: " + seen);
        }
        return List.copyOf(seen);
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max / 2) + " … " + s.substring(s.length() - max / 2);
    }

    // ---------------------------------------------------------------- measuring the list

    /** The list's load: --clients, --warmup, --seconds and --jit-warmup. */
    static Harness.Load load(Options o) {
        return new Harness.Load(o.clients(), o.warmup(), o.seconds(), o.prewarm());
    }

    /** utime + stime of a process from /proc/PID/stat, in seconds. */
    static double processCpuSeconds(long pid) throws IOException {
        var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // USER_HZ
    }

    static double report(Options o, String title, List<Harness.Result> results) {
        Harness.table(title, load(o), results);
        double ratio = Harness.ratio(results.get(0), results.get(1), 0);
        Harness.latencyTarget(results.get(1), 0.99, 50);
        return ratio;
    }

    // ---------------------------------------------------------------- bulk load

    /**
     * 100,000 deliveries (or --rows) straight into stored_file, delivery and delivery_state with
     * COPY, once; later runs reuse them. Every stored_file row points at one blob id (listing never
     * reads blobs; downloading one of these rows would fail).
     */
    static final class Loader {

        static final String SHARED_BLOB = "f11eda7a000000000000000000000001";
        static final String[] COMPANIES = {"NL0012", "NL0147", "NL0233", "NL0318", "NL0402", "NL0555", "NL0617", "NL0720", "NL0801",
                "NL0913", "BE0101", "BE0142", "NL1004", "NL1120", "NL1237", "NL1302", "NL1450", "NL1502", "NL1618", "NL1777"};
        static final long SPAN_SECONDS = 730L * 86_400;

        static void ensure(Database db, Options o, Fixture f) throws Exception {
            long tenantId = f.tenant().id();
            var subscriberIds = f.subscribers().stream().map(a -> Long.toString(a.client().id())).toList();
            long have, states, ours;
            try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
                try (var rs = s.executeQuery("SELECT count(*) FROM delivery WHERE tenant_id = " + tenantId + " AND business_type IN (" + PAYROLL
                        + ", " + SLIPS + ")")) {
                    rs.next();
                    have = rs.getLong(1);
                }
                try (var rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE s.subscriber_client_id IN (" + String.join(", ", subscriberIds)
                        + ")) FROM delivery_state s JOIN delivery d ON d.file_id = s.file_id WHERE d.tenant_id = " + tenantId)) {
                    rs.next();
                    states = rs.getLong(1);
                    ours = rs.getLong(2);
                }
            }
            if (have == o.rows() && states == ours && ours > 0) {
                OUT.printf("reusing %,d deliveries and %,d subscriber states of tenant %s in %s (--fresh reloads)%n", have, states, TENANT_SLUG, DATABASE);
                tally(db, tenantId);
                return;
            }
            load(db, o, f, have);
        }

        static void load(Database db, Options o, Fixture f, long have) throws Exception {
            long tenantId = f.tenant().id();
            long t0 = System.nanoTime();
            try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
                if (have > 0) {
                    OUT.printf("found %,d deliveries, not %,d (or states of other subscribers): deleting them first%n", have, o.rows());
                }
                s.execute("DELETE FROM delivery_state WHERE file_id IN (SELECT file_id FROM delivery WHERE tenant_id = " + tenantId + ")");
                s.execute("DELETE FROM delivery WHERE tenant_id = " + tenantId);
                s.execute("DELETE FROM stored_file WHERE tenant_id = " + tenantId);
            }
            Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            OUT.printf("loading %,d deliveries (stored_file, delivery, delivery_state) with COPY, uploaded over the 730 days before %s…%n", o.rows(), end);
            long[] publishers = f.publishers().stream().mapToLong(Client::id).toArray();
            long[] subscribers = f.subscribers().stream().mapToLong(a -> a.client().id()).toArray();
            long states;
            try (Connection c = DriverManager.getConnection(benchUrl(o), "postgres", "")) {
                c.setAutoCommit(false);
                var copy = c.unwrap(PGConnection.class).getCopyAPI();
                var files = new StringBuilder(1 << 21);
                var deliveries = new StringBuilder(1 << 21);
                var stateRows = new StringBuilder(1 << 21);
                var fileCopy = new Chunked(copy, "COPY stored_file (ouid, tenant_id, blob_id, name, media_type, byte_size, sha256, uploaded_by,"
                        + " uploaded_at, expires_at, state, deleted_at) FROM STDIN", files);
                for (int i = 0; i < o.rows(); i++) {
                    Rows.file(files, i, tenantId, end);
                    fileCopy.maybeFlush();
                }
                fileCopy.end();
                var deliveryCopy = new Chunked(copy, "COPY delivery (file_id, tenant_id, business_type, publisher_client_id, file_ouid, upload_date)"
                        + " FROM STDIN", deliveries);
                for (int i = 0; i < o.rows(); i++) {
                    Rows.delivery(deliveries, i, tenantId, publishers, end);
                    deliveryCopy.maybeFlush();
                }
                deliveryCopy.end();
                var stateCopy = new Chunked(copy, "COPY delivery_state (file_id, subscriber_client_id, state, changed_at) FROM STDIN", stateRows);
                long n = 0;
                for (int i = 0; i < o.rows(); i++) {
                    n += Rows.states(stateRows, i, subscribers, end);
                    stateCopy.maybeFlush();
                }
                stateCopy.end();
                states = n;
                c.commit();
            }
            long t1 = System.nanoTime();
            tally(db, tenantId);
            try (var c = DriverManager.getConnection(benchUrl(o), "postgres", ""); var s = c.createStatement()) {
                s.execute("VACUUM (ANALYZE) stored_file");
                s.execute("VACUUM (ANALYZE) delivery");
                s.execute("VACUUM (ANALYZE) delivery_state");
            }
            long t2 = System.nanoTime();
            OUT.printf("  %,d deliveries and %,d subscriber states copied in %.1f s, VACUUM (ANALYZE) in %.1f s%n", o.rows(), states,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }

        /**
         * The tenant's delivery_tally (V30) as the server's writes would have kept it, summed one row
         * per key (rows the COPY above went around), made again on every run: a run's downloads and
         * the server's own summing leave it right but not always summed.
         */
        static void tally(Database db, long tenantId) throws SQLException {
            try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
                s.execute("DELETE FROM delivery_tally WHERE tenant_id = " + tenantId);
                s.execute("INSERT INTO delivery_tally (tenant_id, subscriber_client_id, business_type, upload_day, deliveries)"
                        + " SELECT tenant_id, 0, business_type, FLOOR(EXTRACT(EPOCH FROM upload_date) / 86400), COUNT(*) FROM delivery"
                        + " WHERE tenant_id = " + tenantId + " GROUP BY 1, 2, 3, 4");
                s.execute("INSERT INTO delivery_tally (tenant_id, subscriber_client_id, business_type, upload_day, deliveries)"
                        + " SELECT d.tenant_id, s.subscriber_client_id, d.business_type, FLOOR(EXTRACT(EPOCH FROM d.upload_date) / 86400), COUNT(*)"
                        + " FROM delivery_state s JOIN delivery d ON d.file_id = s.file_id WHERE d.tenant_id = " + tenantId + " GROUP BY 1, 2, 3, 4");
                s.execute("VACUUM (ANALYZE) delivery_tally");
            }
        }

        /** One COPY FROM STDIN fed from a StringBuilder in chunks of about 1 MiB. */
        static final class Chunked {
            final org.postgresql.copy.CopyIn in;
            final StringBuilder buffer;

            Chunked(org.postgresql.copy.CopyManager copy, String sql, StringBuilder buffer) throws SQLException {
                this.in = copy.copyIn(sql);
                this.buffer = buffer;
            }

            void maybeFlush() throws SQLException {
                if (buffer.length() > 1 << 20) {
                    flush();
                }
            }

            void flush() throws SQLException {
                var bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
                in.writeToCopy(bytes, 0, bytes.length);
                buffer.setLength(0);
            }

            void end() throws SQLException {
                flush();
                in.endCopy();
            }
        }
    }

    /** One delivery per row number, deterministic apart from the end date; COPY text format. */
    static final class Rows {

        static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        static SplittableRandom random(int i, long salt) {
            return new SplittableRandom(mix(i * 0x9E3779B97F4A7C15L + salt));
        }

        static String fileId(int i) {
            var r = random(i, 1);
            return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
        }

        static String ouid(int i) {
            return String.format(Locale.ROOT, "%016x%016x", mix(i + 0xF11EA91L), mix(~(long) i));
        }

        static long type(int i) {
            return random(i, 2).nextInt(100) < 55 ? SLIPS : PAYROLL;
        }

        /** Upload instant: working days more than weekends, office hours more than nights. */
        static Instant uploaded(int i, Instant end) {
            var r = random(i, 3);
            long day;
            do {
                day = r.nextLong(730);
            } while (isWeekend(end.minus(day, ChronoUnit.DAYS)) && r.nextInt(100) < 80);
            int second = r.nextInt(100) < 85 ? 6 * 3600 + r.nextInt(14 * 3600) : r.nextInt(86_400);
            var date = end.minus(day, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).plusSeconds(second).plusMillis(r.nextInt(1000));
            return date.isAfter(end) ? end.minusSeconds(r.nextInt(3600) + 1) : date;
        }

        static boolean isWeekend(Instant at) {
            var day = at.atOffset(ZoneOffset.UTC).getDayOfWeek();
            return day == java.time.DayOfWeek.SATURDAY || day == java.time.DayOfWeek.SUNDAY;
        }

        static void file(StringBuilder out, int i, long tenantId, Instant end) {
            var r = random(i, 4);
            var at = uploaded(i, end);
            var date = LocalDate.ofInstant(at, ZoneOffset.UTC);
            var company = Loader.COMPANIES[r.nextInt(Loader.COMPANIES.length)];
            String name, media;
            long size;
            if (type(i) == PAYROLL) {
                name = String.format(Locale.ROOT, "payroll_%s_%04d-%02d_run%d.xml", company, date.getYear(), date.getMonthValue(), 1 + r.nextInt(3));
                media = "application/xml";
                size = 20_000 + (long) (Math.exp(r.nextDouble() * 7) * 2_000);
            } else if (r.nextInt(100) < 70) {
                name = String.format(Locale.ROOT, "salaryslips_%s_%s_%05d.pdf", company, date.toString().replace("-", ""), r.nextInt(100_000));
                media = "application/pdf";
                size = 60_000 + (long) (Math.exp(r.nextDouble() * 8) * 4_000);
            } else {
                name = String.format(Locale.ROOT, "journal_%s_%s.csv", company, date.toString().replace("-", ""));
                media = "text/csv";
                size = 2_000 + (long) (Math.exp(r.nextDouble() * 6) * 500);
            }
            var sha = String.format(Locale.ROOT, "%016x%016x%016x%016x", r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
            var ts = timestamp(at);
            out.append(ouid(i)).append('\t').append(tenantId).append('\t').append(Loader.SHARED_BLOB).append('\t').append(name).append('\t')
                    .append(media).append('\t').append(size).append('\t').append(sha).append("\t\\N\t").append(ts).append("\t\\N\tBOUND\t\\N\n");
        }

        static void delivery(StringBuilder out, int i, long tenantId, long[] publishers, Instant end) {
            var r = random(i, 5);
            out.append(fileId(i)).append('\t').append(tenantId).append('\t').append(type(i)).append('\t')
                    .append(publishers[r.nextInt(100) < 70 ? 0 : 1 % publishers.length]).append('\t').append(ouid(i)).append('\t')
                    .append(timestamp(uploaded(i, end))).append('\n');
        }

        /**
         * Subscriber k (0-9) has fetched everything uploaded in the first k/10 of the period: of those
         * files 85% are DOWNLOADED, 10% DELETED, 5% left AVAILABLE (no row); of the newer ones 3% are
         * DOWNLOADED already. Subscriber 01 never downloaded anything.
         */
        static int states(StringBuilder out, int i, long[] subscribers, Instant end) {
            var at = uploaded(i, end);
            var id = fileId(i);
            double age = (double) (at.getEpochSecond() - (end.getEpochSecond() - Loader.SPAN_SECONDS)) / Loader.SPAN_SECONDS;
            int n = 0;
            for (int k = 0; k < subscribers.length; k++) {
                var r = random(i, 100 + k);
                double u = r.nextDouble();
                String state = null;
                if (age < k / 10.0) {
                    state = u < 0.85 ? "DOWNLOADED" : u < 0.95 ? "DELETED" : null;
                } else if (u < 0.03) {
                    state = "DOWNLOADED";
                }
                if (state != null) {
                    var changed = at.plusSeconds(60 + r.nextInt(3 * 86_400));
                    out.append(id).append('\t').append(subscribers[k]).append('\t').append(state).append('\t')
                            .append(timestamp(changed.isAfter(end) ? end : changed)).append('\n');
                    n++;
                }
            }
            return n;
        }

        static String timestamp(Instant at) {
            return at.atOffset(ZoneOffset.UTC).toString();
        }
    }

    // ---------------------------------------------------------------- download

    static void download(Options o, Server server, Fixture f, URI base) throws Exception {
        var db = server.dossier().database();
        long tenantId = f.tenant().id();
        removeBulkDeliveries(db, tenantId);
        long size = (long) o.sizeMib() << 20;
        long chunk = (long) o.chunkMib() << 20;
        var publisherToken = token(base, f.bulkPublisher());
        var subscriberToken = token(base, f.bulkSubscriber());

        // Publish: multipart/related (JSON metadata, then the file), streamed from a generator; the server forces the blob to disk.
        OUT.printf("%ndownload: publishing a %,d MiB file through POST /fileapi/v1.0/files?uploadType=multipart…%n", o.sizeMib());
        var boundary = "fileapi-bench-" + UUID.randomUUID();
        var head = ("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{\"name\":\"payroll_archive_2025.zip\",\"businesstypeid\":\"" + BULK
                + "\"}\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        var tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        var generator = new RandomBytes(size, 42);
        var body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                Collections.enumeration(List.<InputStream>of(new ByteArrayInputStream(head), generator, new ByteArrayInputStream(tail))))),
                head.length + size + tail.length);
        long t0 = System.nanoTime();
        var published = Harness.http.send(HttpRequest.newBuilder(base.resolve("/fileapi/v1.0/files?uploadType=multipart")).timeout(Duration.ofSeconds(600))
                .header("Authorization", "Bearer " + publisherToken).header("Content-Type", "multipart/related; boundary=" + boundary)
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
        double publishSeconds = (System.nanoTime() - t0) / 1e9;
        if (published.statusCode() != 201) {
            throw new IllegalStateException("publish answered " + published.statusCode() + ": " + abbreviate(published.body(), 300));
        }
        var fileId = JSON.readTree(published.body()).path("fileId").asText();
        var delivery = server.dossier().deliveries().forSubscriber(server.dossier().callers().client(f.bulkSubscriber().client(), tenantId), fileId);
        var file = delivery.file();
        var sha = HexFormat.of().formatHex(generator.digest());
        if (file.size() != size || !file.sha256().equals(sha)) {
            throw new IllegalStateException("the published file is " + file.size() + " bytes, SHA-256 " + file.sha256() + "; sent " + size + ", " + sha);
        }
        var blob = server.dossier().content().blobs().localFile(file.blobId())
                .orElseThrow(() -> new IllegalStateException("blob " + file.blobId() + " is not a local file"));
        OUT.printf(Locale.ROOT, "  published %s in %.1f s (%.0f MB/s, blob forced to disk); SHA-256 matches; blob %s (%s)%n", fileId, publishSeconds,
                size / publishSeconds / 1e6, blob, fileSystem(blob));
        SUMMARY.add(String.format(Locale.ROOT, "publish of %d MiB (multipart, fsync): %.1f s, %.0f MB/s (not compared)", o.sizeMib(), publishSeconds,
                size / publishSeconds / 1e6));

        io.javalin.Javalin bare = null;
        try {
            // nginx serves the very same file: a hard link into its root.
            var www = o.work().resolve("www");
            Files.createDirectories(www);
            var link = www.resolve("big.bin");
            Files.deleteIfExists(link);
            Files.createLink(link, blob);
            var server1 = new Side("File API", server.port(), "/fileapi/v1.0/files/" + fileId + "?role=subscriber", "Bearer " + subscriberToken);
            var nginx = new Side("nginx sendfile", o.nginxPort(), "/big.bin", null);
            var nginxPids = nginxWorkers(o.nginxPid());
            bare = bareJavalin(server.dossier().content(), file);
            var plain = new Side("bare Javalin", bare.port(), "/big.bin", null);

            var sink = new byte[1 << 20];
            // Warm-up (JIT, page cache) and a check that both send the same bytes: first and last range compared.
            var keep = new byte[3][][];
            for (int k = 0; k < 3; k++) {
                keep[k] = new byte[][] {new byte[(int) Math.min(chunk, size)], new byte[(int) (size - (size - 1) / chunk * chunk)]};
            }
            downloadOnce(server1, size, chunk, sink, keep[0]);
            downloadOnce(nginx, size, chunk, sink, keep[1]);
            downloadOnce(plain, size, chunk, sink, keep[2]);
            // then more passes of both JVM sides for --jit-warmup seconds: two passes (512 requests) had
            // left C2 compiling the File API's path through the measured runs (30% of this JVM's CPU),
            // which then sped up run by run (1,400 to 2,300 MB/s)
            int passes = 0;
            for (long until = System.nanoTime() + o.prewarm() * 1_000_000_000L; passes < 1 || System.nanoTime() < until; passes++) {
                downloadOnce(server1, size, chunk, sink, null);
                downloadOnce(plain, size, chunk, sink, null);
            }
            for (int k = 1; k < 3; k++) {
                if (!Arrays.equals(keep[0][0], keep[k][0]) || !Arrays.equals(keep[0][1], keep[k][1])) {
                    throw new IllegalStateException("the File API and " + List.of("", "nginx", "the bare endpoint").get(k) + " sent different bytes");
                }
            }
            OUT.printf(Locale.ROOT, "  warm-up: whole ranged downloads, %d from the File API and the bare endpoints (--jit-warmup %d s), one from nginx;"
                    + " first and last ranges are byte-identical (nginx workers %s)%n",
                    passes + 1, o.prewarm(), nginxPids);

            var runsServer = new ArrayList<Run>();
            var runsNginx = new ArrayList<Run>();
            var runsPlain = new ArrayList<Run>();
            for (int r = 1; r <= o.runs(); r++) {
                if (r % 2 == 1) { // alternate who goes first
                    runsServer.add(measured(server1, size, chunk, sink, List.of()));
                    runsNginx.add(measured(nginx, size, chunk, sink, nginxPids));
                    runsPlain.add(measured(plain, size, chunk, sink, List.of()));
                } else {
                    runsPlain.add(measured(plain, size, chunk, sink, List.of()));
                    runsNginx.add(measured(nginx, size, chunk, sink, nginxPids));
                    runsServer.add(measured(server1, size, chunk, sink, List.of()));
                }
                var last = List.of(runsServer.getLast(), runsNginx.getLast(), runsPlain.getLast());
                OUT.printf(Locale.ROOT, "  run %d: File API %.0f MB/s, nginx %.0f, bare Javalin %.0f (foreign load %s %% of a core)%n",
                        r, last.get(0).mbPerSecond(size), last.get(1).mbPerSecond(size), last.get(2).mbPerSecond(size),
                        last.stream().map(x -> String.format(Locale.ROOT, "%.0f", 100 * x.foreign() / x.seconds())).toList());
            }
            double b = median(runsPlain.stream().mapToDouble(x -> x.mbPerSecond(size)).toArray());
            double s = median(runsServer.stream().mapToDouble(x -> x.mbPerSecond(size)).toArray());
            double n = median(runsNginx.stream().mapToDouble(x -> x.mbPerSecond(size)).toArray());
            int ranges = (int) ((size + chunk - 1) / chunk);
            OUT.printf(Locale.ROOT, "%nranged download: %d MiB as a HEAD + %d sequential %d MiB ranges on one keep-alive connection, one client"
                    + " (plain socket, in this JVM), median of %d runs; MB = 10^6 bytes%n", o.sizeMib(), ranges, o.chunkMib(), o.runs());
            OUT.printf("  %-18s %8s  %-28s %9s %9s  %s%n", "", "MB/s", "runs", "range p50", "range p99", "CPU s per GiB: serving side, client");
            for (var side : List.of(Map.entry("nginx sendfile", runsNginx), Map.entry("bare Javalin", runsPlain), Map.entry("File API", runsServer))) {
                var runs = side.getValue();
                var all = runs.stream().flatMapToLong(x -> Arrays.stream(x.rangeNanos())).sorted().toArray();
                double gib = runs.size() * (double) size / (1L << 30);
                OUT.printf(Locale.ROOT, "  %-18s %8.0f  %-28s %6.2f ms %6.2f ms  %.2f, %.2f%n", side.getKey(),
                        median(runs.stream().mapToDouble(x -> x.mbPerSecond(size)).toArray()),
                        runs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x.mbPerSecond(size))).toList(),
                        pct(all, 0.5), pct(all, 0.99), runs.stream().mapToDouble(Run::servingCpu).sum() / gib,
                        runs.stream().mapToDouble(Run::clientCpu).sum() / gib);
            }
            double ratio = s / n;
            OUT.printf(Locale.ROOT, "  ratio File API / nginx = %.2f (target >= 0.8: %s)%n", ratio, ratio >= 0.8 ? "met" : "MISSED");
            OUT.printf(Locale.ROOT, "  bare Javalin / nginx = %.2f: the server's send code (Downloads.send: read, CRC32C-checked, written to Jetty) without token, database,"
                    + " metrics and access log%n", b / n);
            OUT.println("  (serving side: File API and bare Javalin = this JVM minus the client thread, nginx = its workers; the client is the same code for all)");

            // Where a range request's time goes: one more pass with every statement timed (Harness.statements:
            // jOOQ's from execute start to end, those read over plain JDBC, as a range's is, with their rows)
            long tp = System.nanoTime();
            var captured = Harness.statements(db, () -> downloadOnce(server1, size, chunk, sink, null));
            double pass = (System.nanoTime() - tp) / 1e9;
            var statements = new LinkedHashMap<String, long[]>();
            for (var q : captured) {
                statements.merge(q.sql(), new long[] {1, q.nanos()[1]}, (was, more) -> new long[] {was[0] + more[0], was[1] + more[1]});
            }
            long dbNanos = 0, count = 0;
            for (var e : statements.values()) {
                count += e[0];
                dbNanos += e[1];
            }
            OUT.printf(Locale.ROOT, "%n  one more File API pass with its SQL timed: %.0f MB/s; per range request (%d + the HEAD): %.1f statements,"
                    + " %.2f ms in the database of %.2f ms%n", size / pass / 1e6, ranges, count / (double) (ranges + 1),
                    dbNanos / 1e6 / (ranges + 1), pass * 1e3 / (ranges + 1));
            for (var e : statements.entrySet()) {
                OUT.printf(Locale.ROOT, "    %5d x %6.3f ms  %s%n", e.getValue()[0], e.getValue()[1] / 1e6 / e.getValue()[0], abbreviate(e.getKey(), 120));
            }
            SUMMARY.add(String.format(Locale.ROOT, "ranged download, %d MiB in %d MiB ranges after a HEAD, 1 client: File API %.0f MB/s, nginx sendfile %.0f MB/s;"
                    + " ratio %.2f (target >= 0.8: %s); bare Javalin with the same send code, no auth/DB: %.0f MB/s (%.2f)",
                    o.sizeMib(), o.chunkMib(), s, n, ratio, ratio >= 0.8 ? "met" : "MISSED", b, b / n));
        } finally {
            if (bare != null) {
                bare.stop();
            }
            removeBulkDeliveries(db, tenantId);
        }
    }

    /**
     * A bare Javalin server in this JVM answering HEAD and Range GETs of one file with the server's
     * own send code ({@link io.dossier.api.http.Downloads#send}: headers, the range, each chunk's
     * CRC32C checked as it goes out), without token, database, metrics or access log: the floor for
     * the File API on this JVM and Jetty.
     */
    static io.javalin.Javalin bareJavalin(io.dossier.core.content.ContentService content, io.dossier.core.content.StoredFile file) {
        io.javalin.http.Handler handler = ctx -> io.dossier.api.http.Downloads.send(ctx, content, file, unsatisfiable -> { });
        return io.javalin.Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/big.bin", handler);
            config.routes.head("/big.bin", handler);
        }).start("127.0.0.1", 0);
    }

    /** The 7900 deliveries of earlier runs (their blobs went with their work folders) and of this run. */
    static void removeBulkDeliveries(Database db, long tenantId) throws SQLException {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            var ouids = new ArrayList<String>();
            try (var rs = s.executeQuery("SELECT file_ouid FROM delivery WHERE tenant_id = " + tenantId + " AND business_type = " + BULK)) {
                while (rs.next()) {
                    ouids.add("'" + rs.getString(1) + "'");
                }
            }
            if (ouids.isEmpty()) {
                return;
            }
            s.execute("DELETE FROM delivery_state WHERE file_id IN (SELECT file_id FROM delivery WHERE tenant_id = " + tenantId
                    + " AND business_type = " + BULK + ")");
            s.execute("DELETE FROM delivery WHERE tenant_id = " + tenantId + " AND business_type = " + BULK);
            s.execute("DELETE FROM stored_file WHERE tenant_id = " + tenantId + " AND ouid IN (" + String.join(", ", ouids) + ")");
        }
    }

    static String fileSystem(Path path) {
        try {
            var store = Files.getFileStore(path);
            return store.type() + " " + store.name();
        } catch (IOException e) {
            return "?";
        }
    }

    static List<Long> nginxWorkers(long masterPid) {
        if (masterPid <= 0) {
            return List.of();
        }
        return ProcessHandle.of(masterPid).map(p -> p.children().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    static double median(double[] values) {
        var v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double pct(long[] sorted, double p) {
        return Harness.percentile(sorted, p) / 1e6;
    }

    record Side(String name, int port, String path, String authorization) {
    }

    record Run(double seconds, long[] rangeNanos, double clientCpu, double servingCpu, double foreign) {

        double mbPerSecond(long size) {
            return size / seconds / 1e6;
        }
    }

    /** One whole ranged download with CPU accounting; {@code pids} are the serving processes, or empty for this JVM. */
    static Run measured(Side side, long size, long chunk, byte[] sink, List<Long> pids) throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        double machine0 = Harness.machineBusySeconds();
        double jvm0 = Harness.jvmCpuSeconds();
        double others0 = cpuOf(pids);
        long client0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        var nanos = downloadOnce(side, size, chunk, sink, null);
        long t1 = System.nanoTime();
        double client = (threads.getCurrentThreadCpuTime() - client0) / 1e9;
        double jvm = Harness.jvmCpuSeconds() - jvm0;
        double others = cpuOf(pids) - others0;
        double machine = Harness.machineBusySeconds() - machine0;
        double serving = pids.isEmpty() ? jvm - client : others;
        double foreign = Math.max(0, machine - jvm - (pids.isEmpty() ? 0 : others));
        return new Run((t1 - t0) / 1e9, nanos, client, serving, foreign);
    }

    static double cpuOf(List<Long> pids) {
        double sum = 0;
        for (var pid : pids) {
            try {
                sum += processCpuSeconds(pid);
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return sum;
    }

    /**
     * HEAD for the size, then GET of every range in order on one connection; returns each range's
     * nanoseconds. {@code keep} (when given) receives the first and the last range's bytes.
     */
    static long[] downloadOnce(Side side, long size, long chunk, byte[] sink, byte[][] keep) throws IOException {
        try (var conn = new RawHttp(side.port())) {
            var head = conn.exchange("HEAD", side.path(), side.authorization(), null, sink, null);
            if (head.status() != 200 || head.contentLength() != size) {
                throw new IOException(side.name() + ": HEAD answered " + head.status() + " with Content-Length " + head.contentLength() + ", expected "
                        + size);
            }
            int ranges = (int) ((size + chunk - 1) / chunk);
            var nanos = new long[ranges];
            for (int k = 0; k < ranges; k++) {
                long from = k * chunk;
                long to = Math.min(size, from + chunk) - 1;
                long t = System.nanoTime();
                var answer = conn.exchange("GET", side.path(), side.authorization(), "bytes=" + from + "-" + to, sink,
                        keep == null ? null : k == 0 ? keep[0] : k == ranges - 1 ? keep[1] : null);
                nanos[k] = System.nanoTime() - t;
                if (answer.status() != 206 || answer.contentLength() != to - from + 1
                        || !("bytes " + from + "-" + to + "/" + size).equals(answer.contentRange())) {
                    throw new IOException(side.name() + ": range " + from + "-" + to + " answered " + answer.status() + ", Content-Length "
                            + answer.contentLength() + ", Content-Range " + answer.contentRange());
                }
            }
            return nanos;
        }
    }

    /**
     * The least an HTTP/1.1 client can do: one keep-alive socket, the request written in one go,
     * headers parsed by hand, the body read into one reused buffer. Content-Length bodies only.
     */
    static final class RawHttp implements Closeable {
        final int port;
        Socket socket;
        BufferedInputStream in;
        OutputStream out;

        record Answer(int status, long contentLength, String contentRange) {
        }

        RawHttp(int port) {
            this.port = port;
        }

        void connect() throws IOException {
            close();
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }

        Answer exchange(String method, String path, String authorization, String range, byte[] sink, byte[] keep) throws IOException {
            if (socket == null) {
                connect();
            }
            var request = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
                    .append("\r\nUser-Agent: fileapi-bench\r\nAccept: */*\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (range != null) {
                request.append("Range: ").append(range).append("\r\n");
            }
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var status = line();
            if (status == null || !status.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            String contentRange = null;
            boolean close = false;
            String header;
            while ((header = line()) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                var name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                var value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "content-range" -> contentRange = value;
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "transfer-encoding" -> throw new IOException("chunked answers are not supported here: " + status);
                    default -> {
                    }
                }
            }
            if (!method.equals("HEAD") && code != 204 && code != 304) {
                if (length < 0) {
                    throw new IOException("no Content-Length: " + status);
                }
                long left = length;
                long at = 0;
                while (left > 0) {
                    int n = in.read(sink, 0, (int) Math.min(sink.length, left));
                    if (n < 0) {
                        throw new IOException("connection closed " + left + " bytes before the end of the body");
                    }
                    if (keep != null && at < keep.length) {
                        System.arraycopy(sink, 0, keep, (int) at, (int) Math.min(n, keep.length - at));
                    }
                    at += n;
                    left -= n;
                }
            }
            if (close) {
                close();
            }
            return new Answer(code, length, contentRange);
        }

        private String line() throws IOException {
            var sb = new StringBuilder(64);
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    int end = sb.length();
                    return end > 0 && sb.charAt(end - 1) == '\r' ? sb.substring(0, end - 1) : sb.toString();
                }
                sb.append((char) b);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }

    /** {@code size} pseudo-random bytes (nothing compresses), generated as read, their SHA-256 computed on the way. */
    static final class RandomBytes extends InputStream {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private final SplittableRandom random;
        private final MessageDigest sha;
        private final byte[] block = new byte[1 << 20];
        private long toGenerate;
        private int pos;
        private int limit;

        RandomBytes(long size, long seed) throws Exception {
            this.random = new SplittableRandom(seed);
            this.sha = MessageDigest.getInstance("SHA-256");
            this.toGenerate = size;
        }

        private boolean refill() {
            if (toGenerate == 0) {
                return false;
            }
            int n = (int) Math.min(block.length, toGenerate);
            for (int i = 0; i < block.length; i += 8) {
                LONGS.set(block, i, random.nextLong());
            }
            sha.update(block, 0, n);
            toGenerate -= n;
            pos = 0;
            limit = n;
            return true;
        }

        @Override
        public int read() {
            if (pos == limit && !refill()) {
                return -1;
            }
            return block[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos == limit && !refill()) {
                return -1;
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(block, pos, b, off, n);
            pos += n;
            return n;
        }

        byte[] digest() {
            if (toGenerate != 0 || pos != limit) {
                throw new IllegalStateException("not all bytes were read");
            }
            return sha.digest();
        }
    }
}
