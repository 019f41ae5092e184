import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Small-file load for bench/files.sh (which documents the whole run): N concurrent clients, each
 * repeating one OWS multipart upload of a small file to {@code /ows/fileService.php} followed by one
 * {@code Otys.Services.AttachedDocumentsService.add} binding it to a candidate, for a warm-up and
 * then a measured period, through bench/Harness.java's load runner (which the source launcher of
 * JDK 22+ compiles beside it, with the server's jars on the class path):
 *
 * <pre>
 * java -cp 'server/target/dossier.jar:server/target/lib/*' bench/FilesBench.java --url http://127.0.0.1:PORT --key OWS_API_KEY
 *      [--clients 16] [--seconds 20] [--warmup 5] [--warmup-ops 1000] [--size 102400] [--server-pid PID]
 *      [--put-url http://127.0.0.1:NGINX/up/] [--quiet-wait 60]
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
 * {@code --server-pid} adds the server's CPU time per operation (from /proc). Before each
 * measurement the harness waits up to {@code --quiet-wait} seconds for other processes to go quiet.
 * Each measured run ends with one machine-readable line {@code RESULT name ops/s p50 p99 max errors ...} that
 * files.sh parses; everything else is for people.
 */
public class FilesBench {

    static final Locale L = Locale.ROOT;
    static final String BOUNDARY = "----DossierFilesBench7MA4YWxkTrZu0gW";
    static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*\"?([^\",}]*)\"?");
    static final Pattern OUID = Pattern.compile("\"ouid\"\\s*:\\s*\"([0-9a-fA-F]+)\"");
    static final String USAGE = "java -cp 'server/target/dossier.jar:server/target/lib/*' bench/FilesBench.java --url URL --key OWS_API_KEY"
            + " [--clients 16] [--seconds 20] [--warmup 5] [--warmup-ops 1000] [--size 102400] [--server-pid PID] [--put-url URL]"
            + " [--quiet-wait 60]";

    record Options(URI url, String key, Harness.Load load, int warmupOps, int size, URI putUrl) {
        static Options parse(String[] arguments) {
            var args = new Harness.Args(arguments, USAGE);
            var url = args.text("--url", null);
            var key = args.text("--key", null);
            var load = args.load(16, 5, 20, 0);
            int warmupOps = args.integer("--warmup-ops", 1000, 0, 10_000_000);
            int size = args.integer("--size", 100 * 1024, 1, 1 << 30);
            Harness.serverPid = Long.parseLong(args.text("--server-pid", "-1"));
            var putUrl = args.text("--put-url", null);
            args.done();
            if (url == null || key == null) {
                args.usage("--url and --key are required (see the header of bench/FilesBench.java)");
            }
            return new Options(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), key, load, warmupOps, size,
                    putUrl == null ? null : URI.create(putUrl.endsWith("/") ? putUrl : putUrl + "/"));
        }
    }

    static Options o;

    public static void main(String[] args) throws Exception {
        try {
            run(Options.parse(args));
        } catch (Throwable e) {
            Harness.fail(e);
        }
    }

    static void run(Options options) throws Exception {
        o = options;
        var load = o.load();
        System.out.printf(L, "small files: %d clients, %d bytes per file, warm-up %d s and >= %d operations, %d s measured per run%n",
                load.clients(), o.size(), load.warmup(), o.warmupOps(), load.seconds());
        var iterations = new long[load.clients()];

        Harness.Call put = null;
        if (o.putUrl() != null) {
            var bodies = new byte[load.clients()][];
            for (int c = 0; c < load.clients(); c++) {
                bodies[c] = content(o.size(), 1000 + c);
            }
            put = client -> {
                var body = bodies[client];
                long iteration = iterations[client]++;
                stamp(body, 16, iteration);
                var response = Harness.http.send(HttpRequest.newBuilder(o.putUrl().resolve("c" + client + "-" + (iteration % 32) + ".bin"))
                        .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 != 2) {
                    throw new IOException("PUT answered " + response.statusCode());
                }
            };
            measure("nginx-put", put, false);
        }

        // Setup: one session and one candidate per client, one document type for all.
        var tokens = new String[load.clients()];
        var candidates = new String[load.clients()];
        for (int c = 0; c < load.clients(); c++) {
            tokens[c] = result(rpc("loginByUid", "[\"" + o.key() + "\"]"));
            candidates[c] = result(rpc("Otys.Services.CandidateService.add",
                    "[\"" + tokens[c] + "\",{\"Person\":{\"firstName\":\"Bench\",\"lastName\":\"Files " + c + "\"}}]"));
        }
        var typeId = result(rpc("Otys.Services.DocumentTypeService.add",
                "[\"" + tokens[0] + "\",{\"name\":\"Bench CV\",\"forDocuments\":true,\"forCandidates\":true}]"));

        // Per client a ready multipart body (session field, then the file); a few bytes of the file
        // change every iteration so that no two uploads are the same content.
        var bodies = new byte[load.clients()][];
        var contentOffsets = new int[load.clients()];
        for (int c = 0; c < load.clients(); c++) {
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
        measure("ows-upload+bind", client -> {
            var body = bodies[client];
            long iteration = iterations[client]++;
            stamp(body, contentOffsets[client] + 16, iteration);
            long t0 = System.nanoTime();
            var response = Harness.http.send(HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(30))
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
            Harness.parts(t1 - t0, System.nanoTime() - t1);
        }, true);

        // nginx again: on a shared 2-core guest its rate moved by a factor of three between runs
        // minutes apart, so the reference is measured on both sides of the server's run
        if (put != null) {
            measure("nginx-put-after", put, false);
        }
    }

    /**
     * Measures {@code call} on every client (for the server's load, warming up until its JIT has
     * settled too) and prints the figures and the RESULT line.
     */
    static void measure(String name, Harness.Call call, boolean server) throws Exception {
        var load = o.load();
        var warmup = new Harness.Warmup(load.warmup(), o.warmupOps(), 4 * load.warmup() + 30,
                server ? Harness.serverJitSettled() : () -> true);
        var r = Harness.measure(name, load.clients(), true, call, warmup, load.seconds(), true);
        var cpu = r.cpu();
        double n = Math.max(1, r.requests());
        // the server's CPU means nothing for the nginx reference
        double serverCpuMs = !server || Harness.serverPid <= 0 || Double.isNaN(cpu.server()) ? -1 : cpu.server() * 1000 / n;
        double clientCpuMs = cpu.jvm() * 1000 / n;
        double busy = cpu.machine() / (r.seconds() * Runtime.getRuntime().availableProcessors());
        // the harness printed ops/s, p50 and p99
        System.out.printf(L, "  %-28s max %.2f ms", "", r.percentileMs(1.0));
        if (r.sortedParts().length == 2) {
            System.out.printf(L, "; upload p50 %.2f ms  p99 %.2f ms;  bind p50 %.2f ms  p99 %.2f ms", r.partMs(0, 0.50), r.partMs(0, 0.99),
                    r.partMs(1, 0.50), r.partMs(1, 0.99));
        }
        System.out.println();
        System.out.printf(L, "  %-28s CPU per op: server %s ms, this client %.2f ms; machine busy %.0f%%%n", "",
                serverCpuMs < 0 ? "n/a" : String.format(L, "%.2f", serverCpuMs), clientCpuMs, busy * 100);
        if (serverCpuMs > 0 && !Double.isNaN(cpu.serverJit())) {
            System.out.printf(L, "  %-28s the server's JIT compiler threads: %.1f%% of its CPU in the measured period%n", "",
                    100 * cpu.serverJit() / cpu.server());
        }
        System.out.printf(L, "RESULT %s %.1f %.2f %.2f %.2f %d %.2f %.2f %.2f %.2f %.2f %.2f %.0f%n", name, r.perSecond(),
                r.percentileMs(0.50), r.percentileMs(0.99), r.percentileMs(1.0), r.errors(), zeroIfNone(r.partMs(0, 0.50)),
                zeroIfNone(r.partMs(0, 0.99)), zeroIfNone(r.partMs(1, 0.50)), zeroIfNone(r.partMs(1, 0.99)), serverCpuMs, clientCpuMs,
                busy * 100);
        if (r.requests() == 0) {
            throw new IllegalStateException(name + ": no operation completed in the measured period" + (r.firstError() == null ? ""
                    : "; first error: " + abbreviate(r.firstError())));
        }
    }

    static double zeroIfNone(double ms) {
        return Double.isNaN(ms) ? 0 : ms;
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
        var response = Harness.http.send(HttpRequest.newBuilder(o.url().resolve("/ows/jservice.php")).timeout(Duration.ofSeconds(30))
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
