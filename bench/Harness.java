import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The closed-loop load runner the bench/*.java programs share (lifted from OwsBench's measuring
 * code): N clients calling back to back for warm-up plus measured seconds (or a warm-up that lasts
 * until the server's JIT has settled), req/s, p50/p99/max (also of the parts a call times on its
 * own), errors, CPU of this JVM, of the bench database's PostgreSQL backends and of a server
 * running as a process of its own, the load of everything else on the machine ("foreign"), a
 * wait for a quiet machine before each measurement, and the
 * ratio subject/baseline of two targets measured in the same run (in halves, baseline, subject,
 * subject, baseline: see {@link #compare}).
 *
 * <p>Not a program of its own: JDK 22+'s source launcher compiles it on demand when a bench in this
 * folder names it ({@code java -cp … bench/LogicalDocBench.java} finds {@code bench/Harness.java}).
 * Everything here is static; a bench sets {@link #database} (whose PostgreSQL backends count as
 * "PG") and prints through {@link #OUT} once the server's log has been sent elsewhere.
 */
final class Harness {

    static {
        // The client closes idle pooled connections (10 s) before Jetty does (30 s), so no request is sent on a connection the
        // server is closing; with the default (30 s each) an occasional request fails with "header parser received no bytes".
        System.setProperty("jdk.httpclient.keepalive.timeout", "10");
    }

    /** This program's report: standard output as it was before {@link #serverLogTo} sent System.out to a file. */
    static PrintStream OUT = System.out;

    /** The database whose PostgreSQL backends' CPU is counted as PG (their process title names it). */
    static volatile String database = "postgres";

    /** How long {@link #waitForQuiet} waits at most for a quiet machine (--quiet-wait; 0 does not wait). */
    static volatile int quietWaitSeconds = 60;

    /**
     * The server measured when it runs as a process of its own (bench/files.sh), else -1: its CPU
     * counts as "server" rather than foreign, with its JIT compiler threads' share of it.
     */
    static volatile long serverPid = -1;

    private Harness() {
    }

    /**
     * The settings every bench's in-process server starts from: loopback on a free port, PostgreSQL
     * database {@code database} at 127.0.0.1:5432 (user postgres, a pool of 16), blobs in
     * {@code work}/blobs, no rate limit (the clients send as fast as they can). A bench adds its own;
     * system properties {@code bench.server.<setting>} set or replace any of these (to compare a setting).
     */
    static Map<String, String> serverConfig(String database, Path work) {
        var config = new HashMap<String, String>();
        config.put("http.host", "127.0.0.1");
        config.put("http.port", "0");
        config.put("db.url", "jdbc:postgresql://127.0.0.1:5432/" + database);
        config.put("db.user", "postgres");
        config.put("db.pool-size", "16");
        config.put("blob.store", "folder");
        config.put("blob.folder", work.resolve("blobs").toString());
        config.put("http.shutdown-grace-seconds", "5");
        config.put("ratelimit.enabled", "false");
        // -Dbench.server.<setting>=<value> (in <BENCH>_JAVA_OPTS) sets any server setting for a run, to compare
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench.server."))
                .forEach(name -> config.put(name.substring("bench.server.".length()), System.getProperty(name)));
        return config;
    }

    /**
     * Sends System.out (where Logback's console appender writes the in-process server's log) to
     * {@code log}, keeping the report on the real standard output ({@link #OUT}).
     */
    static void serverLogTo(Path log) throws IOException {
        OUT = System.out;
        System.setOut(new PrintStream(new BufferedOutputStream(new FileOutputStream(log.toFile(), true), 1 << 16), true, StandardCharsets.UTF_8));
    }

    /**
     * The in-process server a bench measures, after the bench's first line ({@code title}, the
     * machine, the database): creates {@code work}, sends the server's log to work/server.log,
     * counts {@code database}'s backends as PG, creates that database on the local PostgreSQL
     * {@code pg} (host:port) when missing (anew when {@code fresh}), and starts the server on
     * {@link #serverConfig} and {@code settings}.
     */
    static io.dossier.server.Server startServer(String title, String pg, String database, Path work, boolean fresh,
            Map<String, String> settings) throws Exception {
        Files.createDirectories(work);
        var log = work.resolve("server.log");
        // Logback's console appender writes to whatever System.out is when it logs: the server's log goes to the file
        serverLogTo(log);
        Harness.database = database;
        OUT.printf("%s: %d cores, java %s, load %s; PostgreSQL %s/%s; server log: %s%n", title, Runtime.getRuntime().availableProcessors(),
                Runtime.version(), loadAverage(), pg, database, log);
        prepareDatabase("jdbc:postgresql://" + pg + "/postgres?user=postgres", database, fresh);
        var config = serverConfig(database, work);
        config.put("db.url", "jdbc:postgresql://" + pg + "/" + database);
        config.putAll(settings);
        long started = System.nanoTime();
        // through the config-file parser, not the record's constructor, so that new settings get their defaults
        var server = io.dossier.server.Server.start(io.dossier.server.config.Settings.production(config, Map.of()));
        OUT.printf("server started on 127.0.0.1:%d in %d ms%n", server.port(), (System.nanoTime() - started) / 1_000_000);
        return server;
    }

    /** Prints the trace and exits 1 (the source launcher can fail to print the trace itself, JDK 25). */
    static void fail(Throwable e) {
        System.out.flush();
        OUT.flush();
        e.printStackTrace(System.err);
        System.exit(1);
    }

    // ---------------------------------------------------------------- database

    /** Creates {@code name} on the local PostgreSQL when missing; drops and recreates it when {@code fresh}. Touches no other database. */
    static void prepareDatabase(String adminUrl, String name, boolean fresh) throws SQLException {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name: lower-case letters, digits and underscores: " + name);
        }
        try (var c = DriverManager.getConnection(adminUrl); var s = c.createStatement()) {
            boolean exists;
            try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                exists = rs.next();
            }
            if (exists && fresh) {
                OUT.println("--fresh: dropping database " + name);
                s.execute("DROP DATABASE " + name + " WITH (FORCE)");
                exists = false;
            }
            if (!exists) {
                s.execute("CREATE DATABASE " + name);
                OUT.println("created database " + name);
            }
        }
    }

    /**
     * A statement jOOQ executed: its SQL, bind values, {start, nanoseconds from execute start to end
     * (0 if no end was seen)} and the thread that ran it.
     */
    record Statement(String sql, List<Object> binds, long[] nanos, long thread) {
    }

    interface Work {
        void run() throws Exception;
    }

    /** Every statement the server's jOOQ executes while {@code work} runs (the server otherwise idle: other threads' are caught too). */
    static List<Statement> statements(io.dossier.store.sql.Database db, Work work) throws Exception {
        var configuration = db.sql().configuration();
        org.jooq.ExecuteListenerProvider[] saved = configuration.executeListenerProviders();
        var seen = java.util.Collections.synchronizedList(new ArrayList<Statement>());
        var current = new ThreadLocal<Statement>();
        var listener = new org.jooq.ExecuteListener() {
            @Override
            public void executeStart(org.jooq.ExecuteContext ctx) {
                var binds = ctx.query() == null ? List.<Object>of() : new ArrayList<Object>(ctx.query().getBindValues());
                var q = new Statement(ctx.sql(), binds, new long[] {System.nanoTime(), 0}, Thread.currentThread().threadId());
                current.set(q);
                seen.add(q);
            }

            @Override
            public void executeEnd(org.jooq.ExecuteContext ctx) {
                var q = current.get();
                if (q != null) {
                    q.nanos()[1] = System.nanoTime() - q.nanos()[0];
                    current.remove();
                }
            }
        };
        var with = Arrays.copyOf(saved, saved.length + 1);
        with[saved.length] = new org.jooq.impl.DefaultExecuteListenerProvider(listener);
        configuration.set(with);
        var plain = db.watch((sql, binds) -> {   // what goes around jOOQ (Database#read)
            var q = new Statement(sql, new ArrayList<Object>(binds), new long[] {System.nanoTime(), 0}, Thread.currentThread().threadId());
            seen.add(q);
            return () -> q.nanos()[1] = System.nanoTime() - q.nanos()[0];
        });
        try {
            work.run();
        } finally {
            configuration.set(saved);
            plain.close();
        }
        return List.copyOf(seen);
    }

    /** Fails when a captured statement's bind values do not fill its placeholders (a baseline could not replay it). */
    static void checkBinds(Statement q) {
        long marks = q.sql().chars().filter(ch -> ch == '?').count();
        if (marks != q.binds().size()) {
            throw new IllegalStateException("captured " + q.binds().size() + " binds for " + marks + " placeholders: " + q.sql());
        }
    }

    // ---------------------------------------------------------------- HTTP

    /** The client of the current measurement: each measurement gets a new one, so no connection idles between them. */
    static volatile HttpClient http = newHttpClient();

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    // ---------------------------------------------------------------- one statement at a time

    /** Sets {@code binds} as the statement's parameters, in order. */
    static void bind(java.sql.PreparedStatement s, List<Object> binds) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            s.setObject(i + 1, binds.get(i));
        }
    }

    /** Runs a query and reads every column of every row, as a client would. */
    static void readAll(java.sql.Connection c, String sql, List<Object> binds) throws SQLException {
        try (var s = c.prepareStatement(sql)) {
            bind(s, binds);
            try (var rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int k = 1; k <= columns; k++) {
                        rs.getObject(k);
                    }
                }
            }
        }
    }

    /** Prints PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of a query, indented. */
    static void explain(java.sql.Connection c, String sql, List<Object> binds) throws SQLException {
        try (var s = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            bind(s, binds);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    OUT.println("      " + rs.getString(1));
                }
            }
        }
    }

    /** The median milliseconds of 30 runs of {@code work}, one at a time, after 5 unmeasured. */
    static double medianMs(Work work) throws Exception {
        var times = new long[30];
        for (int i = -5; i < times.length; i++) {
            long t = System.nanoTime();
            work.run();
            if (i >= 0) {
                times[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(times);
        return times[times.length / 2] / 1e6;
    }

    // ---------------------------------------------------------------- measuring

    /** One call of a client (0 … clients-1); an exception counts as an error. */
    interface Call {
        void run(int client) throws Exception;
    }

    /**
     * How to load: {@code clients} concurrent loops, {@code warmup} seconds then {@code seconds}
     * measured, and before a comparison {@code jitWarmup} unmeasured seconds on each side.
     */
    record Load(int clients, int warmup, int seconds, int jitWarmup) {

        Load withClients(int n) {
            return new Load(n, warmup, seconds, jitWarmup);
        }
    }

    record Target(String name, boolean virtual, Call call) {
    }

    /**
     * What a measurement found. {@code sortedParts} holds, sorted, the times of each part a call
     * timed on its own ({@link #parts}), one array per part, over the counted calls that timed them.
     */
    record Result(String name, int clients, long requests, double seconds, long[] sortedNanos, long[][] sortedParts, long errors,
            String firstError, Cpu cpu) {

        double perSecond() {
            return requests / seconds;
        }

        double percentileMs(double p) {
            return percentile(sortedNanos, p) / 1e6;
        }

        /** Part {@code part}'s quantile {@code p} in milliseconds, NaN when no counted call timed it. */
        double partMs(int part, double p) {
            return part < sortedParts.length ? percentile(sortedParts[part], p) / 1e6 : Double.NaN;
        }

        /** This and {@code other} (the same calls, measured at another time) as one measurement. */
        Result plus(Result other) {
            var parts = new long[Math.max(sortedParts.length, other.sortedParts.length)][];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = merged(i < sortedParts.length ? sortedParts[i] : new long[0],
                        i < other.sortedParts.length ? other.sortedParts[i] : new long[0]);
            }
            return new Result(name, clients, requests + other.requests, seconds + other.seconds, merged(sortedNanos, other.sortedNanos),
                    parts, errors + other.errors, firstError != null ? firstError : other.firstError, cpu.plus(other.cpu));
        }

        private static long[] merged(long[] a, long[] b) {
            var all = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            Arrays.sort(all);
            return all;
        }
    }

    /** The value at quantile {@code p} (0 … 1) of sorted values (nearest rank), NaN when there are none. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.round(p * (sorted.length - 1))];
    }

    /**
     * CPU seconds over a window: this JVM, the PostgreSQL backends of {@link #database}, the server
     * process {@link #serverPid} (0 without one) and its JIT compiler threads' share of that,
     * everything else on the machine.
     */
    record Cpu(double jvm, double postgres, double server, double serverJit, double foreign) {

        static Cpu between(CpuSample a, CpuSample b) {
            double jvm = b.jvm() - a.jvm();
            double pg = 0; // per backend, so that backends ending in between subtract nothing
            for (var backend : b.postgres().entrySet()) {
                pg += backend.getValue() - a.postgres().getOrDefault(backend.getKey(), 0.0);
            }
            double server = b.server() - a.server();
            return new Cpu(jvm, pg, server, b.serverJit() - a.serverJit(), Math.max(0, b.machine() - a.machine() - jvm - pg - server));
        }

        Cpu plus(Cpu other) {
            return new Cpu(jvm + other.jvm, postgres + other.postgres, server + other.server, serverJit + other.serverJit,
                    foreign + other.foreign);
        }

        /** All of the machine's busy CPU seconds. */
        double machine() {
            return jvm + postgres + server + foreign;
        }
    }

    record CpuSample(double jvm, Map<Long, Double> postgres, double server, double serverJit, double machine) {

        static CpuSample now() {
            long pid = serverPid;
            return new CpuSample(jvmCpuSeconds(), postgresCpuSeconds(), pid > 0 ? processCpuSeconds(pid) : 0,
                    pid > 0 ? jitCpuSeconds(pid) : 0, machineBusySeconds());
        }
    }

    /** What a call leaves to do once it has returned (see {@link #afterCall}). */
    interface AfterCall {
        void run(boolean counted) throws Exception;
    }

    private static final ThreadLocal<AfterCall> AFTER_CALL = new ThreadLocal<>();
    private static final ThreadLocal<long[]> PARTS = new ThreadLocal<>();

    /**
     * Called from inside a {@link Call}: {@code action} runs when the call has returned, outside its
     * time, told whether the measurement counts the call (it started and ended in the measured
     * window), so the call can mark the work it leaves behind (a ticket to poll) as measured exactly
     * when the call itself is. An exception from it counts as an error.
     */
    static void afterCall(AfterCall action) {
        AFTER_CALL.set(action);
    }

    /**
     * Called from inside a {@link Call} that makes several requests: their nanoseconds, in order,
     * kept with the call's own time when the call is counted ({@link Result#partMs}).
     */
    static void parts(long... nanos) {
        PARTS.set(nanos);
    }

    /** One client's times, in nanoseconds. */
    private static final class Recorded {
        private long[] values = new long[1 << 14];
        private int n;

        void add(long nanos) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = nanos;
        }

        long[] values() {
            return Arrays.copyOf(values, n);
        }
    }

    /**
     * How long a measurement warms up: at least {@code seconds} and {@code calls} calls, and then
     * until {@code settled}, asked once a second from the start, says so; at most {@code maxSeconds}.
     */
    record Warmup(int seconds, long calls, int maxSeconds, java.util.function.BooleanSupplier settled) {

        static Warmup of(int seconds) {
            return new Warmup(seconds, 0, seconds, () -> true);
        }
    }

    /** {@code load.clients()} loops of {@code call}, warm-up plus measured seconds, reported; waits first for a quiet machine. */
    static Result measure(String name, Load load, boolean virtual, Call call) throws Exception {
        return measure(name, load, virtual, call, load.warmup(), load.seconds(), true);
    }

    /**
     * Baseline and subject, each measured in two halves of its seconds (each half after its own
     * warm-up), in the order baseline, subject, subject, baseline, and each side's halves added up:
     * what drifts during a run weighs on both sides alike. (In bench/opus2.sh upload, whichever side
     * was measured second was 11% slower, in either order, as the kernel's share of the CPU grew
     * during the run: vmstat's sys from 33-38% to 43-57%.) Before both, unmeasured, each for {@code jitWarmup} seconds, so that
     * neither pays for the JIT compiling the code both share (the HTTP client, Jetty), and the
     * compiler threads are quiet while measuring.
     */
    static List<Result> compare(Load load, Target base, Target subject) throws Exception {
        if (load.jitWarmup() > 0) {
            OUT.printf("  JIT warm-up, not measured: %s, then %s, %d s each%n", base.name(), subject.name(), load.jitWarmup());
            measure(base.name(), load, base.virtual(), base.call(), 0, load.jitWarmup(), false);
            measure(subject.name(), load, subject.virtual(), subject.call(), 0, load.jitWarmup(), false);
        }
        int half = Math.max(1, (load.seconds() + 1) / 2);
        var base1 = measure(base.name(), load, base.virtual(), base.call(), load.warmup(), half, true);
        var subject1 = measure(subject.name(), load, subject.virtual(), subject.call(), load.warmup(), half, true);
        var subject2 = measure(subject.name(), load, subject.virtual(), subject.call(), load.warmup(), half, true);
        var base2 = measure(base.name(), load, base.virtual(), base.call(), load.warmup(), half, true);
        return List.of(base1.plus(base2), subject1.plus(subject2));
    }

    static Result measure(String name, Load load, boolean virtual, Call call, int warmupSeconds, int seconds, boolean report) throws Exception {
        return measure(name, load.clients(), virtual, call, Warmup.of(warmupSeconds), seconds, report);
    }

    /**
     * {@code clients} loops calling {@code call} back to back through the warm-up and then
     * {@code seconds} measured; calls that start and end inside the measured window count. Samples
     * CPU (see {@link Cpu}). When {@code report}, waits first (up to {@link #quietWaitSeconds}) for
     * the machine to be quiet and prints a line. A client whose call fails goes on after 10 ms.
     */
    static Result measure(String name, int clients, boolean virtual, Call call, Warmup warmup, int seconds, boolean report) throws Exception {
        if (report) {
            waitForQuiet(name);
        }
        var previous = http;
        http = newHttpClient();
        previous.close();
        System.gc();
        long start = System.nanoTime();
        // the measured window, known once the warm-up ends; until then no call counts and none stops
        var window = new AtomicLongArray(new long[] {Long.MAX_VALUE, Long.MAX_VALUE});
        var warmupCalls = new AtomicLong();
        var latencies = new ConcurrentLinkedQueue<long[]>();
        var partLatencies = new ConcurrentLinkedQueue<List<long[]>>();
        var errors = new AtomicInteger();
        var firstError = new AtomicReference<String>();
        var done = new CountDownLatch(clients);
        var perSecond = new AtomicLongArray(warmup.maxSeconds() + seconds + 2);
        var factory = virtual ? Thread.ofVirtual().name("bench-client-", 0).factory() : Thread.ofPlatform().name("bench-platform-", 0).factory();
        for (int i = 0; i < clients; i++) {
            int client = i;
            factory.newThread(() -> {
                var mine = new Recorded();
                var myParts = new ArrayList<Recorded>();
                try {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= window.get(1)) {
                            break;
                        }
                        AFTER_CALL.remove();
                        PARTS.remove();
                        try {
                            call.run(client);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, String.format(Locale.ROOT, "%s (at %.1f s, client %d)", e, (System.nanoTime() - start) / 1e9, client));
                            Thread.sleep(10);
                            continue;
                        }
                        long t1 = System.nanoTime();
                        perSecond.incrementAndGet((int) Math.min(perSecond.length() - 1, (t1 - start) / 1_000_000_000L));
                        boolean counted = t0 >= window.get(0) && t1 <= window.get(1);
                        if (counted) {
                            mine.add(t1 - t0);
                            var parts = PARTS.get();
                            for (int p = 0; parts != null && p < parts.length; p++) {
                                if (myParts.size() == p) {
                                    myParts.add(new Recorded());
                                }
                                myParts.get(p).add(parts[p]);
                            }
                        } else if (t0 < window.get(0)) {
                            warmupCalls.incrementAndGet();
                        }
                        var after = AFTER_CALL.get();
                        if (after != null) {
                            AFTER_CALL.remove();
                            try {
                                after.run(counted);
                            } catch (Exception e) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, String.format(Locale.ROOT, "%s (at %.1f s, client %d, after the call)", e,
                                        (System.nanoTime() - start) / 1e9, client));
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    latencies.add(mine.values());
                    partLatencies.add(myParts.stream().map(Recorded::values).toList());
                    done.countDown();
                }
            }).start();
        }
        long minEnd = start + warmup.seconds() * 1_000_000_000L;
        long maxEnd = start + Math.max(warmup.seconds(), warmup.maxSeconds()) * 1_000_000_000L;
        long from;
        while (true) {
            boolean settled = warmup.settled().getAsBoolean();   // asked every second from the start: it may keep a window
            from = System.nanoTime();
            if (from >= maxEnd || (from >= minEnd && warmupCalls.get() >= warmup.calls() && settled)) {
                break;
            }
            sleepUntil(Math.min(maxEnd, from >= minEnd ? from + 1_000_000_000L : Math.min(minEnd, from + 1_000_000_000L)));
        }
        long until = from + seconds * 1_000_000_000L;
        window.set(1, until);
        window.set(0, from);
        if (report && warmup.maxSeconds() > warmup.seconds()) {
            OUT.printf(Locale.ROOT, "  %-28s warm-up: %d calls in %.1f s%n", name, warmupCalls.get(), (from - start) / 1e9);
        }
        var before = CpuSample.now();
        sleepUntil(until);
        var after = CpuSample.now();
        done.await();
        var all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        int partCount = partLatencies.stream().mapToInt(List::size).max().orElse(0);
        var parts = new long[partCount][];
        for (int p = 0; p < partCount; p++) {
            int part = p;
            parts[p] = partLatencies.stream().filter(l -> l.size() > part).flatMapToLong(l -> Arrays.stream(l.get(part))).sorted().toArray();
        }
        var result = new Result(name, clients, all.length, seconds, all, parts, errors.get(), firstError.get(), Cpu.between(before, after));
        if (!report) {
            return result;
        }
        OUT.printf("  measured %-28s %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms; foreign load %.0f%% of a core%s%n", name, result.perSecond(),
                result.percentileMs(0.50), result.percentileMs(0.99), 100 * result.cpu().foreign() / seconds,
                errors.get() > 0 ? "  ERRORS " + errors.get() + ": " + firstError.get() : "");
        int warmupSeconds = (int) Math.round((from - start) / 1e9);
        var slices = new StringBuilder();
        for (int second = 0; second < warmupSeconds + seconds; second += 5) {
            long n = 0;
            int k = second;
            for (; k < Math.min(second + 5, warmupSeconds + seconds); k++) {
                n += perSecond.get(Math.min(k, perSecond.length() - 1));
            }
            slices.append(String.format(Locale.ROOT, " %.0f", (double) n / (k - second))).append(second + 5 == warmupSeconds ? " |" : "");
        }
        OUT.println("    req/s by 5 s (warm-up |):" + slices);
        return result;
    }

    // ---------------------------------------------------------------- reporting

    /** A table of results: req/s, p50, p99, max, CPU per request (JVM, PG), foreign load and errors. */
    static void table(String title, Load load, List<Result> results) {
        OUT.printf("%n%s: %d s warm-up + %d s measured each (where compared: in two halves, each after its warm-up, in the order A B B A,"
                        + " after %d s of JIT warm-up each);"
                        + " %d cores shared by clients, server and PostgreSQL%n",
                title, load.warmup(), load.seconds(), load.jitWarmup(), Runtime.getRuntime().availableProcessors());
        OUT.printf("  %-32s %7s %9s %8s %8s %8s  %-26s %s%n", "", "clients", "req/s", "p50 ms", "p99 ms", "max ms", "CPU ms/request: JVM    PG",
                "foreign load, errors");
        for (var r : results) {
            double n = Math.max(1, r.requests());
            OUT.printf("  %-32s %7d %9.1f %8.2f %8.2f %8.2f  %19.2f %6.2f   %3.0f%% of a core, %d%n", r.name(), r.clients(), r.perSecond(),
                    r.percentileMs(0.50), r.percentileMs(0.99), r.percentileMs(1.0), r.cpu().jvm() / n * 1000, r.cpu().postgres() / n * 1000,
                    100 * r.cpu().foreign() / r.seconds(), r.errors());
        }
        OUT.println("  (JVM = this process: server, clients, JDBC driver; PG = backends of " + database
                + "; foreign = everything else on the machine, which should be ~0)");
    }

    /**
     * Prints and returns req/s of subject / req/s of base, with the target when {@code target} is
     * positive, and the same ratio from CPU time per request (less disturbed by foreign load).
     */
    static double ratio(Result base, Result subject, double target) {
        double ratio = subject.perSecond() / base.perSecond();
        OUT.printf("  ratio %s / %s = %.2f%s%n", subject.name(), base.name(), ratio,
                target > 0 ? String.format(Locale.ROOT, " (target >= %.2f: %s)", target, ratio >= target ? "met" : "MISSED") : "");
        double baseCpu = (base.cpu().jvm() + base.cpu().postgres()) / Math.max(1, base.requests());
        double subjectCpu = (subject.cpu().jvm() + subject.cpu().postgres()) / Math.max(1, subject.requests());
        OUT.printf("  CPU-time ratio (JVM+PG ms per request, %s / %s) = %.3f / %.3f = %.2f: the req/s ratio of a CPU-bound run%n",
                base.name(), subject.name(), baseCpu * 1000, subjectCpu * 1000, baseCpu / subjectCpu);
        return ratio;
    }

    /** Prints a latency target: the result's p-quantile against a limit in milliseconds. */
    static boolean latencyTarget(Result r, double p, double limitMs) {
        double value = r.percentileMs(p);
        boolean met = value < limitMs;
        OUT.printf("  %s: p%.0f %.2f ms (target < %.0f ms: %s)%n", r.name(), p * 100, value, limitMs, met ? "met" : "MISSED");
        return met;
    }

    // ---------------------------------------------------------------- server nodes

    /**
     * Starts {@code dossier <arguments>} as a process of its own, on this JVM's class path and with
     * {@code jvmFlags}, its environment's DOSSIER_* variables replaced by {@code environment}, its
     * output appended to {@code log}.
     */
    static Process startNode(List<String> jvmFlags, Map<String, String> environment, List<String> arguments, Path log) throws IOException {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.dossier.server.Main"));
        command.addAll(arguments);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("DOSSIER_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * The environment of a node of {@code dossier start} on PostgreSQL database {@code database} at
     * 127.0.0.1:5432 (user postgres), listening on 127.0.0.1:{@code port}, blobs in {@code work}/blobs,
     * no periodic background work during a run, warnings and errors logged only. A bench adds its own.
     */
    static Map<String, String> nodeEnvironment(String database, Path work, int port) {
        var env = new java.util.TreeMap<String, String>();
        env.put("DOSSIER_HTTP_HOST", "127.0.0.1");
        env.put("DOSSIER_HTTP_PORT", Integer.toString(port));
        env.put("DOSSIER_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
        env.put("DOSSIER_DB_USER", "postgres");
        env.put("DOSSIER_BLOB_STORE", "folder");
        env.put("DOSSIER_BLOB_FOLDER", work.resolve("blobs").toString());
        env.put("DOSSIER_BACKGROUND_PERIOD_SECONDS", "3600");
        env.put("DOSSIER_LOG_LEVEL", "WARN");
        return env;
    }

    /** Waits up to 3 minutes for a node started by {@link #startNode} to answer 200 on /health/ready. */
    static void awaitReady(Process node, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new IllegalStateException("a node exited; its log:\n" + Files.readString(log));
            }
            try {
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("a node was not ready within 3 minutes; its log: " + log);
    }

    /** A loopback port free at the time of asking. */
    static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- the machine

    /** Waits (up to {@link #quietWaitSeconds}) until processes other than this JVM and the database's PostgreSQL use under 15% of a core. */
    static void waitForQuiet(String next) throws InterruptedException {
        if (quietWaitSeconds == 0) {
            return;
        }
        long deadline = System.nanoTime() + quietWaitSeconds * 1_000_000_000L;
        boolean told = false;
        while (true) {
            var a = CpuSample.now();
            Thread.sleep(1000);
            var foreign = Cpu.between(a, CpuSample.now()).foreign();
            if (foreign < 0.15 || Double.isNaN(foreign)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                OUT.printf("  warning: other processes keep using %.0f%% of a core; measuring %s anyway%n", foreign * 100, next);
                return;
            }
            if (!told) {
                OUT.printf("  waiting for other processes to quiet down (%.0f%% of a core) before %s…%n", foreign * 100, next);
                told = true;
            }
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    static double jvmCpuSeconds() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** Busy time of all CPUs since boot, from /proc/stat (user+nice+system+irq+softirq+steal), or NaN. */
    static double machineBusySeconds() {
        try {
            var fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(fields[i]);
            }
            return busy / 100.0; // USER_HZ
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** CPU seconds of each PostgreSQL backend connected to {@link #database} (its process title names the database), by pid. */
    static Map<Long, Double> postgresCpuSeconds() {
        var out = new HashMap<Long, Double>();
        var name = " " + database + " ";
        try (var procs = Files.list(Path.of("/proc"))) {
            for (var proc : (Iterable<Path>) procs::iterator) {
                var pid = proc.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    var cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (!cmdline.startsWith("postgres: ") || !cmdline.contains(name)) {
                        continue;
                    }
                    out.put(Long.parseLong(pid), cpuSeconds(proc.resolve("stat")));
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: PostgreSQL's share shows as foreign
        }
        return out;
    }

    /** CPU seconds of process {@code pid} so far (all its threads), or NaN when it is gone. */
    static double processCpuSeconds(long pid) {
        try {
            return cpuSeconds(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException | RuntimeException gone) {
            return Double.NaN;
        }
    }

    /** CPU seconds so far of the JIT compiler threads (C1 and C2) of process {@code pid}, or NaN. */
    static double jitCpuSeconds(long pid) {
        double seconds = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (var task : tasks) {
                try {
                    var name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        seconds += cpuSeconds(task.resolve("stat"));
                    }
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended while we looked
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return seconds;
    }

    /** utime + stime of a /proc stat file, in seconds. */
    private static double cpuSeconds(Path stat) throws IOException {
        var text = Files.readString(stat);
        var fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // USER_HZ
    }

    /**
     * For {@link Warmup#settled}: whether the JIT compiler threads of {@link #serverPid} took under 5%
     * of its CPU over the last 10 s (of a core's, when the server used less than a core: its few
     * ticks of background work make no share). On a 2-core machine they still took 15-30% of the
     * server's CPU 100 s into a load. Asked once a second; true without a server to watch.
     */
    static java.util.function.BooleanSupplier serverJitSettled() {
        var window = new java.util.ArrayDeque<double[]>();   // {seconds since, server CPU, JIT CPU}
        long origin = System.nanoTime();
        return () -> {
            long pid = serverPid;
            if (pid <= 0) {
                return true;
            }
            window.addLast(new double[] {(System.nanoTime() - origin) / 1e9, processCpuSeconds(pid), jitCpuSeconds(pid)});
            while (window.size() > 11) {
                window.removeFirst();
            }
            var first = window.peekFirst();
            var last = window.peekLast();
            double elapsed = last[0] - first[0];
            if (Double.isNaN(last[2]) || Double.isNaN(first[2])) {
                return true;
            }
            return elapsed >= 9.5 && last[2] - first[2] < 0.05 * Math.max(last[1] - first[1], elapsed);
        };
    }

    /** The machine's load averages, for a report's first line. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------- options

    /** A small option reader: {@code --name value} and {@code --flag}. */
    static final class Args {
        private final List<String> rest;
        private final String usage;

        Args(String[] args, String usage) {
            this.rest = new ArrayList<>(List.of(args));
            this.usage = usage;
        }

        boolean flag(String name) {
            return rest.remove(name);
        }

        /** The value of the last {@code name} given (a script may append its own default after the user's). */
        String text(String name, String fallback) {
            String value = fallback;
            int i;
            while ((i = rest.indexOf(name)) >= 0) {
                if (i + 1 >= rest.size()) {
                    usage(name + " needs a value");
                }
                rest.remove(i);
                value = rest.remove(i);
            }
            return value;
        }

        int integer(String name, int fallback, int min, int max) {
            var text = text(name, null);
            if (text == null) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(text);
                if (value < min || value > max) {
                    usage(name + " must be " + min + " to " + max);
                }
                return value;
            } catch (NumberFormatException e) {
                usage(name + " needs a number");
            }
            return fallback;
        }

        double decimal(String name, double fallback) {
            var text = text(name, null);
            if (text == null) {
                return fallback;
            }
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                usage(name + " needs a number");
            }
            return fallback;
        }

        /**
         * The first argument when it is not an option, which must be one of {@code modes}; else
         * {@code fallback}, or, when that is null, a usage error. Read it before any option.
         */
        String mode(List<String> modes, String fallback) {
            if (!rest.isEmpty() && !rest.getFirst().startsWith("--")) {
                var mode = rest.removeFirst();
                if (!modes.contains(mode)) {
                    usage("the first argument is one of " + String.join(", ", modes) + ", not " + mode);
                }
                return mode;
            }
            if (fallback == null) {
                usage("the first argument is one of " + String.join(", ", modes));
            }
            return fallback;
        }

        /** --pg HOST:PORT (default 127.0.0.1:5432): a bench creates and drops databases, so only on this machine. */
        String localPostgres() {
            var pg = text("--pg", "127.0.0.1:5432");
            int colon = pg.lastIndexOf(':');
            var host = colon < 0 ? "" : pg.substring(0, colon);
            if (!(host.equals("127.0.0.1") || host.equals("localhost")) || !pg.substring(colon + 1).matches("[0-9]{1,5}")) {
                usage("--pg must be on 127.0.0.1 (127.0.0.1:PORT or localhost:PORT)");
            }
            return pg;
        }

        /** The standard load options: --clients, --warmup, --seconds, --jit-warmup; also --quiet-wait (default 60). */
        Load load(int clients, int warmup, int seconds, int jitWarmup) {
            return load(clients, warmup, seconds, jitWarmup, 60);
        }

        /** The same with another default for --quiet-wait, which sets {@link #quietWaitSeconds}. */
        Load load(int clients, int warmup, int seconds, int jitWarmup, int quietWait) {
            quietWaitSeconds = integer("--quiet-wait", quietWait, 0, 600);
            return new Load(integer("--clients", clients, 1, 256), integer("--warmup", warmup, 0, 120), integer("--seconds", seconds, 1, 300),
                    integer("--jit-warmup", jitWarmup, 0, 300));
        }

        /** Fails on anything not read. */
        void done() {
            if (!rest.isEmpty()) {
                usage("unknown option " + rest.getFirst());
            }
        }

        void usage(String problem) {
            System.err.println(problem);
            System.err.println("usage: " + usage);
            System.exit(2);
        }
    }
}
