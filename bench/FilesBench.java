import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Small-file load for bench/files.sh (which documents the whole run): N concurrent clients, each
 * repeating one OWS multipart upload of a small file to {@code /ows/fileService.php} followed by one
 * {@code Otys.Services.AttachedDocumentsService.add} binding it to a candidate, for a warm-up and
 * then a measured period. JDK only, so it runs as a single source file:
 *
 * <pre>
 * java bench/FilesBench.java --url http://127.0.0.1:PORT --key OWS_API_KEY [--clients 16] [--seconds 20]
 *      [--warmup 5] [--warmup-ops 1000] [--size 102400] [--server-pid PID] [--put-url http://127.0.0.1:NGINX/up/]
 * </pre>
 *
 * The warm-up lasts {@code --warmup} seconds and at least {@code --warmup-ops} operations, and,
 * for the server's load (not the nginx reference) with {@code --server-pid}, until the server's JIT
 * compiler threads took under 5% of its CPU over the last 10 s (on a 2-core machine they still took
 * 15-30% 100 s into the load), at most
 * 4 x warm-up + 30 s; then {@code --seconds} are measured, and the JIT's share of the server's CPU
 * in them is printed (a share above a few percent means the figures are not yet steady).
 * {@code --put-url} additionally measures a reference before and after: the same clients PUT files of
 * the same size to that URL (nginx with dav_methods PUT; one request per operation, no fsync, no
 * database).
 * {@code --server-pid} adds the server's CPU time per operation (from /proc). Each measured run
 * ends with one machine-readable line {@code RESULT name ops/s p50 p99 max errors ...} that
 * files.sh parses; everything else is for people.
 */
public class FilesBench {

    static final Locale L = Locale.ROOT;
    static final String BOUNDARY = "----DossierFilesBench7MA4YWxkTrZu0gW";
    static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*\"?([^\",}]*)\"?");
    static final Pattern OUID = Pattern.compile("\"ouid\"\\s*:\\s*\"([0-9a-fA-F]+)\"");

    record Options(URI url, String key, int clients, int seconds, int warmup, int warmupOps, int size, long serverPid, URI putUrl) {
        static Options parse(String[] args) {
            URI url = null;
            URI putUrl = null;
            String key = null;
            int clients = 16, seconds = 20, warmup = 5, warmupOps = 1000, size = 100 * 1024;
            long pid = -1;
            for (int i = 0; i < args.length; i++) {
                var value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--url" -> url = URI.create(strip(value));
                    case "--key" -> key = value;
                    case "--clients" -> clients = Integer.parseInt(value);
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--warmup-ops" -> warmupOps = Integer.parseInt(value);
                    case "--size" -> size = Integer.parseInt(value);
                    case "--server-pid" -> pid = Long.parseLong(value);
                    case "--put-url" -> putUrl = URI.create(value.endsWith("/") ? value : value + "/");
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the header of bench/FilesBench.java)");
                }
                i++;
            }
            if (url == null || key == null) {
                throw new IllegalArgumentException("--url and --key are required (see the header of bench/FilesBench.java)");
            }
            return new Options(url, key, clients, seconds, warmup, warmupOps, size, pid, putUrl);
        }

        private static String strip(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }

    /** One client's timings of the measured period, in nanoseconds. */
    static final class Recorder {
        long[] total = new long[4096];
        long[] first = new long[4096];
        long[] second = new long[4096];
        int n;

        void add(long totalNs, long firstNs, long secondNs) {
            if (n == total.length) {
                total = Arrays.copyOf(total, n * 2);
                first = Arrays.copyOf(first, n * 2);
                second = Arrays.copyOf(second, n * 2);
            }
            total[n] = totalNs;
            first[n] = firstNs;
            second[n] = secondNs;
            n++;
        }
    }

    /** What one client does once: returns the nanoseconds of its first and second request. */
    interface Operation {
        long[] run(int client, long iteration) throws Exception;
    }

    static HttpClient http;
    static Options o;

    public static void main(String[] args) throws Exception {
        o = Options.parse(args);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        System.out.printf(L, "small files: %d clients, %d bytes per file, warm-up %d s and >= %d operations, %d s measured per run%n",
                o.clients(), o.size(), o.warmup(), o.warmupOps(), o.seconds());

        Operation put = null;
        if (o.putUrl() != null) {
            var bodies = new byte[o.clients()][];
            for (int c = 0; c < o.clients(); c++) {
                bodies[c] = content(o.size(), 1000 + c);
            }
            put = (client, iteration) -> {
                var body = bodies[client];
                stamp(body, 16, iteration);
                long t0 = System.nanoTime();
                var response = http.send(HttpRequest.newBuilder(o.putUrl().resolve("c" + client + "-" + (iteration % 32) + ".bin"))
                        .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 != 2) {
                    throw new IOException("PUT answered " + response.statusCode());
                }
                return new long[] {System.nanoTime() - t0, 0};
            };
            measure("nginx-put", put, "PUT");
        }

        // Setup: one session and one candidate per client, one document type for all.
        var tokens = new String[o.clients()];
        var candidates = new String[o.clients()];
        for (int c = 0; c < o.clients(); c++) {
            tokens[c] = result(rpc("loginByUid", "[\"" + o.key() + "\"]"));
            candidates[c] = result(rpc("Otys.Services.CandidateService.add",
                    "[\"" + tokens[c] + "\",{\"Person\":{\"firstName\":\"Bench\",\"lastName\":\"Files " + c + "\"}}]"));
        }
        var typeId = result(rpc("Otys.Services.DocumentTypeService.add",
                "[\"" + tokens[0] + "\",{\"name\":\"Bench CV\",\"forDocuments\":true,\"forCandidates\":true}]"));

        // Per client a ready multipart body (session field, then the file); a few bytes of the file
        // change every iteration so that no two uploads are the same content.
        var bodies = new byte[o.clients()][];
        var contentOffsets = new int[o.clients()];
        for (int c = 0; c < o.clients(); c++) {
            var head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\n\r\n" + tokens[c] + "\r\n"
                    + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv-" + c + ".pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            var tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            var body = new byte[head.length + o.size() + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(content(o.size(), c), 0, body, head.length, o.size());
            System.arraycopy(tail, 0, body, head.length + o.size(), tail.length);
            bodies[c] = body;
            contentOffsets[c] = head.length;
        }
        var upload = o.url().resolve("/ows/fileService.php");
        measure("ows-upload+bind", (client, iteration) -> {
            var body = bodies[client];
            stamp(body, contentOffsets[client] + 16, iteration);
            long t0 = System.nanoTime();
            var response = http.send(HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            var ouid = OUID.matcher(response.body());
            if (response.statusCode() != 200 || !ouid.find()) {
                throw new IOException("upload answered " + response.statusCode() + ": " + abbreviate(response.body()));
            }
            var bound = rpc("Otys.Services.AttachedDocumentsService.add", "[\"" + tokens[client] + "\",{\"candidateUid\":\""
                    + candidates[client] + "\",\"fileUid\":\"" + ouid.group(1) + "\",\"typeId\":\"" + typeId
                    + "\",\"subject\":\"bench " + iteration + "\"}]");
            result(bound);
            return new long[] {t1 - t0, System.nanoTime() - t1};
        }, "upload", "bind");

        // nginx again: on a shared 2-core guest its rate moved by a factor of three between runs
        // minutes apart, so the reference is measured on both sides of the server's run
        if (put != null) {
            measure("nginx-put-after", put, "PUT");
        }
    }

    /** Runs {@code op} on every client for the warm-up and the measured period and prints the figures. */
    static void measure(String name, Operation op, String... parts) throws Exception {
        var recorders = new Recorder[o.clients()];
        var errors = new AtomicLong();
        var firstErrors = new ConcurrentLinkedQueue<String>();
        long start = System.nanoTime();
        var window = new java.util.concurrent.atomic.AtomicLongArray(new long[] {Long.MAX_VALUE, Long.MAX_VALUE});
        var warmupDone = new AtomicLong();
        var cpu = new long[2][];
        var done = new CountDownLatch(o.clients());
        var threads = new ArrayList<Thread>();
        for (int c = 0; c < o.clients(); c++) {
            int client = c;
            recorders[c] = new Recorder();
            threads.add(Thread.ofVirtual().name("client-" + c).start(() -> {
                try {
                    long iteration = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= window.get(1)) {
                            break;
                        }
                        try {
                            var split = op.run(client, iteration++);
                            long t1 = System.nanoTime();
                            if (t0 >= window.get(0) && t1 <= window.get(1)) {
                                recorders[client].add(t1 - t0, split[0], split[1]);
                            } else if (t0 < window.get(0)) {
                                warmupDone.incrementAndGet();
                            }
                        } catch (Exception e) {
                            if (errors.incrementAndGet() <= 5) {
                                firstErrors.add(e.toString());
                            }
                            Thread.sleep(10);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }));
        }
        long minWarmup = start + Duration.ofSeconds(o.warmup()).toNanos();
        long maxWarmup = start + Duration.ofSeconds(4L * o.warmup() + 30).toNanos();
        var jitWindow = new ArrayDeque<long[]>();   // {nanoTime, server ticks, JIT ticks}, one a second
        long nextJitSample = 0;
        while (System.nanoTime() < maxWarmup) {
            long now = System.nanoTime();
            if (now >= nextJitSample) {
                jitWindow.addLast(new long[] {now, cpuSnapshot()[0], jitTicks()});
                while (jitWindow.size() > 11) {
                    jitWindow.removeFirst();
                }
                nextJitSample = now + 1_000_000_000L;
            }
            if (now >= minWarmup && warmupDone.get() >= o.warmupOps() && (!name.startsWith("ows") || jitSettled(jitWindow))) {
                break;
            }
            Thread.sleep(20);
        }
        cpu[0] = cpuSnapshot();
        long jit0 = jitTicks();
        long measureFrom = System.nanoTime();
        long measureTo = measureFrom + Duration.ofSeconds(o.seconds()).toNanos();
        window.set(1, measureTo);
        window.set(0, measureFrom);
        System.out.printf(L, "  %-16s warm-up: %d operations in %.1f s%n", name, warmupDone.get(), (measureFrom - start) / 1e9);
        Thread.sleep(Math.max(0, Duration.ofNanos(measureTo - System.nanoTime()).toMillis()));
        cpu[1] = cpuSnapshot();
        long jit1 = jitTicks();
        if (!done.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            System.out.println("  some clients did not finish within 60 s after the end");
        }

        int count = 0;
        for (var r : recorders) {
            count += r.n;
        }
        var total = new long[count];
        var first = new long[count];
        var second = new long[count];
        int at = 0;
        for (var r : recorders) {
            System.arraycopy(r.total, 0, total, at, r.n);
            System.arraycopy(r.first, 0, first, at, r.n);
            System.arraycopy(r.second, 0, second, at, r.n);
            at += r.n;
        }
        Arrays.sort(total);
        Arrays.sort(first);
        Arrays.sort(second);
        double perSecond = count / (double) o.seconds();
        long ticks = ticksPerSecond();
        // the server's CPU means nothing for the nginx reference
        double serverCpuMs = cpu[0][0] < 0 || !name.startsWith("ows") ? -1 : (cpu[1][0] - cpu[0][0]) * 1000.0 / ticks / Math.max(1, count);
        double clientCpuMs = (cpu[1][1] - cpu[0][1]) / 1e6 / Math.max(1, count);
        double busy = (cpu[1][2] - cpu[0][2]) / (double) Math.max(1, (cpu[1][2] - cpu[0][2]) + (cpu[1][3] - cpu[0][3]));
        System.out.printf(L, "  %-16s %8.1f ops/s  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  errors %d%n", name, perSecond,
                ms(total, 0.50), ms(total, 0.99), ms(total, 1.0), errors.get());
        if (parts.length == 2) {
            System.out.printf(L, "  %-16s %-6s p50 %7.2f ms  p99 %7.2f ms;  %-4s p50 %7.2f ms  p99 %7.2f ms%n", "", parts[0],
                    ms(first, 0.50), ms(first, 0.99), parts[1], ms(second, 0.50), ms(second, 0.99));
        }
        System.out.printf(L, "  %-16s CPU per op: server %s ms, this client %.2f ms; machine busy %.0f%%%n", "",
                serverCpuMs < 0 ? "n/a" : String.format(L, "%.2f", serverCpuMs), clientCpuMs, busy * 100);
        if (serverCpuMs >= 0 && jit0 >= 0 && cpu[1][0] > cpu[0][0]) {
            System.out.printf(L, "  %-16s the server's JIT compiler threads: %.1f%% of its CPU in the measured period%n", "",
                    100.0 * (jit1 - jit0) / (cpu[1][0] - cpu[0][0]));
        }
        firstErrors.forEach(e -> System.out.println("  error: " + abbreviate(e)));
        System.out.printf(L, "RESULT %s %.1f %.2f %.2f %.2f %d %.2f %.2f %.2f %.2f %.2f %.2f %.0f%n", name, perSecond,
                ms(total, 0.50), ms(total, 0.99), ms(total, 1.0), errors.get(), ms(first, 0.50), ms(first, 0.99),
                ms(second, 0.50), ms(second, 0.99), serverCpuMs, clientCpuMs, busy * 100);
        for (var t : threads) {
            t.join();
        }
        if (count == 0) {
            throw new IllegalStateException(name + ": no operation completed in the measured period");
        }
    }

    /** {server utime+stime in ticks (or -1), this JVM's CPU ns, machine busy ticks, machine idle ticks}. */
    static long[] cpuSnapshot() {
        long server = -1;
        if (o.serverPid() > 0) {
            try {
                var stat = Files.readString(Path.of("/proc/" + o.serverPid() + "/stat"));
                var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                server = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            } catch (IOException | RuntimeException e) {
                server = -1;
            }
        }
        long self = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long busy = 0, idle = 0;
        try {
            var cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                long v = Long.parseLong(cpu[i]);
                if (i == 4 || i == 5) {
                    idle += v; // idle, iowait
                } else {
                    busy += v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave zeros
        }
        return new long[] {server, self, busy, idle};
    }

    /**
     * Whether the server's JIT threads took under 5% of its CPU over the last 10 s (of a core's, when the server used less than
     * a core: its few ticks of background work make no share); true without a server to watch.
     */
    static boolean jitSettled(ArrayDeque<long[]> window) {
        if (o.serverPid() <= 0 || window.peekLast()[2] < 0) {
            return true;
        }
        var first = window.peekFirst();
        var last = window.peekLast();
        if (last[0] - first[0] < 9_500_000_000L) {
            return false;
        }
        long server = Math.max(last[1] - first[1], ticksPerSecond() * (last[0] - first[0]) / 1_000_000_000L);
        return (last[2] - first[2]) < 0.05 * server;
    }

    /** utime+stime in ticks of the server's JIT compiler threads (C1 and C2), or -1 without a server to watch. */
    static long jitTicks() {
        if (o.serverPid() <= 0) {
            return -1;
        }
        long ticks = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + o.serverPid() + "/task"))) {
            for (var task : tasks) {
                try {
                    var name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        var stat = Files.readString(task.resolve("stat"));
                        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended while we looked
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks;
    }

    static long ticksPerSecond() {
        return 100; // USER_HZ on every Linux architecture that matters here
    }

    static double ms(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static byte[] content(int size, long seed) {
        var bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        var pdf = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(pdf, 0, bytes, 0, Math.min(pdf.length, size));
        return bytes;
    }

    static void stamp(byte[] body, int offset, long iteration) {
        for (int i = 0; i < 8 && offset + i < body.length; i++) {
            body[offset + i] = (byte) (iteration >>> (8 * i));
        }
    }

    static String rpc(String method, String params) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(o.url().resolve("/ows/jservice.php")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(method + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return response.body();
    }

    static String result(String body) throws IOException {
        var m = RESULT.matcher(body);
        if (body.contains("\"error\"") || !m.find()) {
            throw new IOException("JSON-RPC error: " + abbreviate(body));
        }
        return m.group(1);
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
