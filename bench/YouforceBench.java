import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.tenant.Tenant;
import io.dossier.server.Server;
import io.dossier.store.sql.Database;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The Youforce dialect's performance against baselines measured in the same run, in one JVM: a
 * Dossier server started in-process ({@link Server}) on PostgreSQL (database
 * {@code dossier_youforce_bench}) and a blob folder, driven over HTTP by {@code java.net.http}
 * clients on 127.0.0.1. Run by bench/youforce.sh, which documents the command and the options.
 *
 * <ul>
 *   <li>{@code import}: N persons as NDJSON lines through the admin HR import
 *       ({@code POST /admin/api/tenants/{t}/hr/import}, one streamed request) vs {@code COPY} of the
 *       very rows the import stored (its person table and the person's collection tables, exported
 *       after the import, deleted, and copied back in one transaction).</li>
 *   <li>{@code walk}: N persons walked through {@code persons?take=1000} and {@code nextLink} vs the
 *       same walk over plain JDBC: keyset on the change feed's position joined to the person table at
 *       the change's version, and the collection items of each page, one statement a table.</li>
 *   <li>{@code intake}: 100 KB PDFs uploaded by concurrent clients through
 *       {@code POST /youforce/learning/v1.1/employees/{personCode}/documents/diploma}; each ticket
 *       polled until {@code Complete}.</li>
 * </ul>
 *
 * The closed-loop load runner and percentiles are bench/Harness.java's.
 */
public class YouforceBench {

    static final PrintStream OUT = System.out;
    static final ObjectMapper JSON = new ObjectMapper();
    static String DATABASE = "dossier_youforce_bench";
    /** The walk's persons (loaded once, kept); the import's target (emptied each run); the intake's persons and documents. */
    static final String WALK_TENANT = "yf-bench";
    static final String IMPORT_TENANT = "yf-bench-import";
    static final String DIAG_TENANT = "yf-bench-diag";
    static final String INTAKE_TENANT = "yf-bench-intake";
    static final int TAKE = 1000;
    /** Pages a side walked before the measured walks, for the JIT (see walkBench). */
    static final int WARMUP_PAGES = 1000;

    record Options(String mode, boolean fresh, int persons, int clients, int seconds, int warmup, int pdfKilobytes, int pollMillis,
                   String pgHost, int pgPort, Path work) {
    }

    public static void main(String[] args) {
        try {
            run(parse(args));
        } catch (Throwable e) {
            Harness.fail(e);
        }
        System.exit(0);
    }

    static void run(Options o) throws Exception {
        try (var server = Harness.startServer("youforce bench " + o.mode(), o.pgHost() + ":" + o.pgPort(), DATABASE, o.work(), o.fresh(), Map.of())) {
            var admin = server.dossier().identities().createAdminToken("youforce bench " + ProcessHandle.current().pid());
            var base = "http://127.0.0.1:" + server.port();
            var b = new Bench(o, server, base, admin.secret());
            try {
                switch (o.mode()) {
                    case "import" -> b.importBench();
                    case "walk" -> b.walkBench();
                    case "intake" -> b.intakeBench();
                    default -> throw new IllegalArgumentException(o.mode());
                }
            } finally {
                b.revokeClients();
                server.dossier().identities().revokeAdminToken(admin.token().id());
            }
        }
        System.out.flush();
    }

    // ---------------------------------------------------------------- options

    static final String USAGE = "java -cp <dossier classpath> bench/YouforceBench.java import|walk|intake [--fresh] [--persons 1000000]"
            + " [--clients 16] [--seconds 30] [--warmup 5] [--pdf-kb 100] [--poll-millis 100] [--database NAME] [--pg 127.0.0.1:5432] [--work DIR]";

    static Options parse(String[] arguments) {
        var args = new Harness.Args(arguments, USAGE);
        var mode = args.mode(List.of("import", "walk", "intake"), null);
        var fresh = args.flag("--fresh");
        DATABASE = args.text("--database", DATABASE);
        int persons = args.integer("--persons", 1_000_000, 1000, 5_000_000);
        int clients = args.integer("--clients", 16, 1, 256);
        int seconds = args.integer("--seconds", 30, 1, 600);
        int warmup = args.integer("--warmup", 5, 0, 120);
        int pdf = args.integer("--pdf-kb", 100, 1, 4000);
        int poll = args.integer("--poll-millis", 100, 10, 10_000);
        var pg = args.localPostgres();
        var work = Path.of(args.text("--work", Path.of(System.getProperty("java.io.tmpdir"), "dossier-youforce-bench").toString()));
        args.done();
        if (!DATABASE.matches("[a-z][a-z0-9_]{0,62}")) {
            args.usage("--database: lower-case letters, digits and underscores");
        }
        return new Options(mode, fresh, persons, clients, seconds, warmup, pdf, poll, pg.substring(0, pg.lastIndexOf(':')),
                Integer.parseInt(pg.substring(pg.lastIndexOf(':') + 1)), work.toAbsolutePath());
    }

    // ---------------------------------------------------------------- database

    static String benchUrl(Options o) {
        return "jdbc:postgresql://" + o.pgHost() + ":" + o.pgPort() + "/" + DATABASE;
    }

    // ---------------------------------------------------------------- the benches

    static final class Bench {
        final Options o;
        final Server server;
        final String base;
        final String adminToken;
        final Database db;
        final List<long[]> clients = new ArrayList<>();   // {tenantId, clientId} to revoke at the end

        Bench(Options o, Server server, String base, String adminToken) {
            this.o = o;
            this.server = server;
            this.base = base;
            this.adminToken = adminToken;
            this.db = server.dossier().database();
        }

        Tenant tenant(String slug) {
            var tenants = server.dossier().tenants();
            return tenants.list().stream().filter(t -> t.slug().equals(slug)).findFirst()
                    .orElseGet(() -> tenants.create(slug, "Youforce bench " + slug));
        }

        void revokeClients() {
            for (var c : clients) {
                server.dossier().identities().revokeClient(c[0], c[1]);
            }
        }

        // ------------------------------------------------------------ import

        void importBench() throws Exception {
            var lines = PersonLines.file(o.work(), o.persons());
            var tables = personTables();

            var tenant = tenant(IMPORT_TENANT);
            purge(tenant.id(), tables, true);
            // the purge leaves the last run's million changes dead in change_log too: vacuumed as
            // the record tables are, as autovacuum (off on some test servers) would
            var withFeed = new ArrayList<>(tables);
            withFeed.add("change_log");
            vacuum(withFeed);
            OUT.printf("%nimport: %,d persons (%s, %,d bytes) into tenant %s through POST /admin/api/tenants/%s/hr/import%n",
                    o.persons(), lines.getFileName(), Files.size(lines), IMPORT_TENANT, IMPORT_TENANT);
            var sampler = Memory.start();
            long t0 = System.nanoTime();
            try (var analyze = AutoAnalyze.start(db.dataSource(), withFeed)) {
                hrImport(IMPORT_TENANT, lines, o.persons());
            }
            double importSeconds = (System.nanoTime() - t0) / 1e9;
            var memory = sampler.stop();
            double importRate = o.persons() / importSeconds;
            OUT.printf("  HR import: %,d lines in %.1f s = %,.0f lines/s; server JVM while importing: %s%n", o.persons(), importSeconds,
                    importRate, memory.summary());

            // COPY of the same rows: exported from what the import stored, deleted, copied back
            var exported = new LinkedHashMap<String, Path>();
            for (var table : tables) {
                var file = o.work().resolve("copy-" + table + ".tsv");
                try (var c = db.dataSource().getConnection(); var out = Files.newOutputStream(file)) {
                    c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT * FROM " + table + " WHERE tenant_id = " + tenant.id()
                            + ") TO STDOUT", out);
                }
                exported.put(table, file);
            }
            purge(tenant.id(), tables, false);
            vacuum(tables);
            long t1 = System.nanoTime();
            var copied = new LinkedHashMap<String, Long>();
            try (var c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                var copy = c.unwrap(PGConnection.class).getCopyAPI();
                for (var entry : exported.entrySet()) {
                    try (InputStream in = Files.newInputStream(entry.getValue())) {
                        copied.put(entry.getKey(), copy.copyIn("COPY " + entry.getKey() + " FROM STDIN", in));
                    }
                }
                c.commit();
            }
            double copySeconds = (System.nanoTime() - t1) / 1e9;
            double copyRate = o.persons() / copySeconds;
            OUT.printf("  COPY of the same rows into the same tables (one transaction): %s in %.1f s = %,.0f persons/s%n", copied,
                    copySeconds, copyRate);
            OUT.printf("  ratio import / COPY = %.3f (target >= 0.3)%n", importRate / copyRate);
            exported.values().forEach(YouforceBench::deleteQuietly);

            // the diagnosis, after the measurements (the JIT warm by now), on a tenant of its own: what one line costs in statements
            var diagTenant = tenant(DIAG_TENANT);
            purge(diagTenant.id(), tables, true);
            var diagFile = PersonLines.file(o.work(), 1000);
            long diagStart = System.nanoTime();
            var captured = Harness.statements(db, () -> hrImport(DIAG_TENANT, diagFile, 1000));
            double diagSeconds = (System.nanoTime() - diagStart) / 1e9;
            purge(diagTenant.id(), tables, true);

            OUT.printf("%nwhere the import's time goes: statements issued through jOOQ for 1,000 more lines (tenant %s, after the run; the"
                    + " COPY that writes new rows and their changes is not one of them: its time is in the rest):%n", DIAG_TENANT);
            // the import runs on the request's thread, the one with the most statements; the rest is the server's background work
            var byThread = new HashMap<Long, Integer>();
            captured.forEach(q -> byThread.merge(q.thread(), 1, Integer::sum));
            long importThread = byThread.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            var own = captured.stream().filter(q -> q.thread() == importThread).toList();
            long sqlNanos = own.stream().mapToLong(q -> q.nanos()[1]).sum();
            OUT.printf("  the request's thread: %,d statements = %.1f per line; the 1,000 lines took %.2f s (%.2f ms a line), of which %.2f s"
                    + " (%.0f%%) inside those statements (execute to end, round trip included); the rest is reading and parsing the"
                    + " lines, validation, the COPY of new rows, commits and the server's own code%n", own.size(), own.size() / 1000.0,
                    diagSeconds, diagSeconds, sqlNanos / 1e9, 100 * sqlNanos / 1e9 / diagSeconds);
            var others = new TreeMap<String, Integer>();
            captured.stream().filter(q -> q.thread() != importThread).forEach(q -> others.merge(shape(q), 1, Integer::sum));
            OUT.printf("  other threads (the server's background work: jobs, webhooks, …) issued %,d statements meanwhile, most %s%n",
                    captured.size() - own.size(), others.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                            .limit(3).map(e -> e.getValue() + " " + e.getKey()).toList());
            var byShape = new TreeMap<String, long[]>();
            for (var q : own) {
                var entry = byShape.computeIfAbsent(shape(q), k -> new long[2]);
                entry[0]++;
                entry[1] += q.nanos()[1];
            }
            byShape.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(15)
                    .forEach(e -> OUT.printf("  %6.2f per line, %6.3f ms a line  %s%n", e.getValue()[0] / 1000.0, e.getValue()[1] / 1e6 / 1000,
                            e.getKey()));
            OUT.println("  (the COPY writes the rows only: no change feed, no versions, no per-line validation or round trips)");
        }

        /** Streams {@code file} to the HR import of {@code slug}; fails unless every line was applied. */
        void hrImport(String slug, Path file, long expected) throws Exception {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/admin/api/tenants/" + slug + "/hr/import"))
                    .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HR import: HTTP " + response.statusCode() + ": " + abbreviate(response.body(), 500));
            }
            var answer = JSON.readTree(response.body());
            if (answer.path("applied").asLong() != expected || answer.path("failed").asLong() != 0) {
                throw new IllegalStateException("HR import applied " + answer.path("applied") + " of " + expected + ": "
                        + abbreviate(response.body(), 500));
            }
        }

        /** The person table and its collection tables. */
        List<String> personTables() throws SQLException {
            var out = new ArrayList<String>();
            try (var c = db.dataSource().getConnection(); var s = c.createStatement(); var rs = s.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                            + " AND (table_name = 'rec_hr_person' OR table_name LIKE 'rec\\_hr\\_person\\_\\_%') ORDER BY table_name")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            if (!out.contains("rec_hr_person")) {
                throw new IllegalStateException("no table rec_hr_person in " + DATABASE + ": " + out);
            }
            return out;
        }

        /** Deletes a bench tenant's persons (collections first), and with {@code feed} its change feed and versions too. */
        void purge(long tenantId, List<String> tables, boolean feed) throws SQLException {
            try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
                var reversed = new ArrayList<>(tables);
                Collections.reverse(reversed);   // rec_hr_person sorts first: its collection tables go before it
                for (var table : reversed) {
                    s.executeUpdate("DELETE FROM " + table + " WHERE tenant_id = " + tenantId);
                }
                if (feed) {
                    var entity = EntityTypes.record(personType());
                    s.executeUpdate("DELETE FROM change_log WHERE tenant_id = " + tenantId + " AND entity_type = '" + entity + "'");
                }
            }
        }

        /**
         * What autovacuum's auto-analyze does while a server writes, when it is off (as on this
         * project's test PostgreSQL): each second, every table of {@code tables} whose rows changed
         * by more than its threshold (by default 50 + 10% of its rows) since it was last analyzed is
         * analyzed. Without it the import tenant, empty when the purge's VACUUM ANALYZE ran, was
         * planned as empty for the whole import: with the walk's million persons in the table each
         * chunk's lookup of which uids exist scanned every person imported so far (an index on the
         * tenant and a filter on the uids, not the unique index): 5,200-5,400 lines/s (0.25-0.30 of
         * COPY) instead of 9,100-9,300 (0.51-0.54).
         */
        static final class AutoAnalyze implements AutoCloseable {
            private final Thread thread;
            private volatile boolean stop;
            private final AtomicInteger runs = new AtomicInteger();

            private AutoAnalyze(DataSource dataSource, List<String> tables) {
                thread = Thread.ofPlatform().daemon().name("bench-auto-analyze").start(() -> {
                    try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                        c.setAutoCommit(true);
                        while (!stop) {
                            for (var table : tables) {
                                try (var rs = s.executeQuery("SELECT s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::int"
                                        + " + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)"
                                        + " FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = '" + table + "'")) {
                                    if (!rs.next() || !rs.getBoolean(1)) {
                                        continue;
                                    }
                                }
                                s.execute("ANALYZE " + table);
                                runs.incrementAndGet();
                            }
                            Thread.sleep(1000);
                        }
                    } catch (Exception e) {
                        if (!stop) {
                            OUT.printf("  (auto-analyze stopped: %s)%n", e);
                        }
                    }
                });
            }

            /** Started when the server's autovacuum is off; else a no-op. */
            static AutoAnalyze start(DataSource dataSource, List<String> tables) throws SQLException {
                try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SHOW autovacuum")) {
                    rs.next();
                    if (rs.getString(1).equals("on")) {
                        return null;
                    }
                }
                return new AutoAnalyze(dataSource, tables);
            }

            @Override
            public void close() throws InterruptedException {
                stop = true;
                thread.join();
                OUT.printf("  (autovacuum is off on this PostgreSQL: the bench analyzed the tables as auto-analyze would, %d times while importing)%n",
                        runs.get());
            }
        }

        void vacuum(List<String> tables) throws SQLException {
            try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
                c.setAutoCommit(true);
                for (var table : tables) {
                    s.execute("VACUUM ANALYZE " + table);
                }
            }
        }

        /** Fresh planner statistics for both sides, as autovacuum would have after a load. */
        void analyze(List<String> tables) throws SQLException {
            try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
                c.setAutoCommit(true);
                for (var table : tables) {
                    s.execute("ANALYZE " + table);
                }
                s.execute("ANALYZE change_log");
            }
        }

        String personType() {
            return server.dossier().schemas().type("hr.Person").orElseThrow().storageName();
        }

        long persons(long tenantId) throws SQLException {
            try (var c = db.dataSource().getConnection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM rec_hr_person WHERE tenant_id = " + tenantId)) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                return 0;   // no table yet
            }
        }

        /** The tenant with exactly {@code count} persons, loaded through the HR import when it holds another number. */
        Tenant loaded(String slug, int count) throws Exception {
            var tenant = tenant(slug);
            long have = persons(tenant.id());
            if (have != count) {
                var file = PersonLines.file(o.work(), count);
                if (have > 0) {
                    purge(tenant.id(), personTables(), true);
                }
                OUT.printf("loading %,d persons into tenant %s through the HR import (once; kept for later runs)…%n", count, slug);
                long t = System.nanoTime();
                hrImport(slug, file, count);
                OUT.printf("  loaded in %.1f s%n", (System.nanoTime() - t) / 1e9);
            }
            return tenant;
        }

        /** A Youforce client of the tenant with every scope, its rate limit out of the way, and its access token. */
        String youforceToken(Tenant tenant) throws Exception {
            var d = server.dossier();
            var issued = d.identities().createClient(tenant.id(), ClientKind.OAUTH, "youforce bench " + ProcessHandle.current().pid(), null,
                    Set.of("Get_Basic", "Upload_documents", "GetPrivateContactDetails"));
            clients.add(new long[] {tenant.id(), issued.client().id()});
            d.rateLimits().set(tenant.id(), issued.client().id(), "youforce", 1_000_000_000, 0);
            var form = "grant_type=client_credentials&client_id=" + q(issued.client().publicId()) + "&client_secret=" + q(issued.secret())
                    + "&tenant_id=" + q(tenant.slug());
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/youforce/connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token: HTTP " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body()).path("access_token").asText();
        }

        // ------------------------------------------------------------ walk

        void walkBench() throws Exception {
            var tenant = loaded(WALK_TENANT, o.persons());
            var token = youforceToken(tenant);
            var first = "/youforce/learning/v1.0/persons?take=" + TAKE;
            var entity = EntityTypes.record(personType());
            var tables = personTables();
            analyze(tables);

            // JIT warm-up, unmeasured: a whole walk a side (WARMUP_PAGES), so that both are measured as a server
            // that has run a while runs. Code run once a request (Jetty's parser, the token check) reaches C2
            // only after thousands of requests: after a 200-page warm-up, C2 compiled it during the measured
            // walk (PrintCompilation: ~2,000 compilations in it), its threads took 17% of this JVM's CPU there
            // (async-profiler), on the cores the walk's client and PostgreSQL share, and the ratio was 0.68-0.73
            walkServer(token, first, WARMUP_PAGES, null);
            walkJdbc(tenant.id(), entity, tables, WARMUP_PAGES);

            // the statements the server issues for one page (warm), for the report; other threads' (background work) marked
            var captured = Harness.statements(db, () -> get(token, first));
            var byThread = new HashMap<Long, Integer>();
            captured.forEach(q -> byThread.merge(q.thread(), 1, Integer::sum));
            long requestThread = byThread.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            var own = captured.stream().filter(q -> q.thread() == requestThread).toList();
            OUT.printf("%nSQL the server issues for the first page of %d persons (%d statements through jOOQ on the request's thread, %.1f ms"
                    + " in them; [bg]: another thread's, the server's background work):%n", TAKE, own.size(),
                    own.stream().mapToLong(q -> q.nanos()[1]).sum() / 1e6);
            captured.forEach(q -> OUT.printf("  %7.1f ms %s %s%n", q.nanos()[1] / 1e6, q.thread() == requestThread ? "    " : "[bg]",
                    abbreviate(q.sql(), 240)));

            OUT.printf("%nwalk: %,d persons of tenant %s, take=%d; load average before: %s%n", o.persons(), WALK_TENANT, TAKE,
                    Harness.loadAverage());
            var before = Harness.CpuSample.now();
            var jdbc = walkJdbc(tenant.id(), entity, tables, Integer.MAX_VALUE);
            var jdbcEnded = ended;
            var between = Harness.CpuSample.now();
            var sampler = Memory.start();
            var http = walkServer(token, first, Integer.MAX_VALUE, sampler);
            var memory = sampler.stop();
            var after = Harness.CpuSample.now();
            var cpus = List.of(Harness.Cpu.between(before, jdbcEnded), Harness.Cpu.between(between, after));
            for (int i = 0; i < 2; i++) {
                var w = List.of(jdbc, http).get(i);
                var cpu = cpus.get(i);
                OUT.printf("  %-40s %,9d records, %,6d pages in %6.1f s = %,8.0f records/s; CPU a page: this JVM %.1f ms, PostgreSQL %.1f ms"
                                + " (foreign load %.0f%% of a core)%n", w.name(), w.records(), w.pages(), w.seconds(), w.records() / w.seconds(),
                        1000 * cpu.jvm() / w.pages(), 1000 * cpu.postgres() / w.pages(), 100 * cpu.foreign() / w.seconds());
            }
            OUT.printf("  CPU a page, server / JDBC: %.2f (JVM + PostgreSQL; a walk is one request at a time, so on a busy machine this"
                    + " tells more than records/s)%n", (cpus.get(1).jvm() + cpus.get(1).postgres()) / http.pages()
                    / ((cpus.get(0).jvm() + cpus.get(0).postgres()) / jdbc.pages()));
            if (jdbc.records() != http.records() || jdbc.uidHash() != http.uidHash()) {
                OUT.printf("  WARNING: the walks differ: JDBC %,d records (hash %x), server %,d (hash %x)%n", jdbc.records(), jdbc.uidHash(),
                        http.records(), http.uidHash());
            } else {
                OUT.println("  both walks return the same persons in the same order");
            }
            OUT.printf("  ratio server / JDBC = %.3f (target >= 0.7)%n", (http.records() / http.seconds()) / (jdbc.records() / jdbc.seconds()));
            OUT.println("  server JVM while walking (in-process: the bench's client shares the heap), by quarter of the walk:");
            memory.quarters().forEach(line -> OUT.println("    " + line));
        }

        record Walk(String name, long records, int pages, double seconds, long uidHash) {
        }

        /**
         * Follows nextLink as a client does: its own base URL with the link's query string. Each page is
         * read token by token as it arrives, the records' ids and the link taken on the way (a tree
         * of the page, or the page in one array, would cost this JVM, which the server shares, more
         * than the JDBC side's reading of its columns does).
         */
        Walk walkServer(String token, String first, int maxPages, Memory sampler) throws Exception {
            long t = System.nanoTime();
            long records = 0, hash = 1;
            int pages = 0;
            var path = first;
            while (path != null && pages < maxPages) {
                String link = null;
                try (var body = getStream(token, path); var parser = JSON.getFactory().createParser(body)) {
                    int depth = 0;
                    for (var tokenType = parser.nextToken(); tokenType != null; tokenType = parser.nextToken()) {
                        switch (tokenType) {
                            case START_OBJECT, START_ARRAY -> depth++;
                            case END_OBJECT, END_ARRAY -> depth--;
                            case FIELD_NAME -> {
                                if (depth == 3 && parser.currentName().equals("id")) {   // {"value":[{"id":…
                                    parser.nextToken();
                                    hash = 31 * hash + parser.getText().hashCode();
                                    records++;
                                } else if (depth == 1 && parser.currentName().equals("nextLink")) {
                                    parser.nextToken();
                                    link = parser.getText();
                                }
                            }
                            default -> {
                            }
                        }
                    }
                }
                pages++;
                path = link == null ? null : "/youforce/learning/v1.0/persons" + link.substring(link.indexOf('?'));
            }
            return new Walk("Youforce persons + nextLink", records, pages, (System.nanoTime() - t) / 1e9, hash);
        }

        /**
         * The same walk over plain JDBC: keyset on the change feed's (writer_transaction, position)
         * below the snapshot's horizon (the order and the visibility rule the dialect's feed reads
         * with), joined to the person table at the change's version, and each page's collection
         * items, one statement a collection table.
         */
        /** The CPU sample taken as the last JDBC walk ended, before its connection closed. */
        Harness.CpuSample ended;

        Walk walkJdbc(long tenantId, String entity, List<String> tables, int maxPages) throws SQLException {
            long t = System.nanoTime();
            long records = 0, hash = 1;
            int pages = 0;
            var collections = tables.stream().filter(n -> !n.equals("rec_hr_person")).toList();
            try (var c = DriverManager.getConnection(benchUrl(o) + "?user=postgres");
                 var page = c.prepareStatement("SELECT l.writer_transaction, l.position, p.* FROM change_log l JOIN rec_hr_person p"
                         + " ON p.tenant_id = l.tenant_id AND p.uid = l.entity_id AND p.entity_version = l.entity_version"
                         + " WHERE l.tenant_id = ? AND l.entity_type = ? AND (l.writer_transaction, l.position) > (?, ?)"
                         + " AND l.writer_transaction < (SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint))"
                         + " ORDER BY l.writer_transaction, l.position LIMIT " + TAKE)) {
                var items = new ArrayList<java.sql.PreparedStatement>();
                for (var table : collections) {
                    items.add(c.prepareStatement("SELECT * FROM " + table + " WHERE tenant_id = ? AND record_id = ANY (?) ORDER BY record_id, item_key"));
                }
                long transaction = -1, position = -1;
                while (pages < maxPages) {
                    page.setLong(1, tenantId);
                    page.setString(2, entity);
                    page.setLong(3, transaction);
                    page.setLong(4, position);
                    var ids = new ArrayList<Long>();
                    int columns;
                    try (var rs = page.executeQuery()) {
                        columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            transaction = rs.getLong(1);
                            position = rs.getLong(2);
                            for (int i = 3; i <= columns; i++) {
                                rs.getObject(i);
                            }
                            ids.add(rs.getLong("id"));
                            hash = 31 * hash + rs.getString("uid").hashCode();
                        }
                    }
                    var array = c.createArrayOf("bigint", ids.toArray());
                    for (var s : items) {
                        s.setLong(1, tenantId);
                        s.setArray(2, array);
                        try (var rs = s.executeQuery()) {
                            int n = rs.getMetaData().getColumnCount();
                            while (rs.next()) {
                                for (int i = 1; i <= n; i++) {
                                    rs.getObject(i);
                                }
                            }
                        }
                    }
                    records += ids.size();
                    pages++;
                    if (ids.size() < TAKE) {
                        break;
                    }
                }
                for (var s : items) {
                    s.close();
                }
                ended = Harness.CpuSample.now();   // while its backend is still there to be counted
            }
            return new Walk("JDBC keyset (feed order) + collections", records, pages, (System.nanoTime() - t) / 1e9, hash);
        }

        /**
         * The answer's body as it arrives, through HttpURLConnection (blocking, on the calling thread,
         * keep-alive): java.net.http's client moves a 1 MB body through its worker threads and
         * buffers at several times the CPU, which this JVM shares with the server. A page in one
         * array would also be humongous to G1 and cost a collection a page.
         */
        java.io.InputStream getStream(String token, String path) throws Exception {
            var connection = (java.net.HttpURLConnection) URI.create(base + path).toURL().openConnection();
            connection.setRequestProperty("Authorization", "Bearer " + token);
            connection.setReadTimeout(120_000);
            int status = connection.getResponseCode();
            if (status != 200) {
                try (var body = connection.getErrorStream()) {
                    throw new IllegalStateException("GET " + path + ": HTTP " + status + ": "
                            + abbreviate(body == null ? "" : new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), 500));
                }
            }
            return connection.getInputStream();
        }

        String get(String token, String path) throws Exception {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(120)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + ": " + abbreviate(response.body(), 500));
            }
            return response.body();
        }

        // ------------------------------------------------------------ intake

        void intakeBench() throws Exception {
            int people = 1000;
            var tenant = loaded(INTAKE_TENANT, people);
            var tokens = new ArrayList<String>();
            for (int i = 0; i < o.clients(); i++) {
                tokens.add(youforceToken(tenant));
            }
            var pdf = Pdf.of(o.pdfKilobytes() * 1024);
            OUT.printf("%nintake: %d clients, each its own OAuth client, uploading %,d-byte PDFs (multipart/form-data, v1.1 diploma) to %,d"
                    + " persons of tenant %s for %d s after %d s warm-up; tickets polled every %d ms until Complete%n", o.clients(), pdf.length,
                    people, INTAKE_TENANT, o.seconds(), o.warmup(), o.pollMillis());
            var pending = new DelayQueue<Ticket>();
            var done = new AtomicBoolean();
            var completion = new Latencies();
            var rejected = new AtomicLong();
            var measuredOutstanding = new AtomicLong();
            // pollers: each pending ticket's status is asked for every pollMillis, as a client waiting for it would
            var pollers = new ArrayList<Thread>();
            for (int i = 0; i < 4; i++) {
                pollers.add(Thread.ofPlatform().daemon().start(() -> {
                    while (!done.get()) {
                        Ticket ticket;
                        try {
                            ticket = pending.poll(100, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (ticket == null) {
                            continue;
                        }
                        try {
                            var status = JSON.readTree(get(ticket.token(), "/youforce/learning/v1.0/employees/documents/" + ticket.id() + "/status"))
                                    .path("status").asText();
                            switch (status) {
                                case "Complete" -> {
                                    if (ticket.measured()) {
                                        completion.record(System.nanoTime() - ticket.started());
                                        measuredOutstanding.decrementAndGet();
                                    }
                                }
                                case "Rejected" -> {
                                    rejected.incrementAndGet();
                                    if (ticket.measured()) {
                                        measuredOutstanding.decrementAndGet();
                                    }
                                }
                                default -> pending.add(ticket.later(o.pollMillis()));
                            }
                        } catch (Exception e) {
                            pending.add(ticket.later(o.pollMillis()));
                        }
                    }
                }));
            }
            var random = new SplittableRandom(7);
            var codes = new ArrayList<String>();
            for (int i = 0; i < people; i++) {
                codes.add(PersonLines.code(i));
            }
            var seeds = new long[o.clients()];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = random.nextLong();
            }
            var randoms = new SplittableRandom[o.clients()];
            for (int i = 0; i < randoms.length; i++) {
                randoms[i] = new SplittableRandom(seeds[i]);
            }
            var load = new Harness.Load(o.clients(), o.warmup(), o.seconds(), 0);
            var result = Harness.measure("intake", load, false, client -> {
                var code = codes.get(randoms[client].nextInt(codes.size()));
                long started = System.nanoTime();
                var ticketId = upload(tokens.get(client), code, pdf);
                long due = System.nanoTime() + o.pollMillis() * 1_000_000L;
                Harness.afterCall(measured -> {   // the ticket's completion is measured when its upload is
                    if (measured) {
                        measuredOutstanding.incrementAndGet();
                    }
                    pending.add(new Ticket(ticketId, tokens.get(client), started, measured, due));
                });
            }, o.warmup(), o.seconds(), false);
            // the measured tickets still in progress: wait for them (at most 5 minutes)
            long drainUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (measuredOutstanding.get() > 0 && System.nanoTime() < drainUntil) {
                Thread.sleep(100);
            }
            done.set(true);
            for (var t : pollers) {
                t.join();
            }
            OUT.printf("  accepted uploads: %,d in %d s = %,.1f uploads/s; upload answer (ticket InProgress) %s%n", result.requests(),
                    o.seconds(), result.perSecond(), Latencies.summary(result.sortedNanos()));
            OUT.printf("  upload to Complete (as polled every %d ms): %,d tickets: %s%n", o.pollMillis(), completion.count(),
                    completion.summary());
            OUT.printf("  rejected %,d, failed uploads %,d, measured tickets not Complete after 5 min %,d%n", rejected.get(), result.errors(),
                    Math.max(0, measuredOutstanding.get()));
            if (result.firstError() != null) {
                OUT.println("  first upload error: " + result.firstError());
            }
        }

        record Ticket(String id, String token, long started, boolean measured, long due) implements Delayed {
            Ticket later(int millis) {
                return new Ticket(id, token, started, measured, System.nanoTime() + millis * 1_000_000L);
            }

            @Override
            public long getDelay(TimeUnit unit) {
                return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
            }

            @Override
            public int compareTo(Delayed other) {
                return Long.compare(due, ((Ticket) other).due);
            }
        }

        static final String BOUNDARY = "youforce-bench-boundary-8d1f";

        String upload(String token, String personCode, byte[] pdf) throws Exception {
            var body = new ByteArrayOutputStream(pdf.length + 600);
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"Description\"\r\n\r\nDiploma (bench)\r\n"
                    + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"ValidFrom\"\r\n\r\n2024-01-01\r\n"
                    + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"diploma.pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(pdf);
            body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/youforce/learning/v1.1/employees/" + personCode + "/documents/diploma"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != 201 && response.statusCode() != 202) {
                throw new IllegalStateException("upload: HTTP " + response.statusCode() + ": " + abbreviate(response.body(), 300));
            }
            var ticket = JSON.readTree(response.body());
            if (!ticket.path("status").asText().equals("InProgress") || ticket.path("ticketId").asText().isEmpty()) {
                throw new IllegalStateException("upload: unexpected ticket " + abbreviate(response.body(), 300));
            }
            return ticket.path("ticketId").asText();
        }
    }

    // ---------------------------------------------------------------- data

    /** Person import lines, realistic Dutch names and addresses, the same for the same count (cached in the work folder). */
    static final class PersonLines {
        static final String[] FIRST = {"Jan", "Pieter", "Johannes", "Cornelis", "Willem", "Hendrik", "Gerrit", "Maria", "Johanna", "Anna",
                "Cornelia", "Wilhelmina", "Sanne", "Daan", "Lotte", "Bram", "Femke", "Ruben", "Eva", "Thijs", "Noor", "Sem", "Fleur", "Lars"};
        static final String[] LAST = {"Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
                "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
                "Smits", "de Graaf", "van der Meer"};
        static final String[] CITY = {"Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda",
                "Nijmegen", "Apeldoorn", "Haarlem", "Arnhem", "Enschede", "Amersfoort", "Zwolle", "Leiden", "Maastricht"};
        static final String[] STREET = {"Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Stationsweg", "Julianastraat",
                "Beatrixlaan", "Wilhelminastraat", "Nieuwstraat", "Markt", "Emmalaan", "Parallelweg"};

        static String code(int i) {
            return Integer.toString(100_000 + i);
        }

        static Path file(Path work, int count) throws Exception {
            var file = work.resolve("persons-" + count + ".ndjson");
            if (Files.exists(file)) {
                return file;
            }
            var partial = work.resolve("persons-" + count + ".ndjson.partial");
            var r = new SplittableRandom(20261203L);
            try (BufferedWriter w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                for (int i = 0; i < count; i++) {
                    w.write(line(code(i), r));
                    w.write('\n');
                }
            }
            Files.move(partial, file);
            return file;
        }

        static String line(String code, SplittableRandom r) {
            var first = FIRST[r.nextInt(FIRST.length)];
            var last = LAST[r.nextInt(LAST.length)];
            String prefix = null;
            var lastName = last;
            int space = last.lastIndexOf(' ');
            if (space > 0) {
                prefix = last.substring(0, space);
                lastName = last.substring(space + 1);
            }
            var gender = r.nextInt(10) < 5 ? "Male" : r.nextInt(10) < 9 ? "Female" : "Not Known";
            var birth = String.format(Locale.ROOT, "%d-%02d-%02d", 1955 + r.nextInt(50), 1 + r.nextInt(12), 1 + r.nextInt(28));
            var mail = (first + "." + lastName).toLowerCase(Locale.ROOT);
            var sb = new StringBuilder(900);
            sb.append("{\"type\":\"hr.Person\",\"op\":\"upsert\",\"record\":{\"id\":\"").append(code).append("\",\"personCode\":\"").append(code)
                    .append("\",\"initials\":\"").append(first.charAt(0)).append(".\",\"firstNames\":\"").append(first)
                    .append("\",\"knownAs\":\"").append(first).append("\",\"lastNameAtBirth\":\"").append(lastName)
                    .append("\",\"lastNameAtBirthPrefix\":").append(prefix == null ? "null" : "\"" + prefix + "\"")
                    .append(",\"lastName\":\"").append(lastName).append("\",\"lastNamePrefix\":")
                    .append(prefix == null ? "null" : "\"" + prefix + "\"")
                    .append(",\"nameAssembleOrder\":\"E\",\"partnerName\":null,\"partnerNamePrefix\":null,\"titlePrefix\":null,\"titleSuffix\":null,")
                    .append("\"gender\":\"").append(gender).append("\",\"birthDate\":\"").append(birth).append("\",\"deceased\":false,\"userUid\":\"")
                    .append(mail).append("\",\"emailAddresses\":[{\"type\":\"Business\",\"address\":\"").append(mail).append('.').append(code)
                    .append("@werk.example\"},{\"type\":\"Private\",\"address\":\"").append(mail).append("@thuis.example\"}],")
                    .append("\"addresses\":[{\"type\":\"Home\",\"street\":\"").append(STREET[r.nextInt(STREET.length)]).append("\",\"houseNumber\":\"")
                    .append(1 + r.nextInt(200)).append("\",\"houseNumberAdditional\":null,\"locationDesignation\":null,\"postalCode\":\"")
                    .append(1000 + r.nextInt(9000)).append(' ').append((char) ('A' + r.nextInt(26))).append((char) ('A' + r.nextInt(26)))
                    .append("\",\"city\":\"").append(CITY[r.nextInt(CITY.length)]).append("\",\"region\":null,\"country\":\"NL\",")
                    .append("\"effectiveDate\":\"2020-01-01\"}],\"phoneNumbers\":[{\"type\":\"Business\",\"number\":\"030-")
                    .append(1_000_000 + r.nextInt(9_000_000)).append("\"},{\"type\":\"Mobile\",\"number\":\"06-")
                    .append(10_000_000 + r.nextInt(90_000_000)).append("\"}]}}");
            return sb.toString();
        }
    }

    /** A PDF of {@code size} bytes that passes a content check: header, one stream object, trailer. */
    static final class Pdf {
        static byte[] of(int size) {
            var head = "%PDF-1.4\n1 0 obj <</Length ".getBytes(StandardCharsets.ISO_8859_1);
            var tail = "\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
            int payload = Math.max(0, size - head.length - tail.length - ">>\nstream\n".length());
            payload = Math.max(0, payload - Integer.toString(payload).length());   // exactly size bytes (for sizes above ~100)
            var out = new ByteArrayOutputStream(size);
            out.writeBytes(head);
            out.writeBytes((payload + ">>\nstream\n").getBytes(StandardCharsets.ISO_8859_1));
            var bytes = new byte[payload];
            new SplittableRandom(3).nextBytes(bytes);
            out.writeBytes(bytes);
            out.writeBytes(tail);
            return out.toByteArray();
        }
    }

    // ---------------------------------------------------------------- SQL capture and memory

    /** A statement reduced to its verb and first table, to count statements by kind. */
    static String shape(Harness.Statement q) {
        var sql = q.sql().replaceAll("\\s+", " ").trim();
        var lower = sql.toLowerCase(Locale.ROOT);
        var verb = lower.split(" ", 2)[0];
        var m = java.util.regex.Pattern.compile("(?:from|into|update) \"?([a-z_0-9]+)\"?(?:\\.\"?([a-z_0-9]+)\"?)?").matcher(lower);
        var table = m.find() ? (m.group(2) != null ? m.group(2) : m.group(1)) : "?";
        return verb + " " + table;
    }

    /** Heap used and resident set size of this JVM (the server runs in it), sampled every 100 ms. */
    static final class Memory {
        record Sample(long nanos, long heap, long rss) {
        }

        final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean stop = new AtomicBoolean();
        Thread thread;

        static Memory start() {
            var m = new Memory();
            var bean = ManagementFactory.getMemoryMXBean();
            m.thread = Thread.ofPlatform().daemon().start(() -> {
                while (!m.stop.get()) {
                    m.samples.add(new Sample(System.nanoTime(), bean.getHeapMemoryUsage().getUsed(), rss()));
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            return m;
        }

        Memory stop() throws InterruptedException {
            stop.set(true);
            thread.join();
            return this;
        }

        String summary() {
            if (samples.isEmpty()) {
                return "no samples";
            }
            long maxHeap = samples.stream().mapToLong(Sample::heap).max().orElse(0);
            long maxRss = samples.stream().mapToLong(Sample::rss).max().orElse(0);
            return String.format(Locale.ROOT, "heap used max %d MB, RSS first %d MB, max %d MB, last %d MB (%d samples)", maxHeap >> 20,
                    samples.getFirst().rss() >> 20, maxRss >> 20, samples.getLast().rss() >> 20, samples.size());
        }

        /** Heap used (min / median / max: it saws with each collection) and RSS (max), per quarter of the samples. */
        List<String> quarters() {
            var out = new ArrayList<String>();
            int n = samples.size();
            if (n < 4) {
                out.add(summary());
                return out;
            }
            for (int q = 0; q < 4; q++) {
                var part = samples.subList(q * n / 4, (q + 1) * n / 4);
                var heaps = part.stream().mapToLong(Sample::heap).sorted().toArray();
                long rss = part.stream().mapToLong(Sample::rss).max().orElse(0);
                out.add(String.format(Locale.ROOT, "Q%d: heap used min %4d MB, median %4d MB, max %4d MB; RSS max %4d MB (%d samples)", q + 1,
                        heaps[0] >> 20, heaps[heaps.length / 2] >> 20, heaps[heaps.length - 1] >> 20, rss >> 20, part.size()));
            }
            return out;
        }

        static long rss() {
            try {
                for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (Exception e) {
                // not Linux
            }
            return 0;
        }
    }

    // ---------------------------------------------------------------- helpers

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max / 2) + " … " + s.substring(s.length() - max / 2);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (Exception e) {
            // left in the work folder
        }
    }

    /** Latencies in nanoseconds, all kept (a bench run records at most a few million); percentiles from {@link Harness#percentile}. */
    static final class Latencies {
        private final List<Long> values = Collections.synchronizedList(new ArrayList<>());

        void record(long nanos) {
            values.add(nanos);
        }

        long count() {
            return values.size();
        }

        String summary() {
            long[] sorted;
            synchronized (values) {
                sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            return summary(sorted);
        }

        static String summary(long[] sorted) {
            return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", Harness.percentile(sorted, 0.50) / 1e6,
                    Harness.percentile(sorted, 0.99) / 1e6, Harness.percentile(sorted, 1.0) / 1e6);
        }
    }
}
