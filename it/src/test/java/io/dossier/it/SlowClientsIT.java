package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import io.dossier.server.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Clients that hold connections without finishing their requests: bodies that trickle or stall
 * must not stop anyone else, are cut by the server, and the node's ceilings on connections and on
 * requests in flight hold.
 */
class SlowClientsIT {

    private static final int SLOW_CONNECTIONS = 500;
    /** A limit on every wait of these tests, never a measure of speed. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /**
     * How long an ordinary request may take while the slow ones are open: generous (they take
     * milliseconds), and shorter than the slow requests may live, so that an ordinary request that
     * only got through once they were cut fails the test.
     */
    private static final Duration ORDINARY_TIMEOUT = Duration.ofSeconds(15);

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    /**
     * Limits that cut every way of being slow within the test, but only after the ordinary requests
     * gave up waiting ({@link #ORDINARY_TIMEOUT}) had the slow ones held them up.
     */
    private static final Settings.HttpLimits SHORT = new Settings.HttpLimits(2000, 2000,
            Duration.ofSeconds(25), 200, Duration.ofSeconds(20), Duration.ofSeconds(30));

    @Test
    void fiveHundredSlowBodiesNeitherStopOtherClientsNorOutstayTheirDeadline() throws Exception {
        try (var server = TestServer.start(SHORT)) {
            var ows = Ows.newTenant(server, List.of("en"));
            var token = server.adminToken();
            var slow = new ArrayList<Socket>();
            var trickling = new AtomicBoolean(true);
            Thread trickle = null;
            try {
                for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                    slow.add(startSlowRequest(server, i));
                }
                // a third stall after their first bytes (the idle timeout cuts them); a third trickle
                // below the minimum rate (cut after the grace period); a third keep above it (cut at the deadline)
                trickle = Thread.ofPlatform().name("trickle").start(() -> trickle(slow, trickling));
                for (int round = 0; round < 10; round++) {
                    var ready = timed("GET /health/ready", () -> sendOrdinary(HttpRequest.newBuilder(server.uri("/health/ready")).GET()));
                    assertThat(ready.statusCode()).isEqualTo(200);
                    var tenants = timed("GET /admin/api/tenants", () -> sendOrdinary(HttpRequest.newBuilder(server.uri("/admin/api/tenants"))
                            .header("Authorization", "Bearer " + token).GET()));
                    assertThat(tenants.statusCode()).isEqualTo(200);
                    var login = timed("OWS loginByUid", () -> sendOrdinary(HttpRequest.newBuilder(server.uri("/ows/jservice.php"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\""
                                    + ows.apiKey() + "\"],\"id\":1}"))));
                    assertThat(login.statusCode()).isEqualTo(200);
                    assertThat(login.body()).contains("\"result\"");
                }
                System.out.println("platform threads in this JVM with " + SLOW_CONNECTIONS + " slow requests open: "
                        + ManagementFactory.getThreadMXBean().getThreadCount());

                var deadline = System.nanoTime() + PATIENCE.toNanos();
                var stillOpen = 0;
                for (var socket : slow) {
                    if (!closedByServer(socket, deadline)) {
                        stillOpen++;
                    }
                }
                assertThat(stillOpen).as("slow connections the server has not cut").isZero();
            } finally {
                trickling.set(false);
                if (trickle != null) {
                    trickle.join(PATIENCE.toMillis());
                }
                for (var socket : slow) {
                    socket.close();
                }
            }
            // and the server is still well
            assertThat(send(HttpRequest.newBuilder(server.uri("/health/ready")).GET()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void overTheRequestCeilingTheAnswerIs503WithRetryAfter() throws Exception {
        var limits = new Settings.HttpLimits(100, 2, Duration.ofSeconds(120), 1, Duration.ofSeconds(120), Duration.ofSeconds(120));
        try (var server = TestServer.start(limits)) {
            var holders = List.of(startSlowRequest(server, 1), startSlowRequest(server, 1));
            try {
                HttpResponse<String> busy = null;
                // the two held requests take both slots as soon as they are parsed
                for (int attempt = 0; attempt < 20 && busy == null; attempt++) {
                    var response = send(HttpRequest.newBuilder(server.uri("/health/live")).GET());
                    if (response.statusCode() == 503) {
                        busy = response;
                    }
                }
                assertThat(busy).as("a 503 while two requests hold both slots").isNotNull();
                assertThat(busy.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(busy.body()).contains("too many requests");
            } finally {
                for (var socket : holders) {
                    socket.close();
                }
            }
            // the slots are free again once those clients are gone
            var served = false;
            for (int attempt = 0; attempt < 20 && !served; attempt++) {
                served = send(HttpRequest.newBuilder(server.uri("/health/live")).GET()).statusCode() == 200;
            }
            assertThat(served).isTrue();
        }
    }

    @Test
    void manyQuickRequestsOverTheRequestCeilingAreAllAnswered() throws Exception {
        // Jetty's QoSHandler, the ceiling before, spun on a carrier thread while it waited for a
        // request another virtual thread was about to queue: with every carrier spinning that one
        // never ran, and the node stopped answering anyone (a benchmark with 16 clients over a
        // ceiling of 4 hung for good within seconds on 2 cores; here it stalled and answered 503s).
        var limits = new Settings.HttpLimits(1000, 2, Duration.ofSeconds(120), 1, Duration.ofSeconds(120), Duration.ofSeconds(120));
        try (var server = TestServer.start(limits)) {
            var answers = new java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger>();
            var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
            var clients = new ArrayList<Thread>();
            var until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            for (int i = 0; i < 64; i++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    try {
                        while (System.nanoTime() < until) {
                            var response = CLIENT.send(HttpRequest.newBuilder(server.uri("/health/live")).timeout(ORDINARY_TIMEOUT).GET().build(),
                                    HttpResponse.BodyHandlers.ofString());
                            answers.computeIfAbsent(response.statusCode(), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }));
            }
            for (var client : clients) {
                client.join(PATIENCE.toMillis());
            }
            assertThat(failures).as("requests not answered (statuses answered: %s)", answers).isEmpty();
            // each request holds its slot for a fraction of a millisecond, so none waits out the 5 s
            // for a slot: a 503 here means the waiting line stalled (with QoSHandler: a third of them)
            assertThat(answers.keySet()).as("statuses").containsOnly(200);
            // and the node still answers once the crowd is gone
            assertThat(send(HttpRequest.newBuilder(server.uri("/health/live")).GET()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void clientsStillSendingTheirBodiesTakeNoTurnOfWork() throws Exception {
        // one request handled at a time: had a body still arriving taken the turn, every other request
        // would wait out the 5 s for one and get 503
        var limits = new Settings.HttpLimits(1000, 1000, Duration.ofSeconds(120), 1, Duration.ofSeconds(120), Duration.ofSeconds(120), 1);
        try (var server = TestServer.start(limits)) {
            var token = server.adminToken();
            var slow = new ArrayList<Socket>();
            try {
                for (int i = 0; i < 6; i++) {
                    slow.add(startSlowRequest(server, i));   // uploads and JSON bodies, announced and not sent
                }
                var small = new Socket("127.0.0.1", server.server().port());   // a small body, a third of it sent
                slow.add(small);
                small.getOutputStream().write(("POST /ows/jservice.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 60\r\n\r\n{\"jsonrpc\":\"2.0\",").getBytes(StandardCharsets.US_ASCII));
                small.getOutputStream().flush();
                Thread.sleep(300);
                for (int round = 0; round < 5; round++) {
                    var tenants = sendOrdinary(HttpRequest.newBuilder(server.uri("/admin/api/tenants")).header("Authorization", "Bearer " + token).GET());
                    assertThat(tenants.statusCode()).isEqualTo(200);
                    var check = sendOrdinary(HttpRequest.newBuilder(server.uri("/ows/jservice.php"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[\"nope\"],\"id\":1}")));
                    assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
                }
            } finally {
                for (var socket : slow) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Uploads that stall after 80 KB of 200 KB, as in the probe that wedged a node (4,000 of them
     * filled its heap and ran its direct memory out): beyond {@code http.max-uploads} in flight and as
     * many waiting, each is answered the busy 503 at once and its connection closed, the node answers
     * everyone else meanwhile, and once the stalled clients are gone an upload is stored whole.
     */
    @Test
    void stalledUploadsBeyondTheUploadCeilingAreAnsweredBusyAndHoldNothing() throws Exception {
        int maxUploads = 8;
        int stalled = 200;
        var limits = new Settings.HttpLimits(1000, 1000, Duration.ofSeconds(120), 1, Duration.ofSeconds(120), Duration.ofSeconds(120),
                Settings.HttpLimits.defaultMaxActive(), maxUploads);
        try (var server = TestServer.start(limits)) {
            var ows = Ows.newTenant(server, List.of("en"));
            var session = ows.login();
            var sockets = new ArrayList<Socket>();
            try {
                for (int i = 0; i < stalled; i++) {
                    sockets.add(startStalledUpload(server, session));
                }
                // everyone else is answered while they are open
                var ready = sendOrdinary(HttpRequest.newBuilder(server.uri("/health/ready")).GET());
                assertThat(ready.statusCode()).isEqualTo(200);
                var check = sendOrdinary(HttpRequest.newBuilder(server.uri("/ows/jservice.php"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[\"" + session + "\"],\"id\":1}")));
                assertThat(check.body()).contains("\"result\"");

                // the ones in the slots are never answered busy; those waiting for one are after 5 s, the rest at once
                var answers = new java.util.concurrent.ConcurrentLinkedQueue<String>();
                var readers = new ArrayList<Thread>();
                for (var socket : sockets) {
                    readers.add(Thread.ofVirtual().start(() -> answers.add(firstLine(socket, Duration.ofSeconds(10)))));
                }
                for (var reader : readers) {
                    reader.join(PATIENCE.toMillis());
                }
                var busy = answers.stream().filter(line -> line.startsWith("HTTP/1.1 503")).count();
                assertThat(busy).as("stalled uploads answered busy (first lines: %s)", answers.stream().distinct().toList())
                        .isEqualTo(stalled - maxUploads);
            } finally {
                for (var socket : sockets) {
                    socket.close();
                }
            }
            // the slots come back as the stalled clients go: a whole upload is stored
            var content = new byte[300_000];
            new java.util.Random(7).nextBytes(content);
            HttpResponse<String> stored = null;
            for (int attempt = 0; attempt < 50 && (stored == null || stored.statusCode() == 503); attempt++) {
                if (attempt > 0) {
                    Thread.sleep(100);
                }
                stored = send(HttpRequest.newBuilder(server.uri("/ows/fileService.php"))
                        .header("Content-Type", "multipart/form-data; boundary=b")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(multipartUpload(session, content, content.length))));
            }
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            assertThat(stored.body()).contains("\"size\":" + content.length);
        }
    }

    @Test
    void overTheConnectionCeilingNewConnectionsWaitUntilOneCloses() throws Exception {
        var limits = new Settings.HttpLimits(3, 100, Duration.ofSeconds(120), 1, Duration.ofSeconds(120), Duration.ofSeconds(120));
        try (var server = TestServer.start(limits)) {
            var idle = new ArrayList<Socket>();
            try {
                for (int i = 0; i < 3; i++) {
                    idle.add(new Socket("127.0.0.1", server.server().port()));
                }
                try (var late = new Socket("127.0.0.1", server.server().port())) {
                    late.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    late.setSoTimeout(2000);
                    var unanswered = false;
                    try {
                        late.getInputStream().read();
                    } catch (SocketTimeoutException expected) {
                        unanswered = true;
                    }
                    assertThat(unanswered).as("a connection over the ceiling waits in the kernel's accept queue").isTrue();
                    idle.getFirst().close();
                    late.setSoTimeout((int) PATIENCE.toMillis());
                    var answer = new String(late.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(answer).contains(" 200 ").contains("UP");
                }
            } finally {
                for (var socket : idle) {
                    socket.close();
                }
            }
        }
    }

    /**
     * A burst of clients over the connection ceiling all wait in the kernel's accept queue and are
     * answered once connections close: with the JDK's default backlog of 50 the kernel dropped the
     * handshakes of the rest, and their connects waited on retries and timed out.
     */
    @Test
    void aBurstOfConnectionsOverTheCeilingAllWaitInTheAcceptQueue() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(somaxconn() >= 512, "a kernel that allows a backlog of 512");
        int burst = 300;
        var limits = new Settings.HttpLimits(3, 100, Duration.ofSeconds(120), 1, Duration.ofSeconds(120), Duration.ofSeconds(120));
        try (var server = TestServer.start(limits)) {
            var idle = new ArrayList<Socket>();
            var waiting = new ArrayList<Socket>();
            try {
                for (int i = 0; i < 3; i++) {
                    idle.add(new Socket("127.0.0.1", server.server().port()));
                }
                for (int i = 0; i < burst; i++) {
                    var socket = new Socket();
                    socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.server().port()), 5_000);
                    socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    waiting.add(socket);
                }
                for (var socket : idle) {
                    socket.close();
                }
                var answered = 0;
                for (var socket : waiting) {
                    if (firstLine(socket, PATIENCE).startsWith("HTTP/1.1 200")) {
                        answered++;
                    }
                    socket.close();   // as a client does once it has its answer: until then the server counts the connection
                }
                assertThat(answered).isEqualTo(burst);
            } finally {
                for (var socket : idle) {
                    socket.close();
                }
                for (var socket : waiting) {
                    socket.close();
                }
            }
        }
    }

    /**
     * More clients downloading a large file at once than the node keeps read buffers for (48 direct
     * ones), none reading until all have started: those beyond the direct buffers read through heap
     * buffers, and every client gets every byte.
     */
    @Test
    void moreSlowDownloadsAtOnceThanReadBuffersAreAllServedWhole() throws Exception {
        int clients = 64;
        try (var server = TestServer.start()) {
            var ows = Ows.newTenant(server, List.of("en"));
            var session = ows.login();
            var content = new byte[8 * 1024 * 1024];
            new java.util.Random(11).nextBytes(content);
            System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, content, 0, 9);
            var uploaded = send(HttpRequest.newBuilder(server.uri("/ows/fileService.php"))
                    .header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipartUpload(session, content, content.length))));
            assertThat(uploaded.statusCode()).isEqualTo(200);
            var ouid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(uploaded.body()).path("a.bin").path("ouid").asText();
            var candidate = ows.result("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"Reader\"}}]").asText();
            var type = ows.result("Otys.Services.DocumentTypeService.add", "[\"" + session
                    + "\",{\"name\":\"CV\",\"forDocuments\":true,\"forCandidates\":true}]").asText();
            ows.result("Otys.Services.AttachedDocumentsService.add", "[\"" + session + "\",{\"candidateUid\":\"" + candidate
                    + "\",\"fileUid\":\"" + ouid + "\",\"typeId\":\"" + type + "\",\"subject\":\"s\",\"private\":\"false\"}]");

            var sockets = new ArrayList<Socket>();
            try {
                for (int i = 0; i < clients; i++) {
                    var socket = new Socket();
                    socket.setReceiveBufferSize(16 * 1024);   // the server's writes block soon: it holds its buffer meanwhile
                    socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.server().port()));
                    socket.getOutputStream().write(("GET /ows/fileServiceDownload?ouid=" + ouid + "&class=AttachedDocument HTTP/1.1\r\n"
                            + "Host: x\r\nCookie: PHPSESSID=" + session + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    sockets.add(socket);
                }
                var answers = new ArrayList<String>();
                for (var socket : sockets) {
                    socket.setSoTimeout((int) PATIENCE.toMillis());
                    var answer = socket.getInputStream().readAllBytes();
                    var head = new String(answer, 0, Math.min(answer.length, 4096), StandardCharsets.ISO_8859_1);
                    int body = head.indexOf("\r\n\r\n") + 4;
                    var whole = body >= 4 && java.util.Arrays.equals(content, java.util.Arrays.copyOfRange(answer, body, answer.length));
                    answers.add(head.substring(0, Math.max(0, head.indexOf('\r'))) + (whole ? ", every byte" : ", " + (answer.length - body) + " bytes"));
                }
                assertThat(answers).containsOnly("HTTP/1.1 200 OK, every byte");
            } finally {
                for (var socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    /** Linux's ceiling on a listen backlog, or 0 where there is none to read. */
    private static int somaxconn() {
        // read as a stream: the file announces a size that cuts Files.readString short
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("/proc/sys/net/core/somaxconn"))) {
            return Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException none) {
            return 0;
        }
    }

    /** A multipart OWS upload of {@code content}, cut after {@code sent} of its bytes. */
    private static byte[] multipartUpload(String session, byte[] content, int sent) {
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("--b\r\nContent-Disposition: form-data; name=\"sessionId\"\r\n\r\n" + session
                + "\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(content, 0, sent);
        if (sent == content.length) {
            out.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** An OWS upload of 200 KB whose client sends the headers and 80 KB of it, then nothing. */
    private static Socket startStalledUpload(TestServer server, String session) throws IOException {
        var whole = multipartUpload(session, new byte[200_000], 200_000).length;
        var socket = new Socket("127.0.0.1", server.server().port());
        socket.getOutputStream().write(("POST /ows/fileService.php HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: " + whole + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(multipartUpload(session, new byte[200_000], 80_000));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The first line the server sends on {@code socket} within {@code wait}, or what happened instead. */
    private static String firstLine(Socket socket, Duration wait) {
        try {
            socket.setSoTimeout((int) wait.toMillis());
            var line = new StringBuilder();
            var in = socket.getInputStream();
            for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString();
        } catch (SocketTimeoutException none) {
            return "(no answer)";
        } catch (IOException e) {
            return "(" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Sends the headers of a large POST whose handler reads the body, and the first few bytes of it. */
    private static Socket startSlowRequest(TestServer server, int i) throws IOException {
        var socket = new Socket("127.0.0.1", server.server().port());
        var upload = i % 2 == 0;
        var head = upload
                ? "POST /ows/fileService.php HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                        + "Content-Length: 5000000\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"
                : "POST /ows/jservice.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000000\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /**
     * Every 250 ms, one byte to each socket of the second third (4 bytes/s, below the minimum rate)
     * and 250 bytes to each of the last third (1,000 bytes/s, above it); the first third gets nothing.
     */
    private static void trickle(List<Socket> sockets, AtomicBoolean running) {
        var chunk = new byte[250];
        java.util.Arrays.fill(chunk, (byte) '0');
        var until = System.nanoTime() + PATIENCE.toNanos();
        while (running.get() && System.nanoTime() < until) {
            for (int i = sockets.size() / 3; i < sockets.size(); i++) {
                try {
                    OutputStream out = sockets.get(i).getOutputStream();
                    out.write(chunk, 0, i < 2 * sockets.size() / 3 ? 1 : chunk.length);
                    out.flush();
                } catch (IOException cut) {
                    // the server closed it: what the test waits for
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether the server closed the socket (an answer then end of stream, or a reset) before {@code deadline}. */
    private static boolean closedByServer(Socket socket, long deadline) throws IOException {
        var buffer = new byte[4096];
        InputStream in = socket.getInputStream();
        while (true) {
            var left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (SocketException reset) {
                return true;
            }
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> sendOrdinary(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(ORDINARY_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Call {
        HttpResponse<String> run() throws IOException, InterruptedException;
    }

    /** Runs a call and prints how long it took (for the reader; nothing is asserted on it). */
    private static HttpResponse<String> timed(String what, Call call) throws IOException, InterruptedException {
        var start = System.nanoTime();
        var response = call.run();
        System.out.printf("%s while slow requests are open: %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
        return response;
    }
}
