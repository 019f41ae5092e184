import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Webhooks from record updates to a local receiver; see bench/webhooks.sh for the command and what
 * it prints. The node is a {@code dossier start} process on the database {@code dossier_webhooks_bench}.
 * Its percentiles are bench/Harness.java's.
 */
public class WebhooksBench {

    static final String DATABASE = "dossier_webhooks_bench";
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    static final List<String> NODE_FLAGS = List.of("-Xmx512m");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");
    static final Pattern STRING_RESULT = Pattern.compile("\"result\":\"([^\"]+)\"");

    record Options(int updates, int records, int clients, int concurrency, double rate, Path work) {
    }

    record Arrival(long deliveryId, Instant changedAt, Instant arrivedAt) {
    }

    public static void main(String[] arguments) throws Exception {
        var args = new Harness.Args(arguments,
                "bench/webhooks.sh [--updates 10000] [--records 100] [--clients 8] [--concurrency 16] [--rate UPDATES_PER_S] [--work DIR]");
        int updates = args.integer("--updates", 10_000, 1, 10_000_000);
        int records = args.integer("--records", 100, 1, 10_000_000);
        var options = new Options(updates, Math.min(records, updates), args.integer("--clients", 8, 1, 256),
                args.integer("--concurrency", 16, 1, 1024), args.decimal("--rate", 0),
                Path.of(args.text("--work", Path.of(System.getProperty("java.io.tmpdir"), "dossier-webhooks-bench").toString())));
        args.done();
        run(options);
    }

    static void run(Options o) throws Exception {
        Files.createDirectories(o.work());
        System.out.printf("webhooks bench: %d updates of %d records from %d clients%s, delivery concurrency %d; %d cores, java %s%n",
                o.updates(), o.records(), o.clients(), o.rate() > 0 ? String.format(" at %.0f updates/s", o.rate()) : " as fast as they go",
                o.concurrency(), Runtime.getRuntime().availableProcessors(), Runtime.version());
        try (var c = DriverManager.getConnection(ADMIN_URL); var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        var arrivals = new ConcurrentLinkedQueue<Arrival>();
        var seen = ConcurrentHashMap.<Long>newKeySet();
        var duplicates = new AtomicInteger();
        var receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                var arrived = Instant.now();
                var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                var id = Long.parseLong(exchange.getRequestHeaders().getFirst("X-Dossier-Delivery"));
                var time = TIME.matcher(body);
                if (time.find()) {
                    arrivals.add(new Arrival(id, Instant.parse(time.group(1)), arrived));
                }
                if (!seen.add(id)) {
                    duplicates.incrementAndGet();
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
        int port = Harness.freePort();
        var key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        var environment = environment(o, port, Base64.getEncoder().encodeToString(key));
        var node = Harness.startNode(NODE_FLAGS, environment, List.of("start"), o.work().resolve("node.log"));
        Runtime.getRuntime().addShutdownHook(new Thread(node::destroyForcibly));
        try {
            Harness.awaitReady(node, port, o.work().resolve("node.log"));
            var token = adminToken(o, environment);
            var base = "http://127.0.0.1:" + port;
            admin(base, token, "POST", "/admin/api/tenants", "{\"slug\":\"bench\"}");
            var user = admin(base, token, "POST", "/admin/api/tenants/bench/users", "{\"username\":\"bench.writer\"}");
            var userId = Pattern.compile("\"id\":(\\d+)").matcher(user).results().findFirst().orElseThrow().group(1);
            var client = admin(base, token, "POST", "/admin/api/tenants/bench/clients",
                    "{\"kind\":\"ows-api-key\",\"name\":\"bench\",\"userId\":" + userId + "}");
            var apiKey = Pattern.compile("\"secret\":\"([^\"]+)\"").matcher(client).results().findFirst().orElseThrow().group(1);
            admin(base, token, "PUT", "/admin/api/tenants/bench/settings/webhooks.allow-private-targets", "{\"value\":true}");
            var session = match(STRING_RESULT, rpc(base, "loginByUid", "[\"" + apiKey + "\"]"));
            var uids = new ArrayList<String>();
            for (int i = 0; i < o.records(); i++) {
                uids.add(match(STRING_RESULT, rpc(base, "Otys.Services.CandidateService.add",
                        "[\"" + session + "\",{\"Person\":{\"lastName\":\"Bench " + i + "\"}}]")));
            }
            admin(base, token, "POST", "/admin/api/tenants/bench/webhooks", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/hook\",\"recordTypes\":[\"Candidate\"],\"events\":[\"updated\"]}");
            System.out.printf("node ready, %d records, webhook registered; updating%n", o.records());

            long started = System.nanoTime();
            var next = new AtomicInteger();
            try (var pool = Executors.newFixedThreadPool(o.clients())) {
                for (int t = 0; t < o.clients(); t++) {
                    pool.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < o.updates()) {
                            if (o.rate() > 0) {   // update i is due at i / rate seconds after the start
                                long due = started + (long) (i * 1e9 / o.rate());
                                long wait = due - System.nanoTime();
                                if (wait > 0) {
                                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                                }
                            }
                            var answer = rpc(base, "Otys.Services.CandidateService.update",
                                    "[\"" + session + "\",\"" + uids.get(i % uids.size()) + "\",{\"Person\":{\"firstName\":\"U" + i + "\"}}]");
                            if (answer.contains("\"error\"")) {
                                throw new IllegalStateException("update failed: " + answer);
                            }
                        }
                        return null;
                    });
                }
            }
            double updating = (System.nanoTime() - started) / 1e9;
            System.out.printf("  %d updates in %.2f s (%.0f/s)%n", o.updates(), updating, o.updates() / updating);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen.size() < o.updates() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            var delays = arrivals.stream().mapToLong(a -> Duration.between(a.changedAt(), a.arrivedAt()).toMillis()).sorted().toArray();
            System.out.printf("  %d deliveries in %.2f s from the first update: %.0f deliveries/s%n", seen.size(), seconds, seen.size() / seconds);
            if (delays.length > 0) {
                System.out.printf("  change to delivery: p50 %.0f ms, p99 %.0f ms, max %d ms (target p99 under 2,000 ms)%n",
                        Harness.percentile(delays, 0.50), Harness.percentile(delays, 0.99), delays[delays.length - 1]);
            }
            boolean complete = seen.size() == o.updates() && duplicates.get() == 0;
            System.out.printf("  every update delivered once: %s (distinct %d, repeated %d)%n", complete ? "yes" : "NO", seen.size(), duplicates.get());
            if (!complete) {
                System.exit(1);
            }
        } finally {
            node.destroy();
            node.waitFor();
            receiver.stop(0);
        }
    }

    static java.util.Map<String, String> environment(Options o, int port, String secretsKey) {
        var env = Harness.nodeEnvironment(DATABASE, o.work(), port);
        env.put("DOSSIER_SECRETS_KEY", secretsKey);
        env.put("DOSSIER_WEBHOOKS_CONCURRENCY", Integer.toString(o.concurrency()));
        env.put("DOSSIER_RATELIMIT_ENABLED", "false");
        return env;
    }

    static String adminToken(Options o, java.util.Map<String, String> environment) throws Exception {
        var log = o.work().resolve("admin-token.log");
        Files.deleteIfExists(log);
        var process = Harness.startNode(NODE_FLAGS, environment, List.of("admin-token", "create", "--name", "bench"), log);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("dossier admin-token create failed:\n" + Files.readString(log));
        }
        var output = Files.readString(log);
        var matcher = Pattern.compile("token: (\\S+)").matcher(output);
        String token = null;
        while (matcher.find()) {
            token = matcher.group(1);
        }
        if (token == null) {
            throw new IllegalStateException("no token in:\n" + output);
        }
        return token;
    }

    static String admin(String base, String token, String method, String path, String json) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String rpc(String base, String method, String params) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ows/jservice.php"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static String match(Pattern pattern, String text) {
        var m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + text);
        }
        return m.group(1);
    }
}
