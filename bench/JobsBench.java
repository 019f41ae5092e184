import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Durable jobs on several nodes against plain JDBC doing the same database work, in one run; see
 * bench/jobs.sh for the command and what it prints. The nodes are {@code dossier start} processes
 * on the database {@code dossier_jobs_bench}; jobs are inserted with JDBC in one transaction (the
 * enqueue is not what is measured), and the time runs from that commit until the last job is done.
 */
public class JobsBench {

    static final String DATABASE = "dossier_jobs_bench";
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE + "?user=postgres";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Options(int jobs, int nodes, int concurrency, int pollMillis, Path work) {
    }

    public static void main(String[] arguments) throws Exception {
        var args = new Harness.Args(arguments, "bench/jobs.sh [--jobs 10000] [--nodes 2] [--concurrency 16] [--poll-millis 100] [--work DIR]");
        var options = new Options(args.integer("--jobs", 10_000, 1, 10_000_000), args.integer("--nodes", 2, 1, 16),
                args.integer("--concurrency", 16, 1, 1024), args.integer("--poll-millis", 100, 1, 60_000),
                Path.of(args.text("--work", Path.of(System.getProperty("java.io.tmpdir"), "dossier-jobs-bench").toString())));
        args.done();
        run(options);
    }

    static void run(Options o) throws Exception {
        Files.createDirectories(o.work());
        System.out.printf("jobs bench: %d jobs, %d nodes of concurrency %d polling every %d ms; %d cores, java %s; load %s%n", o.jobs(),
                o.nodes(), o.concurrency(), o.pollMillis(), Runtime.getRuntime().availableProcessors(), Runtime.version(), load());
        try (var c = DriverManager.getConnection(ADMIN_URL); var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        var processes = new ArrayList<Process>();
        var ports = new ArrayList<Integer>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
        try {
            for (int n = 0; n < o.nodes(); n++) {
                int port = Harness.freePort();
                ports.add(port);
                processes.add(launch(o, n, port));
                // one at a time: the first migrates the schema
                Harness.awaitReady(processes.get(n), port, o.work().resolve("node-" + n + ".log"));
            }
            System.out.printf("%d nodes ready%n", o.nodes());

            // the baseline: the job system's statements over plain JDBC, as many threads as nodes, none running on the nodes
            insert(o.jobs(), "bench.baseline");
            var baseline = baseline(o);
            System.out.printf("  %-44s %8.0f jobs/s  (%d jobs in %.2f s)%n", "plain JDBC (claim batch, complete each)", o.jobs() / baseline,
                    o.jobs(), baseline);

            var before = new long[o.nodes()];
            for (int n = 0; n < o.nodes(); n++) {
                before[n] = attempts(ports.get(n), "done");
            }
            long started = insert(o.jobs(), "noop");
            double seconds = awaitDone(o.jobs(), started);
            System.out.printf("  %-44s %8.0f jobs/s  (%d jobs in %.2f s, from the commit of their insert to the last done)%n",
                    o.nodes() + " Dossier nodes (noop jobs)", o.jobs() / seconds, o.jobs(), seconds);
            System.out.printf("  ratio Dossier / plain JDBC = %.2f%n", baseline / seconds);

            // exactly once: the table, and each node's own count of the handlers it ran
            long total = 0;
            long lost = 0;
            var perNode = new ArrayList<String>();
            for (int n = 0; n < o.nodes(); n++) {
                long done = attempts(ports.get(n), "done") - before[n];
                total += done;
                lost += attempts(ports.get(n), "lost") + attempts(ports.get(n), "failed") + attempts(ports.get(n), "dead");
                perNode.add("node-" + n + " " + done);
            }
            long doneOnce = count("SELECT count(*) FROM job WHERE kind = 'noop' AND state = 'DONE' AND attempts = 1");
            boolean exactlyOnce = total == o.jobs() && lost == 0 && doneOnce == o.jobs();
            System.out.printf("  exactly once: %s (runs counted by the nodes %d: %s; lost or failed %d; done with one attempt in the table %d)%n",
                    exactlyOnce ? "yes" : "NO", total, String.join(", ", perNode), lost, doneOnce);
            if (!exactlyOnce) {
                System.exit(1);
            }
        } finally {
            processes.forEach(Process::destroy);
            for (var p : processes) {
                p.waitFor();
            }
        }
    }

    static Process launch(Options o, int n, int port) throws IOException {
        var log = o.work().resolve("node-" + n + ".log");
        Files.deleteIfExists(log);
        var env = Harness.nodeEnvironment(DATABASE, o.work(), port);
        env.put("DOSSIER_JOBS_CONCURRENCY", Integer.toString(o.concurrency()));
        env.put("DOSSIER_JOBS_POLL_MILLIS", Integer.toString(o.pollMillis()));
        return Harness.startNode(List.of("-Xmx256m"), env, List.of("start"), log);
    }

    /** Inserts {@code n} due jobs of {@code kind} in one transaction; returns System.nanoTime() at its commit. */
    static long insert(int n, String kind) throws SQLException {
        try (var c = DriverManager.getConnection(URL)) {
            c.setAutoCommit(false);
            var now = Timestamp.from(Instant.now());
            var deadline = Timestamp.from(Instant.now().plus(Duration.ofHours(1)));
            try (var s = c.prepareStatement("INSERT INTO job (kind, payload, state, attempts, next_attempt_at, deadline_at, created_at)"
                    + " VALUES (?, '', 'QUEUED', 0, ?, ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    s.setString(1, kind);
                    s.setTimestamp(2, now);
                    s.setTimestamp(3, deadline);
                    s.setTimestamp(4, now);
                    s.addBatch();
                }
                s.executeBatch();
            }
            c.commit();
            return System.nanoTime();
        }
    }

    /** The job system's statements over plain JDBC: each thread claims a batch (SKIP LOCKED) and completes each job; returns seconds. */
    static double baseline(Options o) throws Exception {
        var done = new AtomicLong();
        var threads = new ArrayList<Thread>();
        long started = System.nanoTime();
        for (int t = 0; t < o.nodes(); t++) {
            int node = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try (var c = DriverManager.getConnection(URL)) {
                    while (true) {
                        c.setAutoCommit(false);
                        var ids = new ArrayList<Long>();
                        var now = Timestamp.from(Instant.now());
                        try (var s = c.prepareStatement("SELECT id FROM job WHERE state IN ('QUEUED','FAILED','RUNNING') AND next_attempt_at <= ?"
                                + " AND kind = 'bench.baseline' ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                            s.setTimestamp(1, now);
                            s.setInt(2, o.concurrency());
                            try (var rs = s.executeQuery()) {
                                while (rs.next()) {
                                    ids.add(rs.getLong(1));
                                }
                            }
                        }
                        if (ids.isEmpty()) {
                            c.commit();
                            return;
                        }
                        var token = java.util.UUID.randomUUID().toString();
                        try (var s = c.prepareStatement("UPDATE job SET state = 'RUNNING', attempts = attempts + 1, node = ?, claim_token = ?,"
                                + " next_attempt_at = ? WHERE id = ANY (?)")) {
                            s.setString(1, "baseline-" + node);
                            s.setString(2, token);
                            s.setTimestamp(3, Timestamp.from(Instant.now().plusSeconds(60)));
                            s.setArray(4, c.createArrayOf("bigint", ids.toArray()));
                            s.executeUpdate();
                        }
                        c.commit();
                        c.setAutoCommit(true);
                        for (var id : ids) {
                            try (var s = c.prepareStatement("UPDATE job SET state = 'DONE', finished_at = ?, claim_token = NULL"
                                    + " WHERE id = ? AND claim_token = ? AND state = 'RUNNING'")) {
                                s.setTimestamp(1, Timestamp.from(Instant.now()));
                                s.setLong(2, id);
                                s.setString(3, token);
                                s.executeUpdate();
                            }
                            done.incrementAndGet();
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (var t : threads) {
            t.join();
        }
        if (done.get() != o.jobs()) {
            throw new IllegalStateException("the baseline completed " + done.get() + " jobs");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    static double awaitDone(int n, long started) throws Exception {
        while (true) {
            long done = count("SELECT count(*) FROM job WHERE kind = 'noop' AND state = 'DONE'");
            if (done >= n) {
                return (System.nanoTime() - started) / 1e9;
            }
            if (System.nanoTime() - started > Duration.ofMinutes(10).toNanos()) {
                throw new IllegalStateException("only " + done + " of " + n + " jobs done after 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    static long count(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(URL); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long attempts(int port, String outcome) throws Exception {
        var metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        var m = Pattern.compile("(?m)^dossier_job_attempts_total\\{kind=\"noop\",outcome=\"" + outcome + "\"} (\\S+)$").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    static String load() {
        return Harness.loadAverage();
    }
}
