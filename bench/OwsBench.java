import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.User;
import io.dossier.core.tenant.Tenant;
import io.dossier.server.Server;
import io.dossier.store.sql.Database;
import io.javalin.Javalin;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;

/**
 * OWS throughput against baselines measured in the same run, in one JVM: a Dossier server started
 * in-process on PostgreSQL (database {@code dossier_bench}) and a blob folder, driven over HTTP by
 * {@code java.net.http} clients on 127.0.0.1. Run by bench/ows.sh, which documents the command and
 * the options:
 * {@code java -cp "server/target/dossier.jar:server/target/lib/*" bench/OwsBench.java list|check [options]}.
 *
 * <ul>
 *   <li>{@code list}: 1,000,000 candidates in one tenant (bulk-loaded once with COPY, reused by
 *       later runs); {@code CandidateService.getListEx} with an EQ condition on statusId, a sort on
 *       last and first name, 100 rows and the total count, against the page query and the count
 *       query the repository issues (captured from jOOQ while the server answers one request), run
 *       over plain JDBC on a HikariCP pool with the same concurrency.</li>
 *   <li>{@code check}: the OWS {@code check} call against a bare Javalin endpoint in the same JVM
 *       that echoes the same request body as application/json.</li>
 * </ul>
 *
 * The server's own log (one access-log line per request, as in production) goes to a file in the
 * work folder, not to the terminal; this program's report goes to standard output.
 */
public class OwsBench {

    static final PrintStream OUT = System.out;
    static final ObjectMapper JSON = new ObjectMapper();
    /** dossier_bench, or the database --database names (a schema of another branch's migrations cannot be shared). */
    static String DATABASE = "dossier_bench";
    static final String TENANT_SLUG = "ows-bench";
    static final int OWNERS = 20;

    record Options(String mode, boolean fresh, int seconds, int warmup, int clients, int rows, long status,
                   boolean noCount, boolean explain, int prewarm, String pgHost, int pgPort, Path work, boolean names) {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(parse(args));
        } catch (Throwable e) {
            // printed here: the source launcher can fail to print the trace itself (JDK 25)
            System.out.flush();
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    static void run(Options options) throws Exception {
        // the clients send as fast as they can: no rate limit, except where the limiter is what is measured
        try (var server = Harness.startServer("ows bench " + options.mode(), options.pgHost() + ":" + options.pgPort(), DATABASE, options.work(),
                options.fresh(), Map.of("ratelimit.enabled", Boolean.toString(options.mode().equals("limiter"))))) {
            // add writes candidates: into a tenant of its own, so the list bench's million stays as loaded
            var fixture = Fixture.ensure(server, options.mode().equals("add") ? TENANT_SLUG + "-add" : TENANT_SLUG);
            try {
                var endpoint = URI.create("http://127.0.0.1:" + server.port() + "/ows/jservice.php");
                var tokens = new ArrayList<String>();
                for (int i = 0; i < options.clients(); i++) {
                    tokens.add(login(endpoint, fixture.apiKey()));
                }
                switch (options.mode()) {
                    case "list" -> list(options, server, fixture, endpoint, tokens);
                    case "search" -> search(options, server, fixture, endpoint, tokens);
                    case "check" -> check(options, server, endpoint, tokens);
                    case "limiter" -> limiter(options, server, fixture, endpoint, tokens);
                    case "add" -> add(options, server, endpoint, tokens);
                    default -> throw new IllegalArgumentException(options.mode());
                }
            } finally {
                server.dossier().identities().revokeClient(fixture.tenant().id(), fixture.clientId());
            }
        }
        System.out.flush();
    }

    // ---------------------------------------------------------------- options

    static final String USAGE = "java -cp <dossier classpath> bench/OwsBench.java list|search|check|add|limiter [--fresh] [--seconds 20]"
            + " [--warmup 5] [--jit-warmup 30] [--clients 16] [--quiet-wait 60] [--rows 1000000] [--status 3] [--no-count]"
            + " [--no-explain] [--names] [--database dossier_bench] [--pg 127.0.0.1:5432] [--work DIR]";

    static Options parse(String[] arguments) {
        var args = new Harness.Args(arguments, USAGE);
        var mode = args.mode(List.of("list", "search", "check", "add", "limiter"), null);
        var fresh = args.flag("--fresh");
        DATABASE = args.text("--database", DATABASE);
        var noCount = args.flag("--no-count");
        var explain = !args.flag("--no-explain");
        var names = args.flag("--names");
        var load = args.load(16, 5, 20, 30);
        int rows = args.integer("--rows", 1_000_000, 1000, 5_000_000);
        int status = args.integer("--status", 3, 1, 7);
        var pg = args.localPostgres();
        var work = Path.of(args.text("--work", Path.of(System.getProperty("java.io.tmpdir"), "dossier-ows-bench").toString()));
        args.done();
        if (!DATABASE.matches("[a-z][a-z0-9_]{0,62}")) {
            args.usage("--database: lower-case letters, digits and underscores");
        }
        return new Options(mode, fresh, load.seconds(), load.warmup(), load.clients(), rows, status, noCount, explain,
                load.jitWarmup(), pg.substring(0, pg.lastIndexOf(':')), Integer.parseInt(pg.substring(pg.lastIndexOf(':') + 1)),
                work.toAbsolutePath(), names);
    }

    // ---------------------------------------------------------------- database and fixture

    static String benchUrl(Options o) {
        return "jdbc:postgresql://" + o.pgHost() + ":" + o.pgPort() + "/" + DATABASE;
    }

    /** The bench tenant, its owners (users), and an API key issued for this run (revoked at the end). */
    record Fixture(Tenant tenant, List<User> owners, String apiKey, long clientId) {

        static Fixture ensure(Server server, String slug) {
            var d = server.dossier();
            var tenant = d.tenants().list().stream().filter(t -> t.slug().equals(slug)).findFirst()
                    .orElseGet(() -> d.tenants().create(slug, "OWS bench recruitment", List.of("nl", "en"), "nl"));
            var existing = new HashMap<String, User>();
            d.identities().listUsers(tenant.id()).forEach(u -> existing.put(u.username(), u));
            var owners = new ArrayList<User>();
            for (int i = 0; i < OWNERS; i++) {
                var username = String.format(Locale.ROOT, "%s.owner%02d", slug, i + 1);
                var user = existing.get(username);
                if (user == null) {
                    var name = Names.CONSULTANTS[i];
                    user = d.identities().createUser(tenant.id(), username,
                            name.toLowerCase(Locale.ROOT).replace(' ', '.') + "@bench.example", name, null).user();
                }
                owners.add(user);
            }
            var key = d.identities().createClient(tenant.id(), ClientKind.OWS_API_KEY, "ows bench " + ProcessHandle.current().pid(),
                    owners.getFirst().id(), Set.of());
            return new Fixture(tenant, owners, key.secret(), key.client().id());
        }
    }

    static String login(URI endpoint, String apiKey) throws Exception {
        var answer = post(endpoint, "{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + apiKey + "\"],\"id\":1}");
        var token = JSON.readTree(answer).path("result");
        if (!token.isTextual()) {
            throw new IllegalStateException("login failed: " + answer);
        }
        return token.asText();
    }

    static String post(URI endpoint, String body) throws Exception {
        var response = Harness.http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " from " + endpoint + ": " + response.body());
        }
        return response.body();
    }

    // ---------------------------------------------------------------- list

    static void list(Options o, Server server, Fixture fixture, URI endpoint, List<String> tokens) throws Exception {
        var db = server.dossier().database();
        long tenantId = fixture.tenant().id();
        Loader.ensure(db, o, fixture);

        // One uid read back through the server: the loaded rows are the server's own.
        String someUid;
        try (var c = db.dataSource().getConnection(); var s = c.prepareStatement(
                "SELECT uid, f_person__last_name, f_person__first_name FROM rec_candidate WHERE tenant_id = ? ORDER BY id LIMIT 1 OFFSET ?")) {
            s.setLong(1, tenantId);
            s.setInt(2, o.rows() / 2);
            try (var rs = s.executeQuery()) {
                rs.next();
                someUid = rs.getString(1);
                var detail = JSON.readTree(post(endpoint, "{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.CandidateService.getDetail\",\"params\":[\""
                        + tokens.getFirst() + "\",\"" + someUid + "\",[]],\"id\":1}"));
                var person = detail.path("result").path("Person");
                if (!person.path("lastName").asText().equals(rs.getString(2)) || !person.path("firstName").asText().equals(rs.getString(3))) {
                    throw new IllegalStateException("getDetail of a loaded row does not read back: " + detail);
                }
                OUT.printf("getDetail %s reads back a loaded row: %s %s, statusId %s, userId %s, %d fields%n", someUid,
                        person.path("firstName").asText(), person.path("lastName").asText(), detail.path("result").path("statusId"),
                        detail.path("result").path("userId"), countLeaves(detail.path("result")));
            }
        }

        boolean count = !o.noCount();
        var bodies = new ArrayList<String>();
        for (var token : tokens) {
            bodies.add(listBody(token, o.status(), count));
        }

        // The SQL the repository issues for this request, captured from jOOQ while the server answers it.
        var captured = capture(db, () -> post(endpoint, bodies.getFirst()));
        OUT.printf("%nSQL issued by the server for one getListEx (%d statements):%n", captured.size());
        for (var q : captured) {
            OUT.println("  " + abbreviate(q.sql(), 400) + "   binds " + q.binds());
        }
        var page = captured.stream().filter(q -> q.sql().contains("rec_candidate") && q.sql().toLowerCase(Locale.ROOT).contains("order by"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no page query captured"));
        var countQuery = captured.stream().filter(q -> q.sql().contains("rec_candidate") && q.sql().toLowerCase(Locale.ROOT).contains("count("))
                .findFirst().orElse(null);
        if (count && countQuery == null) {
            throw new IllegalStateException("no count query captured");
        }
        var jdbcQueries = count ? List.of(page, countQuery) : List.of(page);

        // Both sides give the same answer.
        var viaJdbc = runJdbcOnce(db.dataSource(), jdbcQueries);
        var answer = JSON.readTree(post(endpoint, bodies.getFirst())).path("result");
        var uids = new ArrayList<String>();
        answer.path("listOutput").forEach(item -> uids.add(item.path("uid").asText()));
        if (!uids.equals(viaJdbc.uids()) || (count && answer.path("totalCount").asLong() != viaJdbc.total())) {
            throw new IllegalStateException("server and JDBC disagree: server " + uids.size() + " rows, total " + answer.path("totalCount")
                    + "; JDBC " + viaJdbc.uids().size() + " rows, total " + viaJdbc.total());
        }
        OUT.printf("statusId %d: %s matching candidates; first of the page: %s; server and JDBC pages are identical (%d uids)%n",
                o.status(), count ? String.format(Locale.ROOT, "%,d", viaJdbc.total()) : "(count off)",
                answer.path("listOutput").path(0).toString(), uids.size());

        var results = new ArrayList<Harness.Result>();
        results.addAll(listRound(o, db, endpoint, bodies, jdbcQueries));
        report(o, "list", results, count);
        if (o.explain()) {
            diagnose(o, db, endpoint, bodies.getFirst(), jdbcQueries);
        }
    }

    // ---------------------------------------------------------------- search

    /**
     * ACTONOMY keyword search over the million candidates, as the WordPress plugin sends it before an
     * application: the e-mail lookup (keywords on emailAddress, hasEmail, SCORE then entry date, limit
     * 1, total count), each request for another address of a loaded candidate. With --names, a
     * surname instead (a phrase such as "van den Berg", in first and last names; 10 rows, ranked).
     * Baseline: the page and count statements the server issues for one request, captured from
     * jOOQ, run over plain JDBC with the request's term bound in place of the captured one.
     */
    static void search(Options o, Server server, Fixture fixture, URI endpoint, List<String> tokens) throws Exception {
        var db = server.dossier().database();
        long tenantId = fixture.tenant().id();
        Loader.ensure(db, o, fixture);
        var terms = new ArrayList<String>();
        if (o.names()) {
            var r = new SplittableRandom(42);
            for (int i = 0; i < 20_000; i++) {
                terms.add(Names.LAST[Rows.LAST.sample(r)]);
            }
        } else {
            try (var c = db.dataSource().getConnection(); var s = c.prepareStatement(
                    "SELECT f_person__email_primary FROM rec_candidate WHERE tenant_id = ? AND id % 97 = 0 ORDER BY id LIMIT 20000")) {
                s.setLong(1, tenantId);
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        terms.add(rs.getString(1));
                    }
                }
            }
            Collections.shuffle(terms, new java.util.Random(42));
        }
        OUT.printf("%,d %s to search for, each request the next%n", terms.size(), o.names() ? "surnames (Zipf-distributed as loaded)" : "e-mail addresses of loaded candidates");

        var first = terms.getFirst();
        var captured = capture(db, () -> post(endpoint, searchBody(tokens.getFirst(), first, o.names())));
        OUT.printf("%nSQL issued by the server for one ACTONOMY getListEx (%d statements):%n", captured.size());
        for (var q : captured) {
            OUT.println("  " + abbreviate(q.sql(), 700) + "   binds " + q.binds());
        }
        var page = captured.stream().filter(q -> q.sql().contains("rec_candidate") && q.sql().toLowerCase(Locale.ROOT).contains("order by"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no page query captured"));
        // the server counts a ranked search's matches in its page query (count(*) over ()), else apart
        var countQuery = captured.stream().filter(q -> q != page && q.sql().contains("rec_candidate") && q.sql().toLowerCase(Locale.ROOT).contains("count("))
                .findFirst();
        var jdbcQueries = countQuery.map(count -> List.of(page, count)).orElse(List.of(page));

        // Both sides give the same answer, for the first 20 terms.
        for (var term : terms.subList(0, 20)) {
            var viaJdbc = runJdbcOnce(db.dataSource(), withTerm(jdbcQueries, first, term));
            var answer = JSON.readTree(post(endpoint, searchBody(tokens.getFirst(), term, o.names()))).path("result");
            var uids = new ArrayList<String>();
            answer.path("listOutput").forEach(item -> uids.add(item.path("uid").asText()));
            long total = answer.path("searchExtras").path("ACTONOMY").path("totalCount").asLong();
            if (uids.isEmpty() || !uids.equals(viaJdbc.uids()) || total != viaJdbc.total()) {
                throw new IllegalStateException("server and JDBC disagree for " + term + ": server " + uids + ", total " + total
                        + "; JDBC " + viaJdbc.uids() + ", total " + viaJdbc.total());
            }
        }
        var sample = JSON.readTree(post(endpoint, searchBody(tokens.getFirst(), first, o.names()))).path("result");
        OUT.printf("'%s': %,d matching candidates, first %s; server and JDBC agree on 20 terms%n", first,
                sample.path("searchExtras").path("ACTONOMY").path("totalCount").asLong(), sample.path("listOutput").path(0));

        var next = new AtomicInteger();
        List<Harness.Result> results;
        try (var pool = jdbcPool(o)) {
            results = Harness.compare(load(o),
                    new Harness.Target("JDBC full-text page+count", false,
                            client -> runJdbcOnce(pool, withTerm(jdbcQueries, first, terms.get(Math.floorMod(next.getAndIncrement(), terms.size()))))),
                    new Harness.Target("OWS ACTONOMY getListEx", true, client -> {
                        var body = post(endpoint, searchBody(tokens.get(client), terms.get(Math.floorMod(next.getAndIncrement(), terms.size())), o.names()));
                        if (!body.startsWith("{\"result\":{\"listOutput\":[{")) {
                            throw new IllegalStateException("unexpected answer: " + abbreviate(body, 300));
                        }
                    }));
        }
        report(o, o.names() ? "search by surname" : "search by e-mail", results, true);
        if (o.explain()) {
            diagnose(o, db, endpoint, searchBody(tokens.getFirst(), first, o.names()), jdbcQueries);
        }
    }

    /** The captured statements with {@code term} bound wherever the captured request bound {@code captured}. */
    static List<Captured> withTerm(List<Captured> queries, String captured, String term) {
        return queries.stream().map(q -> new Captured(q.sql(), q.binds().stream().map(b -> captured.equals(b) ? (Object) term : b).toList())).toList();
    }

    /**
     * The plugin's request (VacanciesApplyModel's candidate lookup, inside its LanguageService.wrapRequest), for {@code term}:
     * an e-mail address, quoted; or with {@code names}, a surname in the name fields with 10 rows.
     */
    static String searchBody(String token, String term, boolean names) {
        var list = names ? "name" : "emailAddress";
        int limit = names ? 10 : 1;
        return "{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"nl\",{\"jsonrpc\":\"2.0\","
                + "\"method\":\"Otys.Services.CandidateService.getListEx\",\"params\":[\"" + token + "\",{\"search\":{\"ACTONOMY\":{\"DATA\":{"
                + "\"hasEmail\":{\"options\":{\"required\":true,\"persistent\":true},\"value\":\"1\"},"
                + "\"keywords\":{\"options\":{\"enableExpansion\":false,\"required\":true,\"searchList\":[\"" + list + "\"],"
                + "\"searchMode\":\"one\"},\"value\":\"\\\"" + term + "\\\"\"}},\"OPTIONS\":{\"getTotalCount\":1,\"limit\":" + limit
                + ",\"offset\":0,\"sort\":{\"SCORE\":\"DESC\",\"entryDateFull\":\"DESC\"}},\"VERSION\":2,\"SUB_VERSION\":0}},"
                + "\"limit\":" + limit + ",\"excludeLimitCheck\":1,\"getTotalCount\":1,\"what\":{\"uid\":1}}],\"id\":1}],\"id\":1}";
    }

    static List<Harness.Result> listRound(Options o, Database db, URI endpoint, List<String> bodies,
                                  List<Captured> jdbcQueries) throws Exception {
        try (var pool = jdbcPool(o)) {
            return Harness.compare(load(o),
                    new Harness.Target("JDBC page" + (jdbcQueries.size() > 1 ? "+count" : ""), false, client -> runJdbcOnce(pool, jdbcQueries)),
                    new Harness.Target("OWS getListEx", true, client -> {
                        var body = post(endpoint, bodies.get(client));
                        if (!body.startsWith("{\"result\":{\"listOutput\":[{")) {
                            throw new IllegalStateException("unexpected answer: " + abbreviate(body, 300));
                        }
                    }));
        }
    }

    static String listBody(String token, long status, boolean count) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.CandidateService.getListEx\",\"params\":[\"" + token + "\","
                + "{\"what\":{\"uid\":1,\"Person\":{\"firstName\":1,\"lastName\":1},\"statusId\":1},"
                + "\"condition\":{\"type\":\"COND\",\"field\":\"statusId\",\"op\":\"EQ\",\"param\":" + status + "},"
                + "\"sort\":{\"Person.lastName\":\"ASC\",\"Person.firstName\":\"ASC\"},"
                + "\"limit\":100,\"offset\":0,\"getTotalCount\":" + (count ? 1 : 0) + "}],\"id\":1}";
    }

    static HikariDataSource jdbcPool(Options o) {
        var config = new HikariConfig();
        config.setJdbcUrl(benchUrl(o));
        config.setUsername("postgres");
        config.setMaximumPoolSize(16);
        config.setPoolName("bench-baseline");
        return new HikariDataSource(config);
    }

    record JdbcAnswer(List<String> uids, long total) {
    }

    /** The repository's statements, as captured, on one pooled connection: every column of every row read. */
    static JdbcAnswer runJdbcOnce(javax.sql.DataSource pool, List<Captured> queries) throws SQLException {
        var uids = new ArrayList<String>();
        long total = -1;
        try (var c = pool.getConnection()) {
            for (var q : queries) {
                try (var s = c.prepareStatement(q.sql())) {
                    Harness.bind(s, q.binds());
                    try (var rs = s.executeQuery()) {
                        var meta = rs.getMetaData();
                        int columns = meta.getColumnCount();
                        int uidColumn = -1;
                        for (int i = 1; i <= columns; i++) {
                            if (meta.getColumnLabel(i).equalsIgnoreCase("uid")) {
                                uidColumn = i;
                            }
                        }
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                rs.getObject(i);
                            }
                            if (uidColumn > 0) {
                                uids.add(rs.getString(uidColumn));
                                if (meta.getColumnLabel(columns).equalsIgnoreCase("count")) {
                                    total = rs.getLong(columns);   // counted along the page: count(*) over ()
                                }
                            } else if (columns == 1) {
                                total = rs.getLong(1);
                            }
                        }
                    }
                }
            }
        }
        return new JdbcAnswer(uids, total);
    }

    /** Where the time goes: each statement alone, unloaded, with EXPLAIN ANALYZE, and one whole request. */
    static void diagnose(Options o, Database db, URI endpoint, String body, List<Captured> queries) throws Exception {
        OUT.println();
        OUT.println("diagnosis, one at a time (no concurrency), median of 30:");
        try (var c = db.dataSource().getConnection()) {
            for (var q : queries) {
                var label = q.sql().toLowerCase(Locale.ROOT).contains("count(") ? "count query" : "page query";
                OUT.printf("  %-12s %7.2f ms over JDBC%n", label, Harness.medianMs(() -> Harness.readAll(c, q.sql(), q.binds())));
                Harness.explain(c, q.sql(), q.binds());
            }
        }
        OUT.printf("  %-12s %7.2f ms for one whole getListEx over HTTP%n", "request", Harness.medianMs(() -> post(endpoint, body)));
    }

    // ---------------------------------------------------------------- check

    static void check(Options o, Server server, URI endpoint, List<String> tokens) throws Exception {
        var echo = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.post("/echo", ctx -> ctx.contentType("application/json").result(ctx.bodyAsBytes()));
        }).start("127.0.0.1", 0);
        try {
            var echoUri = URI.create("http://127.0.0.1:" + echo.port() + "/echo");
            var bodies = new ArrayList<String>();
            for (var token : tokens) {
                bodies.add("{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[\"" + token + "\"],\"id\":1}");
            }
            var sample = post(endpoint, bodies.getFirst());
            OUT.println("check answers: " + sample);
            var echoed = post(echoUri, bodies.getFirst());
            if (!echoed.equals(bodies.getFirst())) {
                throw new IllegalStateException("echo answered " + echoed);
            }
            var captured = capture(server.dossier().database(), () -> post(endpoint, bodies.getFirst()));
            OUT.printf("SQL issued by the server for one check (%d statements, session cached):%n", captured.size());
            for (var q : captured) {
                OUT.println("  " + abbreviate(q.sql(), 300) + "   binds " + q.binds());
            }
            var results = Harness.compare(load(o),
                    new Harness.Target("bare Javalin echo", true, client -> {
                        var body = post(echoUri, bodies.get(client));
                        if (body.length() != bodies.get(client).length()) {
                            throw new IllegalStateException("echo answered " + body);
                        }
                    }),
                    new Harness.Target("OWS check", true, client -> {
                        var body = post(endpoint, bodies.get(client));
                        if (!body.startsWith("{\"result\":{\"clientId\":")) {
                            throw new IllegalStateException("unexpected answer: " + abbreviate(body, 300));
                        }
                    }));
            report(o, "check", results, true);
        } finally {
            echo.stop();
        }
    }

    // ---------------------------------------------------------------- limiter

    /**
     * The OWS {@code check} call with the rate limiter off and on, in the same server: on, the API
     * key's limit is set high (1,000,000,000 per minute), so every request passes through the
     * limiter (its cached limit, the node's lease, a lease of 1,000 requests from PostgreSQL when one
     * runs out) and none is refused. Each side switches the node's limiter before its calls.
     */
    static void limiter(Options o, Server server, Fixture fixture, URI endpoint, List<String> tokens) throws Exception {
        var limits = server.dossier().rateLimits();
        limits.set(fixture.tenant().id(), fixture.clientId(), "ows", 1_000_000_000, null);
        var bodies = new ArrayList<String>();
        for (var token : tokens) {
            bodies.add("{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[\"" + token + "\"],\"id\":1}");
        }
        OUT.println("check answers: " + post(endpoint, bodies.getFirst()));
        try {
            var results = Harness.compare(load(o),
                    new Harness.Target("OWS check, limiter off", true, client -> {
                        limits.enabled(false);
                        var body = post(endpoint, bodies.get(client));
                        if (!body.startsWith("{\"result\":{\"clientId\":")) {
                            throw new IllegalStateException("unexpected answer: " + abbreviate(body, 300));
                        }
                    }),
                    new Harness.Target("OWS check, limiter on", true, client -> {
                        limits.enabled(true);
                        var body = post(endpoint, bodies.get(client));
                        if (!body.startsWith("{\"result\":{\"clientId\":")) {
                            throw new IllegalStateException("unexpected answer: " + abbreviate(body, 300));
                        }
                    }));
            report(o, "limiter", results, true);
        } finally {
            limits.enabled(true);
        }
    }

    // ---------------------------------------------------------------- add

    /**
     * CandidateService.add with and without the change feed: the same server, the same requests;
     * without it, the system property {@link io.dossier.core.change.ChangeFeed#BENCH_SKIP_PROPERTY}
     * makes the feed skip every append (each call sets it for the side being measured: the two run
     * one after the other). What the feed costs a write is its change row and the wait for the
     * tenant's feed lock, held from the append to the commit.
     */
    static void add(Options o, Server server, URI endpoint, List<String> tokens) throws Exception {
        var counter = new java.util.concurrent.atomic.AtomicLong();
        java.util.function.IntFunction<String> body = client -> "{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.CandidateService.add\","
                + "\"params\":[\"" + tokens.get(client) + "\",{\"Person\":{\"firstName\":\"Bench\",\"lastName\":\"Add "
                + counter.incrementAndGet() + "\"},\"statusId\":3}],\"id\":1}";
        var property = io.dossier.core.change.ChangeFeed.BENCH_SKIP_PROPERTY;
        var sample = post(endpoint, body.apply(0));
        OUT.println("add answers: " + sample);
        var captured = capture(server.dossier().database(), () -> post(endpoint, body.apply(0)));
        OUT.printf("SQL issued by the server for one add with the feed (%d statements):%n", captured.size());
        for (var q : captured) {
            OUT.println("  " + abbreviate(q.sql(), 200));
        }
        try {
            var results = Harness.compare(load(o),
                    new Harness.Target("OWS add, no feed", true, client -> {
                        System.setProperty(property, "true");
                        var answer = post(endpoint, body.apply(client));
                        if (!answer.startsWith("{\"result\":\"")) {
                            throw new IllegalStateException("unexpected answer: " + abbreviate(answer, 300));
                        }
                    }),
                    new Harness.Target("OWS add, with feed", true, client -> {
                        System.clearProperty(property);
                        var answer = post(endpoint, body.apply(client));
                        if (!answer.startsWith("{\"result\":\"")) {
                            throw new IllegalStateException("unexpected answer: " + abbreviate(answer, 300));
                        }
                    }));
            report(o, "add", results, true);
        } finally {
            System.clearProperty(property);
        }
    }

    // ---------------------------------------------------------------- measuring

    /** The load of every measurement: --clients, --warmup, --seconds and --jit-warmup. */
    static Harness.Load load(Options o) {
        return new Harness.Load(o.clients(), o.warmup(), o.seconds(), o.prewarm());
    }

    static void report(Options o, String title, List<Harness.Result> results, boolean count) {
        Harness.table(title, load(o), results);
        var subject = results.get(1);
        // issue 15's targets for check (0.8 of the bare echo) and list (0.6 of the JDBC page and count)
        double target = title.startsWith("check") ? 0.8 : title.startsWith("add") ? 0.9 : title.startsWith("limiter") ? 0.95
                : title.startsWith("list") ? 0.6 : 0.5;
        Harness.ratio(results.get(0), subject, target);
        boolean search = title.startsWith("search");
        if (title.startsWith("list") || search) {
            Harness.latencyTarget(subject, 0.99, search ? 100 : 50);
        }
        if (title.startsWith("list") && count) {
            OUT.println("  (the server keeps a list's count for session.cache-seconds and, with no write meanwhile, reads only the page;"
                    + " every request here asks the same condition, so it counts about once a cache time, where JDBC counts on every"
                    + " request: --no-count compares the pages alone)");
        }
    }

    // ---------------------------------------------------------------- capturing the SQL

    record Captured(String sql, List<Object> binds) {
    }

    /** Every statement jOOQ executes while {@code work} runs, with its bind values (the server must be otherwise idle). */
    static List<Captured> capture(Database db, Harness.Work work) throws Exception {
        var statements = Harness.statements(db, work);
        statements.forEach(Harness::checkBinds);
        var seen = statements.stream().map(q -> new Captured(q.sql(), q.binds())).toList();
        return seen;
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max / 2) + " … " + s.substring(s.length() - max / 2);
    }

    static int countLeaves(JsonNode node) {
        if (node.isContainerNode()) {
            int n = 0;
            for (var child : node) {
                n += countLeaves(child);
            }
            return n;
        }
        return node.isNull() ? 0 : 1;
    }

    // ---------------------------------------------------------------- bulk load

    /** 1,000,000 candidates (or --rows) straight into rec_candidate with COPY, once; later runs reuse them. */
    static final class Loader {

        /** Columns written, in COPY order; each must exist in the table the server made. */
        static final String[] COLUMNS = {
                "tenant_id", "uid", "f_person__title", "f_person__first_name", "f_person__infix", "f_person__last_name",
                "f_person__initials", "f_person__gender", "f_person__birthdate", "f_person__nationality_code",
                "f_person__language_code", "f_person__email_primary", "f_person__phone_mobile",
                "f_person__address_primary__address", "f_person__address_primary__postcode", "f_person__address_primary__city",
                "f_person__address_primary__country_code", "f_status_id", "f_user_id", "f_entry_date_time", "f_last_modified",
                "f_source", "f_point_of_entry", "f_available_at", "f_notice_term", "f_hours_per_week", "f_salary_expectation",
                "f_currency_id", "f_education_level_id", "f_years_of_experience", "f_current_job_title", "f_current_employer",
                "f_drivers_licence", "f_owns_car", "f_will_relocate", "f_max_travel_distance", "f_do_not_contact",
                "f_gdpr_consent_until", "f_accept_terms"};

        static void ensure(Database db, Options o, Fixture fixture) throws Exception {
            long tenantId = fixture.tenant().id();
            long have;
            try (var c = db.dataSource().getConnection(); var s = c.prepareStatement("SELECT count(*) FROM rec_candidate WHERE tenant_id = ?")) {
                s.setLong(1, tenantId);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    have = rs.getLong(1);
                }
            }
            if (have == o.rows()) {
                OUT.printf("reusing %,d candidates of tenant %s in %s (--fresh reloads)%n", have, TENANT_SLUG, DATABASE);
                return;
            }
            load(db, o, fixture, have);
        }

        static void load(Database db, Options o, Fixture fixture, long have) throws Exception {
            long tenantId = fixture.tenant().id();
            long[] owners = fixture.owners().stream().mapToLong(User::id).toArray();
            var t0 = System.nanoTime();
            var indexes = new LinkedHashMap<String, String>();
            try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
                var columns = new java.util.HashSet<String>();
                try (var rs = s.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'rec_candidate'")) {
                    while (rs.next()) {
                        columns.add(rs.getString(1));
                    }
                }
                for (var column : COLUMNS) {
                    if (!columns.contains(column)) {
                        throw new IllegalStateException("rec_candidate has no column " + column + " (the candidate definition changed?)");
                    }
                }
                if (have > 0) {
                    OUT.printf("found %,d candidates, not %,d: deleting them first%n", have, o.rows());
                    s.execute("DELETE FROM rec_candidate WHERE tenant_id = " + tenantId);
                }
                // The server's secondary indexes (ix_*) are dropped for the load and rebuilt after it, as they were.
                try (var rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                        + " AND tablename = 'rec_candidate' AND indexname LIKE 'ix\\_%'")) {
                    while (rs.next()) {
                        indexes.put(rs.getString(1), rs.getString(2));
                    }
                }
                for (var name : indexes.keySet()) {
                    s.execute("DROP INDEX " + name);
                }
            }
            OUT.printf("loading %,d candidates into rec_candidate with COPY (%d secondary indexes dropped meanwhile)…%n", o.rows(), indexes.size());
            int streams = 2;
            var threads = new ArrayList<Thread>();
            var failure = new AtomicReference<Throwable>();
            for (int k = 0; k < streams; k++) {
                int from = (int) ((long) o.rows() * k / streams);
                int to = (int) ((long) o.rows() * (k + 1) / streams);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        copy(o, tenantId, owners, from, to);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (var t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("COPY failed", failure.get());
            }
            var t1 = System.nanoTime();
            OUT.printf("  copied in %.1f s; rebuilding %d indexes…%n", (t1 - t0) / 1e9, indexes.size());
            var queue = new ConcurrentLinkedQueue<>(indexes.values());
            threads.clear();
            for (int k = 0; k < 2; k++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (var c = DriverManager.getConnection(benchUrl(o), "postgres", ""); var s = c.createStatement()) {
                        s.execute("SET maintenance_work_mem = '256MB'");
                        s.execute("SET max_parallel_maintenance_workers = 0");
                        String ddl;
                        while ((ddl = queue.poll()) != null) {
                            s.execute(ddl);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (var t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("index rebuild failed", failure.get());
            }
            var t2 = System.nanoTime();
            try (var c = DriverManager.getConnection(benchUrl(o), "postgres", ""); var s = c.createStatement()) {
                s.execute("VACUUM (ANALYZE) rec_candidate");
            }
            var t3 = System.nanoTime();
            OUT.printf("  indexes in %.1f s, VACUUM (ANALYZE) in %.1f s; %,d candidates loaded in %.1f s%n",
                    (t2 - t1) / 1e9, (t3 - t2) / 1e9, o.rows(), (t3 - t0) / 1e9);
        }

        static void copy(Options o, long tenantId, long[] owners, int from, int to) throws Exception {
            try (Connection c = DriverManager.getConnection(benchUrl(o), "postgres", "")) {
                var copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "COPY rec_candidate (" + String.join(", ", COLUMNS) + ") FROM STDIN");
                try {
                    var row = new StringBuilder(1024);
                    var chunk = new StringBuilder(1 << 20);
                    for (int i = from; i < to; i++) {
                        row.setLength(0);
                        Rows.write(row, i, tenantId, owners);
                        chunk.append(row);
                        if (chunk.length() > (1 << 20) - 2048) {
                            var bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                            copy.writeToCopy(bytes, 0, bytes.length);
                            chunk.setLength(0);
                        }
                    }
                    var bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    copy.endCopy();
                } finally {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                }
            }
        }
    }

    /** One candidate per row number, deterministic; COPY text format (tab separated, \N for null). */
    static final class Rows {

        /** statusId 1..7 of the definition's candidateStatus list: most candidates end archived or not available. */
        static final double[] STATUS_SHARE = {0.06, 0.04, 0.12, 0.03, 0.08, 0.17, 0.50};
        static final Zipf LAST = new Zipf(Names.LAST.length, 0.9);
        static final Zipf FIRST_M = new Zipf(Names.FIRST_M.length, 0.8);
        static final Zipf FIRST_F = new Zipf(Names.FIRST_F.length, 0.8);
        static final Zipf CITY = new Zipf(Names.CITIES.length, 1.0);
        static final Zipf OWNER = new Zipf(OWNERS, 0.7);
        static final Zipf JOB = new Zipf(Names.JOBS.length, 0.8);
        static final Zipf EMPLOYER = new Zipf(Names.EMPLOYERS.length, 0.9);
        static final String[] NATIONALITY = {"NL", "NL", "NL", "NL", "NL", "NL", "NL", "NL", "NL", "NL", "NL", "NL", "NL", "NL", "NL", "NL",
                "BE", "DE", "PL", "TR", "MA", "RO", "SR", "GB", "IN", "ES"};
        static final String[] SOURCE = {"website", "website", "website", "LinkedIn", "LinkedIn", "Indeed", "Nationale Vacaturebank",
                "referral", "walk-in", "open application"};
        static final String[] POINT = {"web", "web", "web", "manual", "email", "jobboard", "jobboard", "referral", "import"};
        static final String[] TITLES = {"dr.", "ir.", "drs.", "mr.", "ing."};
        static final String[] MAIL = {"gmail.com", "gmail.com", "gmail.com", "hotmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl", "live.nl", "icloud.com"};
        static final long EPOCH_2012 = LocalDate.of(2012, 1, 1).toEpochDay();
        static final long DAYS = LocalDate.of(2026, 11, 1).toEpochDay() - EPOCH_2012;

        static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        static void write(StringBuilder out, int i, long tenantId, long[] owners) {
            var r = new SplittableRandom(mix(i * 0x9E3779B97F4A7C15L + 17));
            // uid: 32 hex characters like the server's, unique because mix() is a bijection of the row number
            var uid = String.format(Locale.ROOT, "%016x%016x", mix(i + 0x51ED2701L), mix(~(long) i));
            boolean female = r.nextInt(100) < 49;
            var first = female ? Names.FIRST_F[FIRST_F.sample(r)] : Names.FIRST_M[FIRST_M.sample(r)];
            var fullLast = Names.LAST[LAST.sample(r)];
            String infix = null;
            String last = fullLast;
            int space = fullLast.lastIndexOf(' ');
            if (space > 0 && Character.isLowerCase(fullLast.charAt(0))) {
                infix = fullLast.substring(0, space);
                last = fullLast.substring(space + 1);
            }
            var birth = LocalDate.ofEpochDay(LocalDate.of(1960, 1, 1).toEpochDay() + r.nextInt(45 * 365));
            long entryDay = EPOCH_2012 + (long) (DAYS * Math.sqrt(r.nextDouble())); // more recent candidates are more common
            int entrySecond = r.nextInt(86_400);
            long modifiedDay = Math.min(EPOCH_2012 + DAYS, entryDay + (long) (r.nextDouble() * r.nextDouble() * 1500));
            int status = 1;
            double u = r.nextDouble(), acc = 0;
            for (int k = 0; k < STATUS_SHARE.length; k++) {
                acc += STATUS_SHARE[k];
                if (u < acc) {
                    status = k + 1;
                    break;
                }
            }
            var city = Names.CITIES[CITY.sample(r)];
            var local = (first + "." + (infix == null ? "" : infix.replace(" ", "") ) + last).toLowerCase(Locale.ROOT)
                    .replace("'", "").replace(' ', '.');

            col(out, Long.toString(tenantId));
            col(out, uid);
            col(out, r.nextInt(100) < 3 ? TITLES[r.nextInt(TITLES.length)] : null);
            col(out, first);
            col(out, infix);
            col(out, last);
            col(out, first.charAt(0) + ".");
            col(out, r.nextInt(100) < 2 ? "x" : female ? "f" : "m");
            col(out, birth.toString());
            col(out, NATIONALITY[r.nextInt(NATIONALITY.length)]);
            col(out, r.nextInt(100) < 85 ? "nl" : "en");
            col(out, local + (r.nextInt(3) == 0 ? Integer.toString(r.nextInt(100)) : "") + "@" + MAIL[r.nextInt(MAIL.length)]);
            col(out, String.format(Locale.ROOT, "+31 6 %08d", r.nextInt(100_000_000)));
            col(out, Names.STREETS[r.nextInt(Names.STREETS.length)] + " " + (1 + r.nextInt(250)));
            col(out, String.format(Locale.ROOT, "%04d %c%c", 1000 + r.nextInt(9000), (char) ('A' + r.nextInt(26)), (char) ('A' + r.nextInt(26))));
            col(out, city);
            col(out, "NL");
            col(out, Integer.toString(status));
            col(out, Long.toString(owners[OWNER.sample(r)]));
            col(out, LocalDate.ofEpochDay(entryDay) + String.format(Locale.ROOT, " %02d:%02d:%02d+00", entrySecond / 3600, entrySecond / 60 % 60, entrySecond % 60));
            col(out, LocalDate.ofEpochDay(modifiedDay) + String.format(Locale.ROOT, " %02d:%02d:%02d+00", r.nextInt(24), r.nextInt(60), r.nextInt(60)));
            col(out, SOURCE[r.nextInt(SOURCE.length)]);
            col(out, POINT[r.nextInt(POINT.length)]);
            col(out, r.nextInt(100) < 40 ? LocalDate.ofEpochDay(modifiedDay + r.nextInt(120)).toString() : null);
            col(out, r.nextInt(100) < 50 ? Integer.toString(new int[] {0, 2, 4, 4, 4, 8, 13}[r.nextInt(7)]) : null);
            col(out, r.nextInt(100) < 70 ? Integer.toString(new int[] {16, 24, 32, 32, 36, 38, 40, 40, 40}[r.nextInt(9)]) : null);
            col(out, r.nextInt(100) < 45 ? Integer.toString(2000 + 100 * r.nextInt(50)) : null);
            col(out, "1");
            col(out, r.nextInt(100) < 80 ? Integer.toString(1 + r.nextInt(6)) : null);
            col(out, Integer.toString(r.nextInt(30)));
            col(out, r.nextInt(100) < 75 ? Names.JOBS[JOB.sample(r)] : null);
            col(out, r.nextInt(100) < 60 ? Names.EMPLOYERS[EMPLOYER.sample(r)] : null);
            col(out, r.nextInt(100) < 70 ? "t" : "f");
            col(out, r.nextInt(100) < 55 ? "t" : "f");
            col(out, r.nextInt(100) < 15 ? "t" : "f");
            col(out, r.nextInt(100) < 60 ? Integer.toString(5 * (1 + r.nextInt(16))) : null);
            col(out, r.nextInt(100) < 3 ? "t" : "f");
            col(out, LocalDate.ofEpochDay(entryDay + 730).toString());
            col(out, "t");
            out.setCharAt(out.length() - 1, '\n');
        }

        static void col(StringBuilder out, String value) {
            if (value == null) {
                out.append("\\N");
            } else {
                for (int k = 0; k < value.length(); k++) {
                    char ch = value.charAt(k);
                    switch (ch) {
                        case '\\' -> out.append("\\\\");
                        case '\t' -> out.append("\\t");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        default -> out.append(ch);
                    }
                }
            }
            out.append('\t');
        }
    }

    /** Ranks 0..n-1 with probability proportional to 1/(rank+1)^s. */
    static final class Zipf {
        private final double[] cumulative;

        Zipf(int n, double s) {
            cumulative = new double[n];
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += 1 / Math.pow(k + 1, s);
                cumulative[k] = sum;
            }
            for (int k = 0; k < n; k++) {
                cumulative[k] /= sum;
            }
        }

        int sample(SplittableRandom r) {
            int at = Arrays.binarySearch(cumulative, r.nextDouble());
            return Math.min(cumulative.length - 1, at >= 0 ? at : -at - 1);
        }
    }

    /** Dutch-flavoured name lists, most frequent first (the Zipf samplers favour the front). */
    static final class Names {
        static final String[] CONSULTANTS = {"Sanne Visser", "Mark de Boer", "Lotte Jansen", "Thijs Bakker", "Fleur Smit", "Jeroen Mulder",
                "Iris de Groot", "Ruben Bos", "Eva Vos", "Bas Peters", "Noor Hendriks", "Koen van Leeuwen", "Anouk Dekker", "Tim Brouwer",
                "Lisa de Wit", "Joris Dijkstra", "Maud Smits", "Stijn de Graaf", "Femke van der Meer", "Daan Kok"};

        static final String[] LAST = {"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
                "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
                "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
                "van der Veen", "van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet",
                "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters",
                "de Jonge", "Kuipers", "van Veen", "Post", "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten", "van Wijk", "Postma",
                "Martens", "Vink", "de Ridder", "Jonker", "van der Velde", "Dijkman", "Molenaar", "Groen", "Wouters", "Koning", "Boer",
                "Gerritsen", "Haan", "Hermans", "Evers", "van Rijn", "Goossens", "Kroon", "Bosch", "Verbeek", "Timmermans", "Lambrechts",
                "Sanders", "Wolters", "van Loon", "Driessen", "Lammers", "Stam", "Brink", "Bouwman", "Hoogendoorn", "van der Laan", "Mertens",
                "Claassen", "Wijnands", "Yilmaz", "Kaya", "El Amrani", "Bouzid", "Nowak", "Kowalski", "Wiśniewski", "Popescu", "Müller",
                "Schmidt", "Smith", "Jones", "García", "Fernandes", "Rossi", "Nguyen", "Patel", "Singh", "Öztürk", "Şahin", "Çelik", "Doğan",
                "Ramdin", "Sewdien", "Biharie", "Pinas", "Tjon A Fong", "Kartosen", "Verschuren", "Aarts", "Bakkers", "Bergsma", "Bijl",
                "Boekhout", "Brands", "Bruggeman", "Castelijn", "Coenen", "Damen", "Derks", "Donkers", "Elzinga", "Everts", "Faber", "Franken",
                "Geurts", "Gijsbers", "Groenewegen", "Haverkamp", "Heemskerk", "Hofman", "Hoogland", "Huijbregts", "IJzerman", "Jaspers",
                "Kamphuis", "Keizer", "Klaassen", "Kloosterman", "Knol", "Koopman", "Kools", "Lanting", "Leenders", "Looijen", "Luijten",
                "Meijerink", "Michels", "Mol", "Nieuwenhuis", "Nijland", "Noordhuis", "Oosterhuis", "Otten", "Pauwels", "Pieters", "Poot",
                "Reijnders", "Rijken", "Roelofs", "Rutten", "Schipper", "Schreuder", "Sijbrandij", "Slot", "Span", "Steenbergen", "Swinkels",
                "Terpstra", "Tiemens", "Uijl", "Valk", "Veldhuis", "Verhagen", "Visscher", "Vonk", "Vrolijk", "Wagenaar", "Westerhof",
                "Wiersma", "Zijlstra", "Zwart", "ter Horst", "ten Hove", "op den Akker", "in 't Veld", "van 't Hof", "van der Zande",
                "de Lange", "de Kok", "van Essen", "van Gils", "van Hout", "van Ommen", "van Zanten", "de Wilde", "de Koning", "van Doorn"};

        static final String[] FIRST_M = {"Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Jesse", "Noah", "Bram", "Luuk", "Thomas",
                "Lars", "Thijs", "Ruben", "Tim", "Sven", "Jeroen", "Mark", "Peter", "Jan", "Kees", "Willem", "Pieter", "Dennis", "Martijn",
                "Bas", "Erik", "Michiel", "Joost", "Rick", "Niels", "Stefan", "Wouter", "Koen", "Sander", "Vincent", "Hans", "Gerard",
                "Rob", "Frank", "Mohamed", "Ahmed", "Youssef", "Mehmet", "Ali", "Emre", "Piotr", "Tomasz", "Andrei", "Rajesh", "Arjun",
                "Jasper", "Tom", "Stijn", "Max", "Julian", "Sam", "Gijs", "Hugo", "Olivier", "Floris", "Roel", "Jorik", "Teun", "Mees",
                "Otto", "Casper", "Hidde", "Jelle", "Sjoerd", "Wessel", "Bart", "Arjan", "Edwin", "Marco", "Patrick", "Ronald", "Richard",
                "Johan", "Henk", "Ad", "Cor", "Dirk", "Gert", "Harm", "Jorrit", "Lennart", "Maarten", "Rutger", "Siebe"};

        static final String[] FIRST_F = {"Emma", "Julia", "Sophie", "Tess", "Zoë", "Mila", "Sara", "Anna", "Eva", "Lotte", "Lisa",
                "Fleur", "Sanne", "Iris", "Anouk", "Femke", "Noor", "Maud", "Sarah", "Laura", "Esther", "Marieke", "Linda", "Monique",
                "Anja", "Petra", "Ingrid", "Marloes", "Nicole", "Kim", "Manon", "Ilse", "Inge", "Ellen", "Saskia", "Wendy", "Yvonne",
                "Fatima", "Khadija", "Aylin", "Elif", "Zeynep", "Agnieszka", "Katarzyna", "Ioana", "Priya", "Anjali", "Nina", "Roos",
                "Lieke", "Evi", "Jasmijn", "Liv", "Nova", "Yara", "Fenna", "Isa", "Floor", "Merel", "Demi", "Britt", "Romy", "Charlotte",
                "Hanna", "Vera", "Lieve", "Suze", "Elin", "Jet", "Feline", "Janneke", "Mirjam", "Annemiek", "Carla", "Diana", "Heleen",
                "Judith", "Karin", "Mariska", "Natasja", "Renate", "Sandra", "Tamara", "Wilma", "Astrid", "Bianca", "Chantal", "Danielle"};

        static final String[] CITIES = {"Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere",
                "Breda", "Nijmegen", "Apeldoorn", "Arnhem", "Haarlem", "Haarlemmermeer", "Amersfoort", "Zaanstad", "Enschede",
                "'s-Hertogenbosch", "Zwolle", "Leiden", "Zoetermeer", "Leeuwarden", "Maastricht", "Dordrecht", "Ede", "Alphen aan den Rijn",
                "Westland", "Alkmaar", "Emmen", "Delft", "Venlo", "Deventer", "Sittard-Geleen", "Helmond", "Oss", "Amstelveen", "Hilversum",
                "Súdwest-Fryslân", "Heerlen", "Nissewaard", "Hengelo", "Purmerend", "Roosendaal", "Schiedam", "Lelystad", "Leidschendam",
                "Gouda", "Vlaardingen", "Almelo", "Hoorn", "Velsen", "Assen", "Capelle aan den IJssel", "Veenendaal", "Katwijk", "Zeist",
                "Nieuwegein", "Roermond", "Den Helder", "Doetinchem", "Hoogeveen", "Terneuzen", "Kampen", "Woerden", "Heerhugowaard"};

        static final String[] STREETS = {"Kerkstraat", "Schoolstraat", "Molenweg", "Dorpsstraat", "Stationsweg", "Julianastraat",
                "Beatrixlaan", "Wilhelminastraat", "Nieuwstraat", "Hoofdstraat", "Parallelweg", "Industrieweg", "Eikenlaan", "Beukenlaan",
                "Lindelaan", "Prinses Irenestraat", "Oranjestraat", "Marktplein", "Havenkade", "Spoorstraat", "Emmastraat", "Sportlaan",
                "Kastanjelaan", "Burgemeester de Withstraat", "Van Goghlaan", "Rembrandtplein", "Vondelstraat", "Keizersgracht", "Singel",
                "Zuidwal", "Noordeinde", "Westersingel", "Oostvest", "Kanaalweg", "Jan Steenstraat", "Dahliastraat", "Tulpstraat"};

        static final String[] JOBS = {"Administratief medewerker", "Logistiek medewerker", "Orderpicker", "Heftruckchauffeur",
                "Productiemedewerker", "Klantenservicemedewerker", "Verkoopmedewerker", "Accountmanager", "Financieel administrateur",
                "Boekhouder", "Software developer", "Java developer", "Data analist", "Projectmanager", "HR-adviseur", "Recruiter",
                "Verpleegkundige", "Verzorgende IG", "Leraar basisonderwijs", "Monteur", "Elektromonteur", "Servicetechnicus",
                "Werkvoorbereider", "Calculator", "Magazijnmedewerker", "Chauffeur C/E", "Receptionist", "Office manager",
                "Marketingmedewerker", "Teamleider", "Operator", "Planner", "Inkoper", "Beleidsmedewerker", "Jurist", "Controller"};

        static final String[] EMPLOYERS = {"Albert Heijn", "Jumbo", "PostNL", "bol.com", "Philips", "ASML", "Rabobank", "ING", "ABN AMRO",
                "KLM", "NS", "Gemeente Amsterdam", "Gemeente Rotterdam", "Randstad", "Tempo-Team", "Heineken", "Ahold Delhaize", "Coolblue",
                "Unilever", "Shell", "KPN", "Vodafoneziggo", "DHL", "Action", "HEMA", "Erasmus MC", "UMC Utrecht", "Belastingdienst",
                "Defensie", "Stedin", "Eneco", "Vattenfall", "BAM", "Heijmans", "Dura Vermeer", "Van Oord", "Boskalis", "Exact", "AFAS"};
    }
}
