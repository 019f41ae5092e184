import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Mixed load for bench/memory.sh (which documents the run): N concurrent clients against a
 * {@code dossier dev} server with its demo tenant, each cycling through (1) OWS loginByUid +
 * CandidateService.getListEx, (2) an OWS upload of a 100 KB file to /ows/fileService.php, (3) a File
 * API token + a page of the subscriber's files, for a fixed time; meanwhile the server's resident
 * memory (VmRSS of --server-pid) is sampled every second. The clients are bench/Harness.java's load
 * runner, which the source launcher of JDK 22+ compiles beside it, with the server's jars on the class path:
 *
 * <pre>
 * java -cp 'server/target/dossier.jar:server/target/lib/*' bench/MemoryBench.java --url http://127.0.0.1:PORT
 *      --credentials DATA/demo-credentials.json --server-pid PID [--clients 64] [--seconds 60]
 * </pre>
 */
public class MemoryBench {

    private static final String BOUNDARY = "membench";

    public static void main(String[] arguments) throws Exception {
        var args = new Harness.Args(arguments, "java -cp 'server/target/dossier.jar:server/target/lib/*' bench/MemoryBench.java --url URL"
                + " --credentials FILE --server-pid PID [--clients 64] [--seconds 60]");
        var urlText = args.text("--url", null);
        var credentialsFile = args.text("--credentials", null);
        var pidText = args.text("--server-pid", null);
        int clients = args.integer("--clients", 64, 1, 1024);
        int seconds = args.integer("--seconds", 60, 1, 3600);
        args.done();
        if (urlText == null || credentialsFile == null || pidText == null) {
            args.usage("--url, --credentials and --server-pid are required");
        }
        var url = URI.create(urlText);
        var credentials = Files.readString(Path.of(credentialsFile));
        long pid = Long.parseLong(pidText);

        var apiKey = field(credentials, 0, "apiKey");
        var tenant = field(credentials, 0, "tenant");
        var subscribers = credentials.indexOf("\"subscribers\"");
        var subscriberId = field(credentials, subscribers, "clientId");
        var subscriberSecret = field(credentials, subscribers, "clientSecret");

        var done = new ConcurrentHashMap<String, AtomicLong>();
        var sessions = new String[clients];
        var next = new long[clients];   // each client's next operation: its own number, then on by one
        java.util.Arrays.setAll(next, c -> c);
        Harness.Call call = client -> {
            long i = next[client]++;
            switch ((int) (i % 3)) {
                case 0 -> {
                    var token = login(url, apiKey);
                    expect(post(url.resolve("/ows/jservice.php"), "application/json", listEx(token).getBytes(StandardCharsets.UTF_8)), "\"result\"");
                    done.computeIfAbsent("ows login + getListEx", k -> new AtomicLong()).incrementAndGet();
                }
                case 1 -> {
                    if (sessions[client] == null) {
                        sessions[client] = login(url, apiKey);
                    }
                    expect(post(url.resolve("/ows/fileService.php"), "multipart/form-data; boundary=" + BOUNDARY, upload(sessions[client], client, i)),
                            "ouid");
                    done.computeIfAbsent("ows upload 100 KB", k -> new AtomicLong()).incrementAndGet();
                }
                default -> {
                    var form = "grant_type=client_credentials&client_id=" + enc(subscriberId) + "&client_secret=" + enc(subscriberSecret)
                            + "&tenant_id=" + enc(tenant);
                    var tokenAnswer = expect(post(url.resolve("/fileapi/connect/token"), "application/x-www-form-urlencoded",
                            form.getBytes(StandardCharsets.UTF_8)), "access_token");
                    var token = match(tokenAnswer, "\"access_token\"\\s*:\\s*\"([^\"]+)\"");
                    var list = Harness.http.send(HttpRequest.newBuilder(url.resolve("/fileapi/v1.0/files?role=subscriber&pageSize=100"))
                            .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (list.statusCode() != 200) {
                        throw new IOException("file list answered " + list.statusCode() + ": " + list.body());
                    }
                    done.computeIfAbsent("fileapi token + list", k -> new AtomicLong()).incrementAndGet();
                }
            }
        };

        // the server's resident memory, sampled every second while the clients run
        var before = rssKb(pid);
        var peak = new AtomicLong(before);
        var peakAnon = new AtomicLong(statusKb(pid, "RssAnon:"));
        var samples = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
        var sampler = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    Thread.sleep(1000);
                    var rss = rssKb(pid);
                    samples.add(rss);
                    peak.accumulateAndGet(rss, Math::max);
                    peakAnon.accumulateAndGet(statusKb(pid, "RssAnon:"), Math::max);
                }
            } catch (InterruptedException | IOException stopped) {
                // the load is over, or the server is gone
            }
        });
        var result = Harness.measure("mixed", clients, true, call, Harness.Warmup.of(0), seconds, false);
        sampler.interrupt();
        sampler.join();
        var after = rssKb(pid);
        var file = statusKb(pid, "RssFile:");
        System.out.printf("clients %d, %d s%n", clients, seconds);
        done.forEach((op, n) -> System.out.printf("  %-24s %7d (%.1f/s)%n", op, n.get(), n.get() / (double) seconds));
        System.out.printf("  failures %d%s%n", result.errors(), result.firstError() == null ? "" : " (first: " + result.firstError() + ")");
        System.out.printf("server RSS: before %d MB, peak %d MB, median under load %d MB, after %d MB%n",
                before / 1024, peak.get() / 1024, median(new ArrayList<>(samples)) / 1024, after / 1024);
        // RSS counts file pages too: the class archive (AOT cache) mapped read-only, which the kernel
        // may drop and share; the anonymous part is what the process itself holds
        System.out.printf("  of which anonymous (heap, stacks, buffers, code): peak %d MB; file-backed after: %d MB%n",
                peakAnon.get() / 1024, file / 1024);
    }

    static String login(URI url, String apiKey) throws IOException, InterruptedException {
        var answer = expect(post(url.resolve("/ows/jservice.php"), "application/json",
                ("{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + apiKey + "\"],\"id\":1}").getBytes(StandardCharsets.UTF_8)), "\"result\"");
        return match(answer, "\"result\"\\s*:\\s*\"([^\"]+)\"");
    }

    static String listEx(String token) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.CandidateService.getListEx\",\"params\":[\"" + token + "\","
                + "{\"what\":{\"uid\":1,\"Person\":{\"firstName\":1,\"lastName\":1},\"statusId\":1},"
                + "\"sort\":{\"Person.lastName\":\"ASC\"},\"limit\":100,\"offset\":0,\"getTotalCount\":1}],\"id\":1}";
    }

    /** A multipart body: the session, then a 100 KB file whose first bytes differ per upload. */
    static byte[] upload(String session, int client, long iteration) {
        var head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\n\r\n" + session + "\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        var tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        var content = new byte[100 * 1024];
        java.util.Arrays.fill(content, (byte) 'x');
        var stamp = ("%PDF-1.4 " + client + " " + iteration + " " + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stamp, 0, content, 0, stamp.length);
        var body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return body;
    }

    static HttpResponse<String> post(URI uri, String contentType, byte[] body) throws IOException, InterruptedException {
        return Harness.http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String expect(HttpResponse<String> response, String marker) throws IOException {
        if (response.statusCode() != 200 || !response.body().contains(marker)) {
            var body = response.body();
            throw new IOException(response.uri().getPath() + " answered " + response.statusCode() + ": "
                    + body.substring(0, Math.min(200, body.length())));
        }
        return response.body();
    }

    static String field(String json, int from, String name) {
        var m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find(Math.max(from, 0))) {
            throw new IllegalArgumentException("no " + name + " in the credentials file");
        }
        return m.group(1);
    }

    static String match(String text, String regex) throws IOException {
        var m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IOException("unexpected answer: " + text);
        }
        return m.group(1);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static long rssKb(long pid) throws IOException {
        return statusKb(pid, "VmRSS:");
    }

    /** A {@code kB} line of /proc/pid/status: VmRSS, RssAnon, RssFile. */
    static long statusKb(long pid, String key) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + key + " for process " + pid);
    }

    static long median(ArrayList<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
