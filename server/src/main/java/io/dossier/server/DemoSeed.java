package io.dossier.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dossier.core.DurableFiles;
import io.dossier.core.Failure;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.settings.Settings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import io.dossier.server.demo.DemoJobAlerts;
import io.dossier.server.demo.DemoQuestionSets;
import io.dossier.server.demo.DemoRecords;
import io.dossier.server.demo.DemoStandardDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import io.dossier.core.identity.PasswordHasher;

/**
 * Seeds the demo tenant of {@code dossier dev} on first start and writes its credentials file; later
 * starts read the file back, so data and credentials survive restarts unchanged.
 */
final class DemoSeed {

    static final String TENANT = "demo";
    static final String FILE = "demo-credentials.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DemoSeed() {
    }

    /** The demo users with a password: demo.admin, demo.recruiter and the LogicalDOC archivist. */
    static final int USERS_WITH_PASSWORDS = 3;

    /**
     * When {@code dataFolder} has no demo yet, starts generating and hashing the demo users'
     * passwords on a thread of its own and answers them (else null): hashing costs a few hundred ms
     * of a core each, spent while the database opens (one core mostly idle) instead of in the seed.
     */
    static FutureTask<List<PasswordHasher.Hashed>> hashPasswordsAhead(Path dataFolder) {
        if (Files.exists(dataFolder.resolve(FILE))) {
            return null;
        }
        var hasher = PasswordHasher.standard();
        var hashing = new FutureTask<List<PasswordHasher.Hashed>>(() -> {
            var out = new java.util.ArrayList<PasswordHasher.Hashed>();
            for (int i = 0; i < USERS_WITH_PASSWORDS; i++) {
                out.add(hasher.generate());
            }
            return out;
        });
        Thread.ofPlatform().name("dossier-demo-passwords").daemon().start(hashing);
        return hashing;
    }

    static DemoCredentials ensure(Dossier dossier, Path dataFolder) {
        return ensure(dossier, dataFolder, null);
    }

    /** @param passwords from {@link #hashPasswordsAhead}, or null to hash them here */
    static DemoCredentials ensure(Dossier dossier, Path dataFolder, FutureTask<List<PasswordHasher.Hashed>> passwords) {
        var file = dataFolder.resolve(FILE);
        var existing = dossier.tenants().list().stream().anyMatch(t -> t.slug().equals(TENANT));
        if (existing && Files.exists(file)) {
            return read(file);
        }
        if (existing) {
            throw Failure.conflict("the demo tenant exists but " + file + " is gone; its secrets cannot be shown again."
                    + " Start with an empty --data folder to seed a new demo.");
        }
        long started = System.nanoTime();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        var waited = new long[1];
        java.util.function.IntFunction<Supplier<PasswordHasher.Hashed>> password = i -> passwords == null ? PasswordHasher.standard()::generate
                : () -> {
                    try {
                        long waitStarted = System.nanoTime();
                        var hashed = passwords.get().get(i);
                        waited[0] += System.nanoTime() - waitStarted;
                        return hashed;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while hashing the demo passwords", e);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("hashing the demo passwords failed", e.getCause());
                    }
                };
        // The file is on disk before the seed commits: a start stopped or killed between the two left
        // a demo whose secrets were nowhere, and every later start refused the folder. Now a start
        // that finds the file but no demo seeds it again, and writes the file anew.
        var credentials = dossier.database().inTransaction(() -> {
            var seeded = seed(dossier, password);
            write(file, seeded);
            return seeded;
        });
        org.slf4j.LoggerFactory.getLogger(DemoSeed.class).info("demo tenant seeded in {} ms ({} ms of CPU on this thread; {} ms waiting for its passwords' hashes)",
                (System.nanoTime() - started) / 1_000_000, (threads.getCurrentThreadCpuTime() - cpuStarted) / 1_000_000, waited[0] / 1_000_000);
        return credentials;
    }

    private static DemoCredentials seed(Dossier dossier, java.util.function.IntFunction<Supplier<PasswordHasher.Hashed>> password) {
        var tenant = dossier.tenants().create(TENANT, "Demo Recruitment", List.of("en", "nl", "de", "fr"), "en");
        var admin = dossier.identities().createAdminToken("demo");
        var user = dossier.identities().createUserHashed(tenant.id(), "demo.admin", "admin@demo.example", "Demo Administrator", password.apply(0));
        var colleague = dossier.identities().createUserHashed(tenant.id(), "demo.recruiter", "recruiter@demo.example", "Demo Recruiter", password.apply(1));
        var group = dossier.identities().createGroup(tenant.id(), "Recruiters");
        dossier.identities().addMember(tenant.id(), group.id(), user.user().id());
        dossier.identities().addMember(tenant.id(), group.id(), colleague.user().id());
        var owsKey = dossier.identities().createClient(tenant.id(), ClientKind.OWS_API_KEY, "demo website", user.user().id(), Set.of());
        DemoRecords.seed(dossier.records(), dossier.schemas(), tenant.id(), List.of(user.user().id(), colleague.user().id()),
                tenant.contentLanguages());
        DemoQuestionSets.seed(dossier.records(), dossier.schemas(), tenant.id());
        DemoStandardDocuments.seed(dossier.records(), dossier.schemas(), tenant.id(), tenant.contentLanguages());
        DemoJobAlerts.seed(dossier.records(), dossier.schemas(), tenant.id());
        // career sites ask applicants for consent to keep their data
        dossier.tenantSettings().setAll(tenant.id(), Map.of(Settings.GDPR_CONSENT.key(), true, Settings.GDPR_CONSENT_ON_APPLICATION.key(), true,
                Settings.GDPR_CONSENT_ON_OPEN_APPLICATION.key(), true));
        Map<String, Map<String, Object>> dialects = new LinkedHashMap<>();
        dialects.put("ows", ordered("apiKey", owsKey.secret(), "jsonRpc", "/ows/jservice.php", "xmlRpc", "/ows/service.php", "info", "/ows/info/"));
        dialects.put("fileapi", fileApi(dossier, tenant.id()));
        dialects.put("youforce", youforce(dossier, tenant.id()));
        dialects.put("opus2", io.dossier.server.demo.DemoOpus2.seed(dossier.identities(), dossier.access(), dossier.metadata(),
                dossier.projects(), dossier.content(), tenant.id(), user.user().id(), colleague.user().id()));
        var logicaldoc = io.dossier.server.demo.DemoLogicalDoc.seed(dossier.identities(), dossier.metadata(), dossier.access(),
                tenant.id(), tenant.slug(), user.user().id(), password.apply(2));
        dialects.put("logicaldoc", logicaldoc);
        return new DemoCredentials(tenant.slug(), admin.secret(),
                List.of(new DemoCredentials.DemoUser(user.user().username(), user.password()),
                        new DemoCredentials.DemoUser(colleague.user().username(), colleague.password()),
                        new DemoCredentials.DemoUser((String) logicaldoc.get("username"), (String) logicaldoc.get("password"))),
                dialects);
    }

    /** The sandbox conventions of the File API: publish under 7100 and 7101, a publisher and two subscribers. */
    private static Map<String, Object> fileApi(Dossier dossier, long tenantId) {
        var identities = dossier.identities();
        var publisher = identities.createClient(tenantId, ClientKind.OAUTH, "File API publisher", null, Set.of());
        var subscriberA = identities.createClient(tenantId, ClientKind.OAUTH, "File API subscriber A", null, Set.of());
        var subscriberB = identities.createClient(tenantId, ClientKind.OAUTH, "File API subscriber B", null, Set.of());
        var deliveries = dossier.deliveries();
        deliveries.authorize(tenantId, publisher.client().id(), DeliveryRole.PUBLISHER, Set.of(7100L, 7101L));
        deliveries.authorize(tenantId, subscriberA.client().id(), DeliveryRole.SUBSCRIBER, Set.of(7100L, 7101L));
        deliveries.authorize(tenantId, subscriberB.client().id(), DeliveryRole.SUBSCRIBER, Set.of(7101L));
        var grant = dossier.callers().client(publisher.client(), tenantId);
        var samples = new LinkedHashMap<String, String>();
        samples.put("sandbox_test_file.xml", "<root>\n<company>Visma YouServe</company>\n<product>File API</product>\n<content>Sample File</content>\n</root>");
        samples.put("sandbox_test_file.txt", "Sample File for the File API demo\n");
        samples.put("sandbox_test_file.csv", "id;name;businessType\n1;Sample File;7101\n");
        try {
            for (var sample : samples.entrySet()) {
                deliveries.publish(grant, 7101, sample.getKey(), new ByteArrayInputStream(sample.getValue().getBytes(StandardCharsets.UTF_8)), 1 << 20);
            }
            deliveries.publish(grant, 7100, "payroll_2026_11.csv",
                    new ByteArrayInputStream("employee;amount\n1001;3150.00\n1002;2875.50\n".getBytes(StandardCharsets.UTF_8)), 1 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ordered("tenant", TENANT, "tokenUrl", "/fileapi/connect/token", "files", "/fileapi/v1.0/files",
                "publisher", ordered("clientId", publisher.client().publicId(), "clientSecret", publisher.secret(), "businessTypes", List.of(7100, 7101)),
                "subscribers", List.of(
                        ordered("clientId", subscriberA.client().publicId(), "clientSecret", subscriberA.secret(), "businessTypes", List.of(7100, 7101)),
                        ordered("clientId", subscriberB.client().publicId(), "clientSecret", subscriberB.secret(), "businessTypes", List.of(7101))));
    }

    /**
     * Youforce: the demo's HR data and three clients: one with every scope, one with Get_Basic only,
     * and one whose authorization filter shows only employees (employment type Intern).
     */
    private static Map<String, Object> youforce(Dossier dossier, long tenantId) {
        long started = System.nanoTime();
        io.dossier.server.demo.DemoHr.seed(dossier.records(), dossier.schemas(), tenantId);
        org.slf4j.LoggerFactory.getLogger(DemoSeed.class).info("demo HR data seeded in {} ms", (System.nanoTime() - started) / 1_000_000);
        var identities = dossier.identities();
        var full = identities.createClient(tenantId, ClientKind.OAUTH, "Youforce learning system", null,
                Set.of("Get_Basic", "Upload_documents", "GetPrivateContactDetails"));
        var basic = identities.createClient(tenantId, ClientKind.OAUTH, "Youforce basic reader", null, Set.of("Get_Basic"));
        var filtered = identities.createClient(tenantId, ClientKind.OAUTH, "Youforce employees only", null,
                Set.of("Get_Basic", "Upload_documents"));
        dossier.callers().setFilter(tenantId, filtered.client().id(), "hr.Employment",
                new io.dossier.core.query.Condition.Compare("employmentType", io.dossier.core.query.Condition.Op.EQ, "Intern"));
        return ordered("tenant", TENANT, "tokenUrl", "/youforce/connect/token", "legacyTokenUrl", "/youforce/authentication/token",
                "persons", "/youforce/learning/v1.0/persons",
                "clients", List.of(
                        ordered("clientId", full.client().publicId(), "clientSecret", full.secret(),
                                "scopes", List.of("Get_Basic", "Upload_documents", "GetPrivateContactDetails")),
                        ordered("clientId", basic.client().publicId(), "clientSecret", basic.secret(), "scopes", List.of("Get_Basic")),
                        ordered("clientId", filtered.client().publicId(), "clientSecret", filtered.secret(),
                                "scopes", List.of("Get_Basic", "Upload_documents"), "filter", "employmentType eq 'Intern'")));
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        var out = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    private static DemoCredentials read(Path file) {
        try {
            var node = (ObjectNode) JSON.readTree(file.toFile());
            var users = new java.util.ArrayList<DemoCredentials.DemoUser>();
            node.withArray("users").forEach(u -> users.add(new DemoCredentials.DemoUser(u.path("username").asText(), u.path("password").asText())));
            Map<String, Map<String, Object>> dialects = new LinkedHashMap<>();
            node.properties().forEach(e -> {
                if (!List.of("tenant", "adminToken", "users").contains(e.getKey())) {
                    dialects.put(e.getKey(), JSON.convertValue(e.getValue(), Map.class));
                }
            });
            return new DemoCredentials(node.path("tenant").asText(), node.path("adminToken").asText(), users, dialects);
        } catch (IOException | ClassCastException e) {
            throw new UncheckedIOException(new IOException("cannot read " + file + ": " + e.getMessage()));
        }
    }

    private static void write(Path file, DemoCredentials credentials) {
        var out = new LinkedHashMap<String, Object>();
        out.put("tenant", credentials.tenant());
        out.put("adminToken", credentials.adminToken());
        out.put("users", credentials.users());
        out.putAll(credentials.dialects());
        try {
            Files.createDirectories(file.getParent());
            DurableFiles.replace(file, JSON.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
