package io.dossier.server.cli;

import io.dossier.core.Failure;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.identity.ClientKind;
import io.dossier.server.config.ConfigFile;
import io.dossier.server.config.Settings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Admin commands. They work on the configured database, except on a dev data folder that a running
 * {@code dossier dev} holds: only that process may open its embedded database, so they go through
 * its admin API instead ({@link AdminBackend}). They print the same either way. Secrets are printed
 * once, here, and never stored in clear.
 */
public final class AdminCommands {

    private AdminCommands() {
    }

    /** Options every admin command shares: which storage to open. */
    static class Storage {
        @Option(names = "--config", description = "config file of a production install (else DOSSIER_* variables, else the dev data folder)")
        Path config;

        @Option(names = "--data", defaultValue = "./data", description = "dev data folder when no config is given (default ${DEFAULT-VALUE})")
        Path data;

        void with(Consumer<AdminBackend> work) {
            var settings = Settings.forCommands(Optional.ofNullable(config).map(ConfigFile::read), data, System.getenv());
            try (var backend = AdminBackend.open(settings)) {
                work.accept(backend);
            }
        }
    }

    @Command(name = "tenant", description = "Create or list tenants; show or change their settings.",
            subcommands = {Tenants.Create.class, Tenants.ListAll.class, SettingCommands.class})
    public static final class Tenants {
        @Command(name = "create", description = "Create a tenant.")
        static final class Create extends Storage implements Runnable {
            @Parameters(index = "0", description = "slug: a-z, 0-9, '-', '_'") String slug;
            @Option(names = "--name", description = "display name") String name;
            @Option(names = "--languages", defaultValue = "en", split = ",", description = "content languages (default ${DEFAULT-VALUE})")
            List<String> languages;

            @Override
            public void run() {
                with(d -> {
                    var t = d.createTenant(slug, name, languages);
                    System.out.printf("tenant %s created (id %d, languages %s)%n", t.slug(), t.id(), String.join(",", t.contentLanguages()));
                });
            }
        }

        @Command(name = "list", description = "List tenants.")
        static final class ListAll extends Storage implements Runnable {
            @Override
            public void run() {
                with(d -> {
                    System.out.printf("%-6s %-24s %-16s %s%n", "ID", "SLUG", "LANGUAGES", "NAME");
                    d.tenants().forEach(t -> System.out.printf("%-6d %-24s %-16s %s%n", t.id(), t.slug(),
                            String.join(",", t.contentLanguages()), t.name()));
                });
            }
        }
    }

    @Command(name = "user", description = "Create or list users of a tenant.", subcommands = {Users.Create.class, Users.ListAll.class})
    public static final class Users {
        @Command(name = "create", description = "Create a user; prints the password once when none is given.")
        static final class Create extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Parameters(index = "1", description = "username (unique across tenants)") String username;
            @Option(names = "--email") String email;
            @Option(names = "--name", description = "display name") String displayName;
            @Option(names = "--password", description = "password (default: generated and printed once)") String password;

            @Override
            public void run() {
                with(d -> {
                    var issued = d.createUser(tenant, username, email, displayName, password);
                    System.out.printf("user %s created (id %d)%n", issued.user().username(), issued.user().id());
                    if (password == null) {
                        System.out.println("password: " + issued.password() + "   (shown once)");
                    }
                });
            }
        }

        @Command(name = "list", description = "List users of a tenant.")
        static final class ListAll extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;

            @Override
            public void run() {
                with(d -> {
                    System.out.printf("%-6s %-32s %s%n", "ID", "USERNAME", "EMAIL");
                    d.users(tenant).forEach(u -> System.out.printf("%-6d %-32s %s%n", u.id(), u.username(), u.email()));
                });
            }
        }
    }

    @Command(name = "client", description = "Create, list or revoke application clients of a tenant.",
            subcommands = {Clients.Create.class, Clients.ListAll.class, Clients.Revoke.class, Clients.Filter.class,
                    Clients.RateLimits.class})
    public static final class Clients {
        @Command(name = "create", description = "Create a client; prints its secret once.")
        static final class Create extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Parameters(index = "1", description = "kind: ows-api-key, oauth or api-token") String kind;
            @Option(names = "--name") String name;
            @Option(names = "--user", description = "username the client acts as (required for ows-api-key and api-token)") String user;
            @Option(names = "--scopes", split = ",", description = "scopes, comma-separated") List<String> scopes;

            @Override
            public void run() {
                var clientKind = ClientKind.fromWireName(kind).orElseThrow(() ->
                        Failure.invalid("kind must be one of " + Arrays.stream(ClientKind.values()).map(ClientKind::wireName).toList()));
                with(d -> {
                    Long userId = null;
                    if (user != null) {
                        userId = d.users(tenant).stream().filter(u -> u.username().equals(user)).findFirst()
                                .orElseThrow(() -> Failure.notFound("no user '" + user + "' in tenant " + tenant)).id();
                    }
                    var issued = d.createClient(tenant, clientKind, name, userId, scopes == null ? Set.of() : new LinkedHashSet<>(scopes));
                    System.out.printf("client %d created: kind %s, client id %s%n", issued.client().id(), clientKind.wireName(), issued.client().clientId());
                    System.out.println("secret: " + issued.secret() + "   (shown once)");
                });
            }
        }

        @Command(name = "list", description = "List clients of a tenant.")
        static final class ListAll extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;

            @Override
            public void run() {
                with(d -> {
                    System.out.printf("%-6s %-12s %-34s %-8s %s%n", "ID", "KIND", "CLIENT ID", "STATE", "NAME");
                    d.clients(tenant).forEach(c -> System.out.printf("%-6d %-12s %-34s %-8s %s%n",
                            c.id(), c.kind().wireName(), c.clientId(), c.revoked() ? "revoked" : "active", c.name()));
                });
            }
        }

        @Command(name = "rate-limit", description = "Show, set or reset a client's rate limits per dialect (0 is no limit).",
                subcommands = {RateLimits.Show.class, RateLimits.SetLimit.class, RateLimits.Reset.class})
        static final class RateLimits {

            static void print(List<AdminBackend.RateLimitView> limits) {
                System.out.printf("%-12s %-11s %-11s %s%n", "DIALECT", "PER MINUTE", "CONCURRENT", "SOURCE");
                limits.forEach(l -> System.out.printf("%-12s %-11d %-11d %s%n", l.dialect(), l.perMinute(), l.concurrent(), l.source()));
            }

            @Command(name = "show", description = "Show the client's limits in every dialect.")
            static final class Show extends Storage implements Runnable {
                @Parameters(index = "0", description = "tenant slug") String tenant;
                @Parameters(index = "1", description = "client id (the number from 'client list')") long id;

                @Override
                public void run() {
                    with(d -> print(d.rateLimits(tenant, id)));
                }
            }

            @Command(name = "set", description = "Give the client its own limits in a dialect; every node applies them within seconds.")
            static final class SetLimit extends Storage implements Runnable {
                @Parameters(index = "0", description = "tenant slug") String tenant;
                @Parameters(index = "1", description = "client id (the number from 'client list')") long id;
                @Parameters(index = "2", description = "dialect: ows or fileapi") String dialect;
                @Option(names = "--per-minute", description = "requests per minute (0: no limit)") Integer perMinute;
                @Option(names = "--concurrent", description = "requests at once, per node (0: no limit)") Integer concurrent;

                @Override
                public void run() {
                    with(d -> print(d.setRateLimit(tenant, id, dialect, perMinute, concurrent)));
                }
            }

            @Command(name = "reset", description = "Back to the dialect's default limits.")
            static final class Reset extends Storage implements Runnable {
                @Parameters(index = "0", description = "tenant slug") String tenant;
                @Parameters(index = "1", description = "client id (the number from 'client list')") long id;
                @Parameters(index = "2", description = "dialect: ows or fileapi") String dialect;

                @Override
                public void run() {
                    with(d -> print(d.resetRateLimit(tenant, id, dialect)));
                }
            }
        }

        @Command(name = "filter", description = "Show, set or remove a client's record filters: the records of a type it may see.",
                subcommands = {Filter.Show.class, Filter.Set.class, Filter.Remove.class})
        static final class Filter {
            @Command(name = "show", description = "Show the client's record filters, one line per record type.")
            static final class Show extends Storage implements Runnable {
                @Parameters(index = "0", description = "tenant slug") String tenant;
                @Parameters(index = "1", description = "client id (the number from 'client list')") long id;

                @Override
                public void run() {
                    with(d -> d.recordFilters(tenant, id).forEach((type, condition) -> System.out.println(type + " " + condition)));
                }
            }

            @Command(name = "set", description = "Set the client's filter on a record type, e.g. "
                    + "Candidate '{\"field\":\"Person.city\",\"op\":\"EQ\",\"value\":\"Utrecht\"}'; "
                    + "combine with {\"and\":[…]}, {\"or\":[…]}, {\"not\":{…}}.")
            static final class Set extends Storage implements Runnable {
                @Parameters(index = "0", description = "tenant slug") String tenant;
                @Parameters(index = "1", description = "client id (the number from 'client list')") long id;
                @Parameters(index = "2", description = "record type, e.g. Candidate") String recordType;
                @Parameters(index = "3", description = "the condition, as JSON") String condition;

                @Override
                public void run() {
                    with(d -> {
                        d.setRecordFilter(tenant, id, recordType, condition);
                        System.out.printf("client %d now sees only the %s records that match its filter%n", id, recordType);
                    });
                }
            }

            @Command(name = "remove", description = "Remove the client's filter on a record type.")
            static final class Remove extends Storage implements Runnable {
                @Parameters(index = "0", description = "tenant slug") String tenant;
                @Parameters(index = "1", description = "client id (the number from 'client list')") long id;
                @Parameters(index = "2", description = "record type, e.g. Candidate") String recordType;

                @Override
                public void run() {
                    with(d -> {
                        d.setRecordFilter(tenant, id, recordType, null);
                        System.out.printf("client %d sees every %s record again%n", id, recordType);
                    });
                }
            }
        }

        @Command(name = "revoke", description = "Revoke a client; its secret stops working at once.")
        static final class Revoke extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Parameters(index = "1", description = "client id (the number from 'client list')") long id;

            @Override
            public void run() {
                with(d -> {
                    d.revokeClient(tenant, id);
                    System.out.printf("client %d revoked%n", id);
                });
            }
        }
    }

    @Command(name = "admin-token", description = "Create, list or revoke tokens of the admin API.",
            subcommands = {AdminTokens.Create.class, AdminTokens.ListAll.class, AdminTokens.Revoke.class})
    public static final class AdminTokens {
        @Command(name = "create", description = "Create an admin token; prints it once.")
        static final class Create extends Storage implements Runnable {
            @Option(names = "--name", defaultValue = "admin") String name;

            @Override
            public void run() {
                with(d -> {
                    var issued = d.createAdminToken(name);
                    System.out.printf("admin token %d created%n", issued.id());
                    System.out.println("token: " + issued.token() + "   (shown once)");
                });
            }
        }

        @Command(name = "list", description = "List admin tokens.")
        static final class ListAll extends Storage implements Runnable {
            @Override
            public void run() {
                with(d -> {
                    System.out.printf("%-6s %-8s %s%n", "ID", "STATE", "NAME");
                    d.adminTokens().forEach(t -> System.out.printf("%-6d %-8s %s%n", t.id(), t.revoked() ? "revoked" : "active", t.name()));
                });
            }
        }

        @Command(name = "revoke", description = "Revoke an admin token.")
        static final class Revoke extends Storage implements Runnable {
            @Parameters(index = "0") long id;

            @Override
            public void run() {
                with(d -> {
                    d.revokeAdminToken(id);
                    System.out.printf("admin token %d revoked%n", id);
                });
            }
        }
    }

    /** {@code dossier tenant setting …}: under {@code tenant}, as every setting belongs to one tenant (or a container of it). */
    @Command(name = "setting", description = "Show, set or reset settings of a tenant or of one of its containers.",
            subcommands = {SettingCommands.ListAll.class, SettingCommands.Get.class, SettingCommands.SetValue.class, SettingCommands.Reset.class})
    public static final class SettingCommands {

        /** What every setting command takes: the tenant, and optionally one of its containers. */
        static class Target extends Storage {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Option(names = "--container", paramLabel = "KIND/ID",
                    description = "a container of the tenant (e.g. Candidate/4f2…); container settings fall back to the tenant's value")
            String container;

            AdminBackend.ContainerRef containerRef() {
                if (container == null) {
                    return null;
                }
                var slash = container.indexOf('/');
                if (slash <= 0 || slash == container.length() - 1) {
                    throw Failure.invalid("--container must be KIND/ID, such as Candidate/42");
                }
                return new AdminBackend.ContainerRef(container.substring(0, slash), container.substring(slash + 1));
            }

            static void print(List<AdminBackend.SettingView> settings) {
                System.out.printf("%-32s %-9s %-10s %-9s %s%n", "KEY", "TYPE", "SCOPE", "SOURCE", "VALUE");
                settings.forEach(s -> System.out.printf("%-32s %-9s %-10s %-9s %s%n", s.key(), s.type(), s.scope(), s.source(), s.value()));
            }

            static void print(AdminBackend.SettingView s) {
                System.out.printf("%s = %s (%s)%n", s.key(), s.value(), s.source());
            }
        }

        @Command(name = "list", description = "List the settings of a tenant (or of a container) with their values.")
        static final class ListAll extends Target implements Runnable {
            @Override
            public void run() {
                var ref = containerRef();
                with(d -> print(d.settings(tenant, ref)));
            }
        }

        @Command(name = "get", description = "Show one setting's value and where it comes from.")
        static final class Get extends Target implements Runnable {
            @Parameters(index = "1", description = "setting key, such as api.access-allowed") String key;

            @Override
            public void run() {
                var ref = containerRef();
                with(d -> print(d.setting(tenant, ref, key)));
            }
        }

        @Command(name = "set", description = "Set a setting: true/false, an integer, text, or an ISO-8601 duration (PT15M).")
        static final class SetValue extends Target implements Runnable {
            @Parameters(index = "1", description = "setting key") String key;
            @Parameters(index = "2", description = "value") String value;

            @Override
            public void run() {
                var ref = containerRef();
                with(d -> print(d.setSetting(tenant, ref, key, value)));
            }
        }

        @Command(name = "reset", description = "Remove a value, so the tenant's value or the default applies again.")
        static final class Reset extends Target implements Runnable {
            @Parameters(index = "1", description = "setting key") String key;

            @Override
            public void run() {
                var ref = containerRef();
                with(d -> print(d.resetSetting(tenant, ref, key)));
            }
        }
    }

    @Command(name = "fileapi", description = "Authorize OAuth clients for File API business types.",
            subcommands = {FileApi.Authorize.class, FileApi.Show.class})
    public static final class FileApi {
        @Command(name = "authorize", description = "Let a client publish or subscribe to business types in a tenant.")
        static final class Authorize extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Parameters(index = "1", description = "OAuth client id (of this or another tenant)") String clientId;
            @Option(names = "--role", required = true, description = "publisher or subscriber") String role;
            @Option(names = "--business-types", required = true, split = ",", description = "business type ids, comma-separated")
            List<Long> businessTypes;

            @Override
            public void run() {
                var deliveryRole = switch (role.toLowerCase(Locale.ROOT)) {
                    case "publisher" -> DeliveryRole.PUBLISHER;
                    case "subscriber" -> DeliveryRole.SUBSCRIBER;
                    default -> throw Failure.invalid("--role must be publisher or subscriber");
                };
                with(d -> {
                    d.authorize(tenant, clientId, deliveryRole, new LinkedHashSet<>(businessTypes));
                    System.out.printf("client %s may %s business types %s in tenant %s%n", clientId,
                            deliveryRole == DeliveryRole.PUBLISHER ? "publish" : "subscribe to", businessTypes, tenant);
                });
            }
        }

        @Command(name = "show", description = "Show a client's File API authorizations in a tenant.")
        static final class Show extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Parameters(index = "1", description = "OAuth client id") String clientId;

            @Override
            public void run() {
                with(d -> {
                    var authorizations = d.authorizations(tenant, clientId);
                    System.out.printf("%-12s %s%n", "ROLE", "BUSINESS TYPE");
                    authorizations.forEach(a -> System.out.printf("%-12s %d%n", a.role().name().toLowerCase(Locale.ROOT), a.businessType()));
                });
            }
        }
    }

    @Command(name = "import", description = "Load HR records (JSON lines: {\"type\":\"hr.Person\",\"op\":\"upsert\",\"record\":{…}}) "
            + "into a tenant, for the Youforce dialect.")
    public static final class HrImport extends Storage implements Runnable {
        @Parameters(index = "0", description = "tenant slug") String tenant;
        @Parameters(index = "1", description = "JSON lines file") Path file;

        @Override
        public void run() {
            with(d -> {
                var result = d.importHr(tenant, file);
                result.errors().forEach(System.out::println);
                System.out.printf("%d records applied, %d lines refused%n", result.applied(), result.failed());
            });
        }
    }

    @Command(name = "job", description = "List, show, retry or cancel durable jobs.",
            subcommands = {JobCommands.ListAll.class, JobCommands.Show.class, JobCommands.Retry.class, JobCommands.Cancel.class})
    public static final class JobCommands {

        static void print(List<AdminBackend.JobView> jobs) {
            System.out.printf("%-8s %-8s %-28s %-8s %-8s %-24s %-24s %s%n", "ID", "TENANT", "KIND", "STATE", "ATTEMPTS", "NEXT", "NODE",
                    "LAST ERROR");
            jobs.forEach(j -> System.out.printf("%-8d %-8s %-28s %-8s %-8d %-24s %-24s %s%n", j.id(), j.tenantId() == null ? "-" : j.tenantId(),
                    j.kind(), j.state(), j.attempts(), j.next() == null ? "-" : j.next(), j.node() == null ? "-" : j.node(),
                    j.lastError() == null ? "" : j.lastError()));
        }

        @Command(name = "list", description = "List jobs, newest first.")
        static final class ListAll extends Storage implements Runnable {
            @Option(names = "--tenant", description = "only this tenant's jobs (default: every tenant's and Dossier's own)") String tenant;
            @Option(names = "--state", description = "queued, running, done, failed or dead") String state;
            @Option(names = "--kind", description = "only jobs of this kind, such as noop or files.collect") String kind;
            @Option(names = "--limit", defaultValue = "50", description = "at most this many (1-1000, default ${DEFAULT-VALUE})") int limit;

            @Override
            public void run() {
                with(d -> print(d.jobs(tenant, state, kind, limit)));
            }
        }

        @Command(name = "show", description = "Show one job.")
        static final class Show extends Storage implements Runnable {
            @Parameters(index = "0", description = "job id") long id;

            @Override
            public void run() {
                with(d -> print(List.of(d.job(id))));
            }
        }

        @Command(name = "retry", description = "Queue a failed or dead job again, due now, with a new deadline.")
        static final class Retry extends Storage implements Runnable {
            @Parameters(index = "0", description = "job id") long id;

            @Override
            public void run() {
                with(d -> print(List.of(d.retryJob(id))));
            }
        }

        @Command(name = "cancel", description = "Cancel a job that has not finished: it becomes dead and no node runs it again.")
        static final class Cancel extends Storage implements Runnable {
            @Parameters(index = "0", description = "job id") long id;

            @Override
            public void run() {
                with(d -> print(List.of(d.cancelJob(id))));
            }
        }
    }

    @Command(name = "webhook", description = "Register, list and delete a tenant's webhooks; list and redeliver their deliveries.",
            subcommands = {WebhookCommands.Create.class, WebhookCommands.ListAll.class, WebhookCommands.Delete.class,
                    WebhookCommands.Deliveries.class, WebhookCommands.Redeliver.class})
    public static final class WebhookCommands {

        static void print(List<AdminBackend.WebhookView> webhooks) {
            System.out.printf("%-6s %-40s %-24s %-40s %s%n", "ID", "URL", "RECORD TYPES", "EVENTS", "CONDITION");
            webhooks.forEach(w -> System.out.printf("%-6d %-40s %-24s %-40s %s%n", w.id(), w.url(), String.join(",", w.recordTypes()),
                    String.join(",", w.events()), w.condition() == null ? "" : w.condition()));
        }

        static void printDeliveries(List<AdminBackend.WebhookDeliveryView> deliveries) {
            System.out.printf("%-8s %-28s %-40s %-8s %-8s %-6s %-24s %s%n", "ID", "EVENT", "RECORD", "STATE", "ATTEMPTS", "CODE", "NEXT",
                    "LAST ERROR");
            deliveries.forEach(d -> System.out.printf("%-8d %-28s %-40s %-8s %-8d %-6s %-24s %s%n", d.id(), d.event(), d.record(), d.state(),
                    d.attempts(), d.lastResponseCode() == null ? "-" : d.lastResponseCode(), d.next() == null ? "-" : d.next(),
                    d.lastError() == null ? "" : d.lastError()));
        }

        @Command(name = "create", description = "Register a webhook; its secret is printed once.")
        static final class Create extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Option(names = "--url", required = true, description = "http(s) URL the notifications are posted to") String url;
            @Option(names = "--record-types", required = true, split = ",", description = "record types, such as Candidate,Vacancy")
            List<String> recordTypes;
            @Option(names = "--events", required = true, split = ",",
                    description = "created, updated, deleted, statusChanged, documentAttached (comma-separated)") List<String> events;
            @Option(names = "--condition", description = "only records matching this condition, as JSON: {\"field\":\"statusId\",\"op\":\"EQ\",\"value\":3}")
            String condition;
            @Option(names = "--secret", description = "the signing secret (16-200 characters; default: a random one)") String secret;

            @Override
            public void run() {
                with(d -> {
                    var created = d.createWebhook(tenant, url, secret, recordTypes, events, condition);
                    print(List.of(created.webhook()));
                    System.out.println("secret: " + created.secret() + "   (shown once: give it to the receiver to verify signatures)");
                });
            }
        }

        @Command(name = "list", description = "List a tenant's webhooks.")
        static final class ListAll extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;

            @Override
            public void run() {
                with(d -> print(d.webhooks(tenant)));
            }
        }

        @Command(name = "delete", description = "Delete a webhook with its deliveries.")
        static final class Delete extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Parameters(index = "1", description = "webhook id") long id;

            @Override
            public void run() {
                with(d -> {
                    d.deleteWebhook(tenant, id);
                    System.out.println("deleted webhook " + id);
                });
            }
        }

        @Command(name = "deliveries", description = "List a webhook's deliveries, newest first.")
        static final class Deliveries extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Parameters(index = "1", description = "webhook id") long id;
            @Option(names = "--state", description = "queued, running, done, failed or dead") String state;
            @Option(names = "--limit", defaultValue = "50", description = "at most this many (1-1000, default ${DEFAULT-VALUE})") int limit;

            @Override
            public void run() {
                with(d -> printDeliveries(d.webhookDeliveries(tenant, id, state, limit)));
            }
        }

        @Command(name = "redeliver", description = "Send a delivery again (its same body), due now, with a new deadline.")
        static final class Redeliver extends Storage implements Runnable {
            @Parameters(index = "0", description = "tenant slug") String tenant;
            @Parameters(index = "1", description = "webhook id") long id;
            @Parameters(index = "2", description = "delivery id") long delivery;

            @Override
            public void run() {
                with(d -> printDeliveries(List.of(d.redeliver(tenant, id, delivery))));
            }
        }
    }
}
