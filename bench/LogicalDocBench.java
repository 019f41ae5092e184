import io.dossier.core.access.Caller;
import io.dossier.core.identity.User;
import io.dossier.core.metadata.Attribute;
import io.dossier.core.metadata.AttributeType;
import io.dossier.core.metadata.MetadataSchema;
import io.dossier.core.tenant.Tenant;
import io.dossier.server.Server;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LogicalDOC's Document Metadata service over SOAP (issue 12's performance targets), in one JVM: a
 * Dossier server started in-process on PostgreSQL (database {@code dossier_logicaldoc_bench},
 * created when missing and kept, so the templates are made once), driven over HTTP by
 * {@code java.net.http} clients on 127.0.0.1 through the shared {@link Harness}. Run by
 * bench/logicaldoc.sh, which documents the command and the options:
 * {@code java -cp "server/target/dossier.jar:server/target/lib/*" bench/LogicalDocBench.java [get|list|all] [options]}.
 *
 * <ul>
 *   <li>{@code get}: {@code getTemplateById} of a template of 20 attributes as a SOAP 1.1 POST to
 *       /logicaldoc/services/DocumentMetadata (the envelope the dialect's tests send), against the
 *       core calls the dialect makes for it (the session resolved, then MetadataService.kind,
 *       schema and usage) invoked in-process with no HTTP, same clients, same run: both, the
 *       ratio, and what the SOAP layer adds per call at p50 (target under 1 ms); then both again
 *       with one client, where p50 is the call itself rather than the wait for a core.</li>
 *   <li>{@code list}: {@code listTemplates} over SOAP with the tenant's 1,000 templates of 20
 *       attributes each: p99 (target under 50 ms).</li>
 * </ul>
 */
public class LogicalDocBench {

    static final String TENANT = "logicaldoc-bench";
    static final String USERNAME = "logicaldoc-bench.reader";
    static final int ATTRIBUTES = 20;
    static final String ENVELOPE = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
            + "xmlns:ws=\"http://ws.logicaldoc.com\"><soapenv:Header/><soapenv:Body>%s</soapenv:Body></soapenv:Envelope>";
    static final String USAGE = "bench/logicaldoc.sh [get|list|all] [--templates 1000] [--clients 16] [--list-clients 1] [--seconds 20]"
            + " [--warmup 5] [--jit-warmup 20] [--quiet-wait 60] [--fresh] [--database dossier_logicaldoc_bench] [--work DIR]";

    record Options(String mode, Harness.Load load, int listClients, int templates, boolean fresh, String database, Path work) {
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
        var mode = args.mode(List.of("get", "list", "all"), "all");
        var fresh = args.flag("--fresh");
        var database = args.text("--database", "dossier_logicaldoc_bench");
        var work = Path.of(args.text("--work", Path.of(System.getProperty("java.io.tmpdir"), "dossier-logicaldoc-bench").toString()));
        int templates = args.integer("--templates", 1000, 1, 100_000);
        int listClients = args.integer("--list-clients", 1, 1, 256);
        var load = args.load(16, 5, 20, 20);
        args.done();
        return new Options(mode, load, listClients, templates, fresh, database, work.toAbsolutePath());
    }

    static void run(Options o) throws Exception {
        try (var server = Harness.startServer("logicaldoc bench " + o.mode(), "127.0.0.1:5432", o.database(), o.work(), o.fresh(), Map.of())) {
            var fixture = Fixture.ensure(server, o.templates(), o.load().clients());
            var endpoint = URI.create("http://127.0.0.1:" + server.port() + "/logicaldoc/services/DocumentMetadata");
            if (!o.mode().equals("list")) {
                get(o, server, fixture, endpoint);
            }
            if (!o.mode().equals("get")) {
                list(o, fixture, endpoint);
            }
        }
        Harness.OUT.flush();
    }

    // ---------------------------------------------------------------- fixture

    /** The bench tenant, its templates (ids in name order) and a session per client of a user of the tenant. */
    record Fixture(Tenant tenant, List<Long> templateIds, List<String> sids) {

        static Fixture ensure(Server server, int templates, int clients) {
            var d = server.dossier();
            var tenant = d.tenants().findBySlug(TENANT).orElseGet(() -> d.tenants().create(TENANT, "LogicalDOC bench", List.of("en"), "en"));
            var internal = new Caller.Internal(tenant.id(), "logicaldoc bench set-up");
            var byName = new java.util.TreeMap<String, Long>();
            d.metadata().list(internal, MetadataSchema.Kind.TEMPLATE).forEach(t -> byName.put(t.name(), t.id()));
            long began = System.nanoTime();
            int created = 0;
            for (int i = 1; i <= templates; i++) {
                var name = name(i);
                if (!byName.containsKey(name)) {
                    byName.put(name, d.metadata().create(internal, MetadataSchema.Kind.TEMPLATE, name, null,
                            "Bench template " + i + " of " + ATTRIBUTES + " attributes", attributes(i)).id());
                    created++;
                }
            }
            int removed = 0;
            for (var entry : new ArrayList<>(byName.entrySet())) {
                if (!entry.getKey().startsWith("bench-") || Integer.parseInt(entry.getKey().substring(6)) > templates) {
                    d.metadata().delete(internal, entry.getValue());
                    byName.remove(entry.getKey());
                    removed++;
                }
            }
            Harness.OUT.printf("tenant %s: %d templates of %d attributes (%d created, %d removed, in %.1f s)%n", TENANT, byName.size(),
                    ATTRIBUTES, created, removed, (System.nanoTime() - began) / 1e9);
            User user = d.identities().listUsers(tenant.id()).stream().filter(u -> u.username().equals(USERNAME)).findFirst()
                    .orElseGet(() -> d.identities().createUser(tenant.id(), USERNAME, null, "Bench reader", null).user());
            var sids = new ArrayList<String>();
            for (int i = 0; i < clients; i++) {
                sids.add(d.sessions().open(tenant.id(), user.id(), null, Duration.ofHours(2)).token());
            }
            return new Fixture(tenant, List.copyOf(byName.values()), sids);
        }

        static String name(int i) {
            return String.format(Locale.ROOT, "bench-%06d", i);
        }

        /** Twenty attributes of the eight types, some mandatory, two with preset options. */
        static List<Attribute> attributes(int template) {
            var types = AttributeType.values();
            var out = new ArrayList<Attribute>();
            for (int a = 0; a < ATTRIBUTES; a++) {
                var type = a < 6 ? AttributeType.STRING : types[a % types.length];
                boolean preset = a == 1 || a == 2;
                var options = preset ? List.of("alpha", "beta", "gamma", "delta") : List.<String>of();
                out.add(new Attribute(String.format(Locale.ROOT, "field%02d", a + 1), "Field " + (a + 1) + " of template " + template,
                        preset ? AttributeType.STRING : type, a % 4 == 0, false, false, a, preset, options));
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- get

    static void get(Options o, Server server, Fixture fixture, URI endpoint) throws Exception {
        var d = server.dossier();
        long templateId = fixture.templateIds().getFirst();
        var bodies = fixture.sids().stream().map(sid -> ENVELOPE.formatted("<ws:getTemplateById><sid>" + sid + "</sid><templateId>" + templateId
                + "</templateId></ws:getTemplateById>")).toList();
        var sample = soap(endpoint, "getTemplateById", bodies.getFirst());
        int attributes = sample.split("<attributes>", -1).length - 1;
        if (!sample.contains("<id>" + templateId + "</id>") || attributes != ATTRIBUTES) {
            throw new IllegalStateException("getTemplateById answered (" + attributes + " attributes): " + abbreviate(sample, 500));
        }
        Harness.OUT.printf("getTemplateById answers %d bytes: %s%n", sample.length(), abbreviate(sample, 300));
        var sessions = d.sessions();
        var callers = d.callers();
        var metadata = d.metadata();
        var core = new Harness.Target("core in-process (no HTTP)", true, client -> {
            // what the dialect does for getTemplateById, minus the HTTP, the XML and the SOAP
            var session = sessions.resolve(fixture.sids().get(client));
            var caller = callers.session(session.tenantId(), session.userId(), session.clientId());
            if (metadata.kind(caller, templateId).filter(k -> k == MetadataSchema.Kind.TEMPLATE).isEmpty()) {
                throw new IllegalStateException("no template " + templateId);
            }
            var schema = metadata.schema(caller, templateId);
            metadata.usage(caller, templateId);
            if (schema.attributes().size() != ATTRIBUTES) {
                throw new IllegalStateException("template has " + schema.attributes().size() + " attributes");
            }
        });
        var soap = new Harness.Target("SOAP getTemplateById", true, client -> {
            var body = soap(endpoint, "getTemplateById", bodies.get(client));
            if (!body.contains("getTemplateByIdResponse")) {
                throw new IllegalStateException("unexpected answer: " + abbreviate(body, 300));
            }
        });
        var loaded = Harness.compare(o.load(), core, soap);
        Harness.table("getTemplateById, " + o.load().clients() + " clients", o.load(), loaded);
        Harness.ratio(loaded.get(0), loaded.get(1), 0);
        added(loaded, o.load().clients() + " clients");
        if (o.load().clients() > 1) {
            // with 16 clients on a few cores, p50 is mostly the wait for a core (clients / throughput): one client shows the call itself
            var alone = o.load().withClients(1);
            var single = List.of(Harness.measure(core.name(), alone, true, core.call()), Harness.measure(soap.name(), alone, true, soap.call()));
            Harness.table("getTemplateById, 1 client (no queueing)", alone, single);
            added(single, "1 client");
        }
    }

    /** What the SOAP side adds at p50 over the core side, and in CPU per call. */
    static void added(List<Harness.Result> results, String what) {
        var core = results.get(0);
        var soap = results.get(1);
        double added = soap.percentileMs(0.5) - core.percentileMs(0.5);
        Harness.OUT.printf("  %s: the SOAP layer adds %.3f ms per call at p50 (%.2f - %.2f ms; target under 1 ms: %s)%n", what, added,
                soap.percentileMs(0.5), core.percentileMs(0.5), added < 1 ? "met" : "MISSED");
        double cpuCore = (core.cpu().jvm() + core.cpu().postgres()) / Math.max(1, core.requests());
        double cpuSoap = (soap.cpu().jvm() + soap.cpu().postgres()) / Math.max(1, soap.requests());
        Harness.OUT.printf("  %s: and %.3f ms of CPU per call (JVM+PG, the HTTP client's share included)%n", what, (cpuSoap - cpuCore) * 1000);
    }

    // ---------------------------------------------------------------- list

    static void list(Options o, Fixture fixture, URI endpoint) throws Exception {
        var bodies = fixture.sids().stream().map(sid -> ENVELOPE.formatted("<ws:listTemplates><sid>" + sid + "</sid></ws:listTemplates>")).toList();
        var sample = soap(endpoint, "listTemplates", bodies.getFirst());
        int templates = sample.split("<template>", -1).length - 1;
        if (templates != fixture.templateIds().size()) {
            throw new IllegalStateException("listTemplates answered " + templates + " templates, not " + fixture.templateIds().size());
        }
        Harness.OUT.printf("%nlistTemplates answers %d templates in %,d bytes%n", templates, sample.length());
        var load = o.load().withClients(Math.min(o.listClients(), bodies.size()));
        int expected = sample.length();
        Harness.Call call = client -> {
            var body = soap(endpoint, "listTemplates", bodies.get(client));
            if (body.length() < expected / 2 || !body.contains("listTemplatesResponse")) {
                throw new IllegalStateException("unexpected answer: " + abbreviate(body, 300));
            }
        };
        if (load.jitWarmup() > 0) {
            Harness.OUT.printf("  JIT warm-up, not measured: %d s%n", load.jitWarmup());
            Harness.measure("listTemplates", load, true, call, 0, load.jitWarmup(), false);
        }
        var result = Harness.measure("SOAP listTemplates", load, true, call);
        Harness.table("listTemplates, " + templates + " templates of " + ATTRIBUTES + " attributes, " + load.clients() + " client(s)", load,
                List.of(result));
        Harness.latencyTarget(result, 0.99, 50);
    }

    // ---------------------------------------------------------------- HTTP

    static String soap(URI endpoint, String operation, String envelope) throws Exception {
        var response = Harness.http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "text/xml;charset=UTF-8").header("SOAPAction", "\"" + operation + "\"")
                        .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " from " + operation + ": " + abbreviate(response.body(), 300));
        }
        return response.body();
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
