import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Permission;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Subject;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.User;
import io.dossier.core.project.Folder;
import io.dossier.core.project.Project;
import io.dossier.core.project.Projects;
import io.dossier.core.tenant.Tenant;
import io.dossier.server.Server;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Opus 2 dialect's documents (issue 14's performance targets), in one JVM: a Dossier server
 * started in-process on PostgreSQL (database {@code dossier_opus2_bench}, created when missing and
 * kept, so the 100,000 documents are loaded once), driven over HTTP by {@code java.net.http}
 * clients on 127.0.0.1 through the shared {@link Harness}. Run by bench/opus2.sh, which documents
 * the command and the options:
 * {@code java -cp "server/target/dossier.jar:server/target/lib/*" bench/Opus2Bench.java [upload|download|poll|all] [options]}.
 *
 * <ul>
 *   <li>{@code upload}: 1 MB files as multipart POSTs to /opus2/projects/{id}/documents against
 *       the OWS file route (/ows/fileService.php) measured in the same run: the ratio (target at
 *       least 0.9x).</li>
 *   <li>{@code download}: a Range of a 1 MB document's content from
 *       /opus2/projects/{id}/documents/{id}/content against /ows/fileServiceDownload of an attached
 *       document of the same size, same ranges: the ratio (target at least 0.9x).</li>
 *   <li>{@code poll}: GET /opus2/projects/{id}/documents?afterDate= over a project of 100,000
 *       documents (tenant {@code opus2-bench-<count>}, loaded through core in-process in batches of
 *       1,000 per transaction): p99 (target under 50 ms), with afterDate drawn at random among the
 *       documents' change times (first page of 100 of whatever is newer), then as a poller asks
 *       (afterDate leaving the newest 100).</li>
 * </ul>
 */
public class Opus2Bench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String FILES_TENANT = "opus2-bench-files";
    static final int BATCH = 1000;
    static final String USAGE = "bench/opus2.sh [upload|download|poll|all] [--documents 100000] [--file-kib 1024] [--range-kib 256]"
            + " [--clients 16] [--seconds 20] [--warmup 5] [--jit-warmup 20] [--quiet-wait 60] [--fresh] [--database dossier_opus2_bench] [--work DIR]";

    record Options(String mode, Harness.Load load, int documents, int fileBytes, int rangeBytes, boolean fresh, String database, Path work) {
    }

    public static void main(String[] args) {
        try {
            run(parse(args));
        } catch (Throwable e) {
            Harness.fail(e);
        }
    }

    static Options parse(String[] arguments) {
        var args = new Harness.Args(arguments, USAGE);
        var mode = args.mode(List.of("upload", "download", "poll", "all"), "all");
        var fresh = args.flag("--fresh");
        var database = args.text("--database", "dossier_opus2_bench");
        var work = Path.of(args.text("--work", Path.of(System.getProperty("java.io.tmpdir"), "dossier-opus2-bench").toString()));
        int documents = args.integer("--documents", 100_000, 200, 5_000_000);
        int fileKib = args.integer("--file-kib", 1024, 1, 1024 * 1024);
        int rangeKib = args.integer("--range-kib", 256, 1, 1024 * 1024);
        var load = args.load(16, 5, 20, 20);
        args.done();
        if (rangeKib > fileKib) {
            args.usage("--range-kib must not exceed --file-kib");
        }
        return new Options(mode, load, documents, fileKib * 1024, rangeKib * 1024, fresh, database, work.toAbsolutePath());
    }

    static void run(Options o) throws Exception {
        var out = Harness.OUT;
        try (var server = Harness.startServer("opus2 bench " + o.mode(), "127.0.0.1:5432", o.database(), o.work(), o.fresh(), Map.of())) {
            var base = "http://127.0.0.1:" + server.port();
            if (!o.mode().equals("poll")) {
                var files = FileFixture.ensure(server, base, o);
                try {
                    if (!o.mode().equals("download")) {
                        upload(o, server, files);
                    }
                    if (!o.mode().equals("upload")) {
                        download(o, server, files);
                    }
                } finally {
                    files.close(server);
                }
            }
            if (o.mode().equals("poll") || o.mode().equals("all")) {
                poll(o, server, base);
            }
        }
        out.flush();
    }

    // ---------------------------------------------------------------- fixtures

    /** A tenant's bench user, allowed to create projects, and its project of that name with a folder "Documents" (made when missing). */
    record Place(Tenant tenant, User user, Caller caller, Project project, Folder folder) {

        static Place ensure(Server server, String slug, String projectName) {
            var d = server.dossier();
            var tenant = d.tenants().findBySlug(slug).orElseGet(() -> d.tenants().create(slug, "Opus 2 bench " + slug, List.of("en"), "en"));
            var username = slug + ".owner";
            var user = d.identities().listUsers(tenant.id()).stream().filter(u -> u.username().equals(username)).findFirst()
                    .orElseGet(() -> {
                        var created = d.identities().createUser(tenant.id(), username, username + "@bench.example", "Bench owner", null).user();
                        d.access().grant(new Caller.Internal(tenant.id(), "opus2 bench set-up"), Projects.PROJECTS, new Subject.User(created.id()),
                                Permissions.of(Permission.ADD));
                        return created;
                    });
            var caller = d.callers().user(tenant.id(), user.id());
            var projects = d.projects();
            var project = projects.projects(caller).stream().filter(p -> p.name().equals(projectName)).findFirst()
                    .orElseGet(() -> projects.create(caller, projectName, "bench", null));
            Folder folder;
            try {
                folder = projects.folderByName(caller, project.id(), "Documents");
            } catch (io.dossier.core.Failure notFound) {
                folder = projects.createFolder(caller, project.id(), "Documents");
            }
            return new Place(tenant, user, caller, project, folder);
        }
    }

    /**
     * The upload and download fixture, in tenant opus2-bench-files: an Opus 2 API token and a
     * project made for this run; an OWS API key, a session per client, a document type and a
     * candidate; a document of --file-kib on each side for the downloads.
     */
    record FileFixture(Place place, String base, String token, long tokenClientId, long owsClientId, List<String> sessions, byte[] content,
                  String opusDocumentPath, String owsDownloadPath) {

        static FileFixture ensure(Server server, String base, Options o) throws Exception {
            var d = server.dossier();
            var run = "run-" + Instant.now().toString().replace(':', '-');
            var place = Place.ensure(server, FILES_TENANT, run);
            var token = d.identities().createClient(place.tenant().id(), ClientKind.API_TOKEN, "opus2 bench " + ProcessHandle.current().pid(),
                    place.user().id(), Set.of());
            var owsKey = d.identities().createClient(place.tenant().id(), ClientKind.OWS_API_KEY, "opus2 bench ows " + ProcessHandle.current().pid(),
                    place.user().id(), Set.of());
            var sessions = new ArrayList<String>();
            for (int i = 0; i < o.load().clients(); i++) {
                sessions.add(JSON.readTree(rpc(base, "loginByUid", "[\"" + owsKey.secret() + "\"]")).path("result").asText());
            }
            var content = new byte[o.fileBytes()];
            new SplittableRandom(14).nextBytes(content);
            var session = sessions.getFirst();
            // Opus 2: one document to download
            var uploaded = JSON.readTree(expect(send(HttpRequest.newBuilder(URI.create(base + opusUploadPath(place)))
                    .header("X-API-Token", token.secret()).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(Map.of("folderId", Long.toString(place.folder().id())), "download.pdf",
                            content)))), 201, "Opus 2 upload"));
            var opusDocument = "/opus2/projects/" + place.project().id() + "/documents/" + uploaded.path("documentId").asText() + "/content";
            // OWS: a file attached to a candidate
            var type = result(rpc(base, "Otys.Services.DocumentTypeService.add", "[\"" + session + "\",{\"name\":\"Bench " + run
                    + "\",\"forDocuments\":true,\"forCandidates\":true}]"));
            var candidate = result(rpc(base, "Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"Bench\"}}]"));
            var ows = JSON.readTree(expect(send(HttpRequest.newBuilder(URI.create(base + "/ows/fileService.php"))
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(Map.of("sessionId", session), "download.pdf", content)))),
                    200, "OWS upload"));
            var ouid = ows.path("download.pdf").path("ouid").asText();
            result(rpc(base, "Otys.Services.AttachedDocumentsService.add", "[\"" + session + "\",{\"candidateUid\":\"" + candidate
                    + "\",\"fileUid\":\"" + ouid + "\",\"typeId\":\"" + type + "\",\"subject\":\"bench\"}]"));
            Harness.OUT.printf("files: tenant %s, project %s (id %d), %,d-byte file on each side%n", FILES_TENANT, run, place.project().id(),
                    content.length);
            return new FileFixture(place, base, token.secret(), token.client().id(), owsKey.client().id(), sessions, content, opusDocument,
                    "/ows/fileServiceDownload?ouid=" + ouid + "&class=AttachedDocument");
        }

        void close(Server server) {
            server.dossier().identities().revokeClient(place.tenant().id(), tokenClientId);
            server.dossier().identities().revokeClient(place.tenant().id(), owsClientId);
        }
    }

    static String opusUploadPath(Place place) {
        return "/opus2/projects/" + place.project().id() + "/documents";
    }

    // ---------------------------------------------------------------- upload

    static void upload(Options o, Server server, FileFixture f) throws Exception {
        var opusUri = URI.create(f.base() + opusUploadPath(f.place()));
        var owsUri = URI.create(f.base() + "/ows/fileService.php");
        var folder = Long.toString(f.place().folder().id());
        var opusBody = multipart(Map.of("folderId", folder), "upload.pdf", f.content());
        var owsBodies = f.sessions().stream().map(s -> multipart(Map.of("sessionId", s), "upload.pdf", f.content())).toList();
        Harness.Call ows = client -> {
            var body = expect(send(HttpRequest.newBuilder(owsUri).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(owsBodies.get(client)))), 200, "OWS upload");
            if (!body.contains("\"ouid\"")) {
                throw new IllegalStateException("OWS upload answered " + abbreviate(body, 300));
            }
        };
        Harness.Call opus = client -> expect(send(HttpRequest.newBuilder(opusUri)
                .header("X-API-Token", f.token()).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(opusBody))), 201, "Opus 2 upload");
        ows.run(0);
        opus.run(0);
        statements(server, "OWS upload", () -> ows.run(0));
        statements(server, "Opus 2 upload", () -> opus.run(0));
        var results = Harness.compare(o.load(), new Harness.Target("OWS fileService.php", true, ows),
                new Harness.Target("Opus 2 POST documents", true, opus));
        Harness.table("upload of " + f.content().length / 1024 + " KiB files, " + o.load().clients() + " clients", o.load(), results);
        Harness.ratio(results.get(0), results.get(1), 0.9);
        Harness.OUT.printf("  MB/s (10^6 bytes): OWS %.1f, Opus 2 %.1f%n", results.get(0).perSecond() * f.content().length / 1e6,
                results.get(1).perSecond() * f.content().length / 1e6);
    }

    // ---------------------------------------------------------------- download

    static void download(Options o, Server server, FileFixture f) throws Exception {
        // statistics for the rows the uploads just wrote, as autovacuum would make them a minute later: on a
        // fresh database PostgreSQL otherwise plans the OWS side's document lookup as over an empty table
        // (8 ms a request instead of 2 in a run of `all` on a new database)
        server.dossier().database().sql().execute("ANALYZE");
        var opusUri = URI.create(f.base() + f.opusDocumentPath());
        var owsUri = URI.create(f.base() + f.owsDownloadPath());
        int size = f.content().length;
        int range = o.rangeBytes();
        // ranges at pseudo-random offsets, drawn by the same generator on both sides (client k's i-th request of a side starts at the same offset)
        var offsets = new ConcurrentHashMap<String, long[]>();
        java.util.function.BiFunction<String, Integer, Long> next = (side, client) -> {
            var state = offsets.computeIfAbsent(side + client, k -> new long[] {client * 7919L});
            state[0] = (state[0] * 6364136223846793005L + 1442695040888963407L);
            return Math.floorMod(state[0] >>> 11, (long) (size - range + 1));
        };
        Harness.Call ows = client -> {
            long from = next.apply("ows", client);
            check(send(HttpRequest.newBuilder(owsUri).header("Cookie", "PHPSESSID=" + f.sessions().get(client))
                    .header("Range", "bytes=" + from + "-" + (from + range - 1)), HttpResponse.BodyHandlers.ofByteArray()), f.content(), from, range);
        };
        Harness.Call opus = client -> {
            long from = next.apply("opus", client);
            check(send(HttpRequest.newBuilder(opusUri).header("X-API-Token", f.token())
                    .header("Range", "bytes=" + from + "-" + (from + range - 1)), HttpResponse.BodyHandlers.ofByteArray()), f.content(), from, range);
        };
        ows.run(0);
        opus.run(0);
        statements(server, "OWS download", () -> ows.run(0));
        statements(server, "Opus 2 download", () -> opus.run(0));
        var results = Harness.compare(o.load(), new Harness.Target("OWS fileServiceDownload", true, ows),
                new Harness.Target("Opus 2 GET content", true, opus));
        Harness.table("download of " + range / 1024 + " KiB ranges of a " + size / 1024 + " KiB document, " + o.load().clients() + " clients",
                o.load(), results);
        Harness.ratio(results.get(0), results.get(1), 0.9);
    }

    static void check(HttpResponse<byte[]> response, byte[] content, long from, int range) {
        if (response.statusCode() != 206) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " for a Range: " + abbreviate(new String(response.body(),
                    StandardCharsets.UTF_8), 300));
        }
        var body = response.body();
        if (body.length != range || body[0] != content[(int) from] || body[range - 1] != content[(int) from + range - 1]) {
            throw new IllegalStateException("wrong bytes for the range at " + from + ": " + body.length + " bytes");
        }
    }

    // ---------------------------------------------------------------- poll

    static void poll(Options o, Server server, String base) throws Exception {
        var place = Place.ensure(server, "opus2-bench-" + o.documents(), "poll");
        load(server, place, o.documents());
        var d = server.dossier();
        // the first count sums the load's +1 tally rows (one per document) into one per folder and
        // slot, leaving ~100,000 dead rows that the load's VACUUM came too early for; autovacuum
        // would clear them within a minute, but it may be off (it is on this project's test
        // PostgreSQL), and then every count walked them: sum and vacuum before measuring
        d.projects().countChangedAfter(place.caller(), place.project().id(), null, Instant.EPOCH);
        d.database().sql().execute("VACUUM ANALYZE document_tally");
        var times = new java.util.ArrayList<Instant>();
        for (int offset = 0; ; offset += 10_000) {
            var page = d.projects().changedAfter(place.caller(), place.project().id(), null, Instant.EPOCH,
                    new io.dossier.core.paging.Page(offset, 10_000, false));
            page.forEach(c -> times.add(c.changedAt()));
            if (page.size() < 10_000) {
                break;
            }
        }
        times.sort(null);
        if (times.size() < o.documents()) {
            throw new IllegalStateException("the project lists " + times.size() + " documents of " + o.documents());
        }
        Harness.OUT.printf("poll: %,d documents in project %d of tenant %s, changed from %s to %s%n", times.size(), place.project().id(),
                place.tenant().slug(), times.getFirst(), times.getLast());
        var token = d.identities().createClient(place.tenant().id(), ClientKind.API_TOKEN, "opus2 bench " + ProcessHandle.current().pid(),
                place.user().id(), Set.of());
        try {
            var path = base + "/opus2/projects/" + place.project().id() + "/documents?afterDate=";
            var randoms = new ConcurrentHashMap<Integer, SplittableRandom>();
            Harness.Call random = client -> {
                var r = randoms.computeIfAbsent(client, c -> new SplittableRandom(c));
                // just before a document's time, so that it and what changed after it are listed
                var after = times.get(r.nextInt(times.size())).minusNanos(1000);
                poll(path + after, token.secret(), times.size());
            };
            var recentAfter = times.get(times.size() - 101);
            Harness.Call recent = client -> poll(path + recentAfter, token.secret(), times.size());
            var sample = send(HttpRequest.newBuilder(URI.create(path + recentAfter)).header("X-API-Token", token.secret()),
                    HttpResponse.BodyHandlers.ofString());
            Harness.OUT.printf("  afterDate=%s answers %s, X-Total-Count %s, %,d bytes%n", recentAfter, sample.statusCode(),
                    sample.headers().firstValue("X-Total-Count").orElse("?"), sample.body().length());
            if (o.load().jitWarmup() > 0) {
                Harness.OUT.printf("  JIT warm-up, not measured: %d s%n", o.load().jitWarmup());
                Harness.measure("poll", o.load(), true, random, 0, o.load().jitWarmup(), false);
            }
            // what one request costs in statements (warm by now), for the report: afterDate in the middle, then the newest 100
            var middle = times.get(times.size() / 2).minusNanos(1000);
            statements(server, "afterDate in the middle (" + (times.size() - times.size() / 2) + " newer)",
                    () -> poll(path + middle, token.secret(), times.size()));
            statements(server, "afterDate: the newest 100", () -> poll(path + recentAfter, token.secret(), times.size()));
            var results = List.of(Harness.measure("afterDate at random", o.load(), true, random),
                    Harness.measure("afterDate: the newest 100", o.load(), true, recent));
            Harness.table("GET documents?afterDate= over " + times.size() + " documents, " + o.load().clients() + " clients (page of 100)",
                    o.load(), results);
            for (var r : results) {
                Harness.latencyTarget(r, 0.99, 50);
            }
        } finally {
            d.identities().revokeClient(place.tenant().id(), token.client().id());
        }
    }

    /**
     * Prints every statement jOOQ executes while {@code work} runs (one request; the server otherwise
     * idle), with the time from execute start to end (round trip included), the request's thread's
     * first; other threads' (the server's background work) marked [bg].
     */
    static void statements(Server server, String what, Harness.Work work) throws Exception {
        var seen = Harness.statements(server.dossier().database(), work);
        var byThread = new HashMap<Long, Integer>();
        seen.forEach(q -> byThread.merge(q.thread(), 1, Integer::sum));
        long request = byThread.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(-1L);
        var own = seen.stream().filter(q -> q.thread() == request).toList();
        Harness.OUT.printf("  SQL of one request, %s: %d statements on the request's thread, %.1f ms in them%n", what, own.size(),
                own.stream().mapToLong(q -> q.nanos()[1]).sum() / 1e6);
        seen.forEach(q -> Harness.OUT.printf("    %7.2f ms %s %s%n", q.nanos()[1] / 1e6, q.thread() == request ? "    " : "[bg]",
                abbreviate(q.sql().replaceAll("\\s+", " "), 400)));
    }

    static void poll(String uri, String token, int documents) throws Exception {
        var response = send(HttpRequest.newBuilder(URI.create(uri)).header("X-API-Token", token), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || response.headers().firstValue("X-Total-Count").isEmpty()) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + abbreviate(response.body(), 300));
        }
    }

    /**
     * Adds documents to the project until it holds {@code count}: through core in-process (the
     * change feed is what afterDate reads), {@value #BATCH} to a transaction, 4 threads, as an
     * internal caller; every document names a file of its own over one shared small blob.
     */
    static void load(Server server, Place place, int count) throws Exception {
        var d = server.dossier();
        long have = d.projects().countDocuments(place.caller(), place.project().id(), null);
        if (have >= count) {
            Harness.OUT.printf("poll: project %d holds %,d documents (wanted %,d), reused%n", place.project().id(), have, count);
            return;
        }
        Harness.OUT.printf("poll: loading %,d documents into project %d of tenant %s…%n", count - have, place.project().id(), place.tenant().slug());
        // an internal caller: the access checks (the owner may add anyway) would cost queries per document and measure nothing
        var internal = new Caller.Internal(place.tenant().id(), "opus2 bench load");
        var blob = d.content().store(new ByteArrayInputStream("%PDF-1.7 bench document\n".getBytes(StandardCharsets.UTF_8)), 1024);
        long began = System.nanoTime();
        var next = new AtomicInteger((int) have);
        var done = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(4)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    int from;
                    while ((from = next.getAndAdd(BATCH)) < count) {
                        int to = Math.min(count, from + BATCH);
                        int first = from;
                        d.changes().run(() -> {
                            for (int i = first; i < to; i++) {
                                try {
                                    var name = String.format(Locale.ROOT, "document-%07d.pdf", i + 1);
                                    var file = d.content().register(place.tenant().id(), place.user().id(), name, "application/pdf", blob);
                                    d.projects().addDocument(internal, place.project().id(), place.folder().id(), file, name,
                                            "Bench document " + (i + 1), Map.of(), false);
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }
                        });
                        int total = done.addAndGet(to - first);
                        if (total / BATCH % 10 == 0 || to == count) {
                            Harness.OUT.printf("  %,d documents (%.0f/s)%n", have + total, total / ((System.nanoTime() - began) / 1e9));
                        }
                    }
                    return null;
                }));
            }
            for (var future : futures) {
                future.get();
            }
        }
        Harness.OUT.printf("poll: loaded %,d documents in %.1f s%n", done.get(), (System.nanoTime() - began) / 1e9);
        // fresh statistics and visibility map, as autovacuum would make them a minute later: without
        // them PostgreSQL plans the just-loaded tables as nearly empty, and its index-only scans
        // (afterDate's count) visit the table for every row
        server.dossier().database().sql().execute("VACUUM ANALYZE");
    }

    // ---------------------------------------------------------------- HTTP

    static final String BOUNDARY = "----opus2bench7MA4YWxkTrZu0gW";

    static byte[] multipart(Map<String, String> fields, String fileName, byte[] content) {
        var out = new ByteArrayOutputStream(content.length + 1024);
        fields.forEach((name, value) -> out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) throws Exception {
        return Harness.http.send(request.timeout(Duration.ofSeconds(60)).build(), handler);
    }

    static String expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": HTTP " + response.statusCode() + ": " + abbreviate(response.body(), 300));
        }
        return response.body();
    }

    static String rpc(String base, String method, String params) throws Exception {
        return expect(send(HttpRequest.newBuilder(URI.create(base + "/ows/jservice.php")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}"))),
                200, method);
    }

    static String result(String answer) throws Exception {
        var result = JSON.readTree(answer).path("result");
        if (result.isMissingNode() || result.isNull()) {
            throw new IllegalStateException("OWS answered " + abbreviate(answer, 300));
        }
        return result.asText();
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
