package io.dossier.it.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A seeded, grammar-based fuzzer for a running Dossier server. Request {@code i} of seed {@code s}
 * is generated from its own random source (seed and index mixed), so the same seed makes the same
 * requests whatever the concurrency. Each request goes over its own connection with a 10 s limit;
 * the run fails on any 5xx (a 505 only passes for a request with a bad HTTP version, a 500 only
 * for a LogicalDOC SOAP fault, as SOAP 1.1 sends every fault) or internal error ("internal error,
 * reference …": inside HTTP 200, OWS's way of saying 500, or a SOAP fault's), on any request
 * without a complete answer within the limit (a hang), and when {@code /health/ready} is not 200
 * afterwards. bench/fuzz.sh and FuzzIT are its two entry points.
 */
public final class Fuzzer {

    /** What one run is: its seed, how many requests, how many at once, and the per-request limit. */
    public record Options(long seed, int requests, int concurrency, long limitMillis, long maxRunMillis) {
    }

    /** A request the judge refused: why, the request, the start of the answer, and its cause as far as known. */
    public record Finding(int index, String grammar, String verdict, FuzzRequest request, String answer, String cause) {

        Finding(int index, String grammar, String verdict, FuzzRequest request, String answer) {
            this(index, grammar, verdict, request, answer, verdict + " · " + grammar + " · " + blurred(answer));
        }

        /** The answer's body with ids and numbers blurred, so that findings of one cause group together. */
        private static String blurred(String answer) {
            var message = answer.replaceAll("(?s)^.*?\r\n\r\n", "")
                    .replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "<id>")
                    .replaceAll("\\d+", "N").replaceAll("\\s+", " ");
            return message.substring(0, Math.min(160, message.length()));
        }

        /** The server's reference for an unexpected failure, when the answer carries one. */
        String reference() {
            var m = java.util.regex.Pattern.compile("reference ([0-9a-fA-F-]{36})").matcher(answer);
            return m.find() ? m.group(1) : null;
        }
    }

    /**
     * The outcome: counts by grammar, by status class and by grammar and status (how deep each
     * grammar got: requests all answered 401, 403 or 404 never reach the code behind), the
     * findings, and the readiness after the run.
     */
    public record Report(long seed, int sent, Map<String, Integer> byClass, Map<String, Integer> byGrammar,
                         Map<String, Map<Integer, Integer>> byGrammarStatus, List<Finding> findings,
                         int readyStatus, boolean timedOut, List<String> slowest, List<String> generatorErrors,
                         Map<String, Long> secondsByGrammar) {

        /**
         * The same report with each 5xx's cause taken from the server's log, where an unexpected
         * failure is logged with the reference its answer carries: the exception and the first
         * frame of our code, e.g. {@code NullPointerException at io.dossier.api.ows.Params.list(Params.java:49)}.
         */
        public Report withCausesFrom(Path serverLog) throws IOException {
            var lines = Files.readAllLines(serverLog, java.nio.charset.StandardCharsets.UTF_8);
            return withCauses(reference -> causeInLog(lines, reference));
        }

        /** The same report with the causes {@code causeOfReference} knows (null when it does not). */
        public Report withCauses(java.util.function.Function<String, String> causeOfReference) {
            var explained = new ArrayList<Finding>();
            for (var f : findings) {
                var known = f.reference() == null ? null : causeOfReference.apply(f.reference());
                explained.add(new Finding(f.index(), f.grammar(), f.verdict(), f.request(), f.answer(), known == null ? f.cause() : f.verdict() + " · " + known));
            }
            return new Report(seed, sent, byClass, byGrammar, byGrammarStatus, explained, readyStatus, timedOut, slowest, generatorErrors, secondsByGrammar);
        }

        private static String causeInLog(List<String> lines, String reference) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("(reference " + reference + ")")) {
                    var frame = "";
                    for (int j = i + 2; j < Math.min(lines.size(), i + 80) && lines.get(j).startsWith("\t"); j++) {
                        if (lines.get(j).contains("at io.dossier.")) {
                            frame = lines.get(j).trim();
                            break;
                        }
                    }
                    return shortException(i + 1 < lines.size() ? lines.get(i + 1) : "") + " " + frame;
                }
            }
            return null;
        }

        public boolean failed() {
            return !findings.isEmpty() || readyStatus != 200 || !generatorErrors.isEmpty();
        }

        public long count(String verdict) {
            return findings.stream().filter(f -> f.verdict().startsWith(verdict)).count();
        }

        public void print(PrintStream out) {
            out.printf("fuzz: seed %d, %d requests sent%s%n", seed, sent, timedOut ? " (stopped at the run's time limit)" : "");
            out.println("answers by status class: " + byClass);
            out.println("requests by grammar:     " + byGrammar);
            out.println("answers by grammar and status:");
            byGrammarStatus.forEach((grammar, statuses) -> out.printf("  %-12s %s%n", grammar, statuses));
            var causes = new TreeMap<String, List<Finding>>();
            for (var f : findings) {
                causes.computeIfAbsent(f.cause(), k -> new ArrayList<>()).add(f);
            }
            out.printf("5xx: %d, internal errors inside a 200 (OWS): %d, hangs: %d, by cause: %d%n", count("5"), count("200"), count("hang"), causes.size());
            causes.forEach((cause, list) -> out.printf("  %4d × %s%n         first: #%d %s%n", list.size(), cause,
                    list.getFirst().index(), list.getFirst().request().requestLine()));
            if (!generatorErrors.isEmpty()) {
                out.println("requests the grammars failed to generate (a fuzzer bug): " + generatorErrors);
            }
            if (!slowest.isEmpty()) {
                out.println("slowest answers: " + slowest + "; seconds waited by grammar: " + secondsByGrammar);
            }
            out.println("GET /health/ready after the run: " + readyStatus);
            out.println(failed() ? "FUZZ FAILED" : "fuzz passed");
        }

        /** Each finding's exact request bytes as {@code <folder>/<index>-<grammar>.http}, replayable with {@code FuzzMain --replay}. */
        public List<Path> save(Path folder) throws IOException {
            Files.createDirectories(folder);
            var saved = new ArrayList<Path>();
            for (var f : findings) {
                var file = folder.resolve(String.format("%06d-%s.http", f.index(), f.grammar()));
                Files.write(file, f.request().bytes());
                Files.writeString(folder.resolve(file.getFileName() + ".answer.txt"), f.verdict() + "\n" + f.answer());
                saved.add(file);
            }
            return saved;
        }

        /** For a test's failure message: each cause once, with its first request in full (cut at {@code max} characters). */
        public String describe(int max) {
            var out = new StringBuilder();
            var seen = new java.util.HashSet<String>();
            for (var f : findings) {
                if (seen.add(f.cause())) {
                    out.append("\n--- #").append(f.index()).append(' ').append(f.verdict()).append(" (").append(f.grammar()).append(")\n")
                            .append(f.request().printable(max)).append("\n--- answer:\n")
                            .append(f.answer(), 0, Math.min(f.answer().length(), 600)).append('\n');
                }
            }
            return out.toString();
        }
    }

    /** {@code Class: message}, without the SQL a jOOQ exception puts first, numbers blurred, cut. */
    public static String shortException(String line) {
        var sql = line.indexOf("]; ");
        if (sql > 0 && line.contains("SQL [")) {
            line = line.substring(0, line.indexOf(':') + 1) + " " + line.substring(sql + 3);
        }
        line = line.replaceAll("\\d{3,}", "N").replaceAll("'x{20,}[^']*'?", "'xxx…'");
        return line.substring(0, Math.min(line.length(), 160));
    }

    private final Fixture fixture;
    private final List<Map.Entry<Integer, Function<Gen, FuzzRequest>>> grammars;
    private final int totalWeight;

    private Fuzzer(Fixture fixture) {
        this.fixture = fixture;
        var ows = new OwsGrammar(fixture);
        var fileapi = new FileApiGrammar(fixture);
        var admin = new AdminGrammar(fixture);
        var framing = new FramingGrammar(fixture);
        var youforce = new YouforceGrammar(fixture);
        var opus2 = new Opus2Grammar(fixture);
        var logicalDoc = new LogicalDocGrammar(fixture);
        // Weights: the JSON-RPC grammar has the most depth (conditions, batches), so it gets the most requests.
        this.grammars = List.of(
                Map.entry(24, ows::jsonRpc), Map.entry(10, ows::xmlRpc), Map.entry(6, ows::upload), Map.entry(5, ows::download),
                Map.entry(2, ows::info), Map.entry(7, fileapi::token), Map.entry(12, fileapi::list), Map.entry(5, fileapi::download),
                Map.entry(2, fileapi::delete), Map.entry(7, fileapi::publish), Map.entry(10, admin::request), Map.entry(10, framing::request),
                Map.entry(2, youforce::token), Map.entry(6, youforce::hr), Map.entry(4, youforce::document), Map.entry(10, opus2::request),
                Map.entry(7, logicalDoc::soap), Map.entry(3, logicalDoc::rest));
        this.totalWeight = grammars.stream().mapToInt(Map.Entry::getKey).sum();
    }

    /** A fuzzer with made-up credentials, for checking the grammars without a server. */
    static Fuzzer offline() {
        return new Fuzzer(Fixture.sample());
    }

    /** Generates requests {@code 0..count-1} of {@code seed} without sending them; returns the failures as text. */
    public static List<String> selfCheck(long seed, int count) {
        var fuzzer = offline();
        var errors = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            try {
                fuzzer.generate(seed, i);
            } catch (RuntimeException bug) {
                var sw = new java.io.StringWriter();
                bug.printStackTrace(new java.io.PrintWriter(sw));
                errors.add("#" + i + " " + sw.toString().lines().limit(6).collect(java.util.stream.Collectors.joining("\n")));
            }
        }
        return errors;
    }

    /** Makes a tenant to fuzz through the admin API of a server without the demo tenant, then prepares it. */
    public static Fuzzer provisioning(String host, int port, String adminToken) throws IOException {
        return new Fuzzer(Fixture.provision(host, port, adminToken));
    }

    /** Prepares the fixture on the server at {@code host:port} from its demo credentials file. */
    public static Fuzzer against(String host, int port, Path credentialsFile) throws IOException {
        return new Fuzzer(Fixture.prepare(host, port, credentialsFile));
    }

    /** Request {@code index} of {@code seed}: the same bytes on every run against the same fixture. */
    FuzzRequest generate(long seed, int index) {
        var gen = new Gen(seed * 0x9E3779B97F4A7C15L + index);
        int pick = gen.between(0, totalWeight - 1);
        for (var grammar : grammars) {
            pick -= grammar.getKey();
            if (pick < 0) {
                return grammar.getValue().apply(gen);
            }
        }
        throw new IllegalStateException();
    }

    public Report run(Options options, PrintStream progress) throws InterruptedException {
        var byClass = new ConcurrentHashMap<String, Integer>();
        var byGrammar = new ConcurrentHashMap<String, Integer>();
        var byGrammarStatus = new ConcurrentHashMap<String, Map<Integer, Integer>>();
        var findings = Collections.synchronizedList(new ArrayList<Finding>());
        var next = new AtomicInteger();
        var sent = new AtomicInteger();
        var durations = new ConcurrentHashMap<Integer, Long>();
        var generatorErrors = Collections.synchronizedList(new ArrayList<String>());
        var millisByGrammar = new ConcurrentHashMap<String, Long>();
        var start = System.nanoTime();
        var stopAt = new AtomicLong(start + options.maxRunMillis() * 1_000_000);
        try (var pool = Executors.newFixedThreadPool(options.concurrency())) {
            for (int w = 0; w < options.concurrency(); w++) {
                pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < options.requests() && System.nanoTime() < stopAt.get(); i = next.getAndIncrement()) {
                        FuzzRequest request;
                        try {
                            request = generate(options.seed(), i);
                        } catch (RuntimeException bug) {
                            // A bug of a grammar, not of the server: shown, failed on, and the run goes on.
                            generatorErrors.add("#" + i + " " + bug);
                            continue;
                        }
                        var began = System.nanoTime();
                        var answer = RawExchange.send(fixture.host, fixture.port, request.bytes(), request.requests(), request.head(), options.limitMillis());
                        durations.put(i, (System.nanoTime() - began) / 1_000_000);
                        sent.incrementAndGet();
                        byGrammar.merge(request.grammar(), 1, Integer::sum);
                        byGrammarStatus.computeIfAbsent(request.grammar(), g -> new ConcurrentHashMap<>()).merge(answer.status(), 1, Integer::sum);
                        millisByGrammar.merge(request.grammar(), durations.get(i), Long::sum);
                        var verdict = judge(request, answer);
                        byClass.merge(statusClass(request, answer), 1, Integer::sum);
                        if (verdict != null) {
                            findings.add(new Finding(i, request.grammar(), verdict, request, answerText(answer)));
                        }
                        if (progress != null && (i + 1) % 1000 == 0) {
                            progress.printf("fuzz: %d requests, %d findings, %d s%n", i + 1, findings.size(), (System.nanoTime() - start) / 1_000_000_000);
                        }
                    }
                    return null;
                });
            }
            pool.shutdown();
            pool.awaitTermination(options.maxRunMillis() + options.limitMillis() + 10_000, TimeUnit.MILLISECONDS);
        }
        var ready = RawExchange.send(fixture.host, fixture.port, "GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII), 1, false, options.limitMillis());
        var sorted = new ArrayList<>(findings);
        sorted.sort(java.util.Comparator.comparingInt(Finding::index));
        var slowest = durations.entrySet().stream().sorted(Map.Entry.<Integer, Long>comparingByValue().reversed()).limit(5)
                .map(e -> "#" + e.getKey() + " " + e.getValue() + " ms").toList();
        var statuses = new TreeMap<String, Map<Integer, Integer>>();
        byGrammarStatus.forEach((grammar, counts) -> statuses.put(grammar, new TreeMap<>(counts)));
        return new Report(options.seed(), sent.get(), new TreeMap<>(byClass), new TreeMap<>(byGrammar), statuses, sorted, ready.status(),
                sent.get() + generatorErrors.size() < options.requests(), slowest, List.copyOf(generatorErrors),
                new TreeMap<>(millisByGrammar.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / 1000))));
    }

    /** Null when the answer is acceptable, else the verdict. */
    static String judge(FuzzRequest request, RawExchange.Answer answer) {
        if (answer.hung()) {
            return "hang";
        }
        for (var status : answer.statuses()) {
            if (status >= 500 && !(status == 505 && request.badVersion()) && !(status == 500 && soapFault(request, answer))) {
                return Integer.toString(status);
            }
        }
        // OWS answers every error inside HTTP 200: its unexpected failures (-32603, or an XML-RPC
        // fault) carry the same "internal error, reference …" as a 500 of the other dialects.
        if (new String(answer.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("internal error, reference")) {
            return answer.status() + " internal error";
        }
        return null;
    }

    /**
     * Whether a LogicalDOC SOAP answer is a fault, which SOAP 1.1 sends with HTTP 500 whoever is at
     * fault (a bug's fault says "internal error, reference …", which {@link #judge} looks for).
     */
    private static boolean soapFault(FuzzRequest request, RawExchange.Answer answer) {
        return request.grammar().equals("logicaldoc-soap")
                && new String(answer.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("<soap:Fault><faultcode>soap:");
    }

    private static String statusClass(FuzzRequest request, RawExchange.Answer answer) {
        if (answer.hung()) {
            return "hang";
        }
        var status = answer.status();
        if (status == 505 && request.badVersion()) {
            return "505 bad version";
        }
        if (status == 500 && soapFault(request, answer)) {
            return "500 SOAP fault";
        }
        return status < 0 ? "closed" : status / 100 + "xx";
    }

    private static String answerText(RawExchange.Answer answer) {
        var text = new String(answer.bytes(), 0, Math.min(answer.bytes().length, 2000), java.nio.charset.StandardCharsets.UTF_8);
        return answer.failure() == null ? text : answer.failure() + "\n" + text;
    }
}
