package io.dossier.server;

import io.dossier.api.admin.AdminApi;
import io.dossier.api.http.Dialect;
import io.dossier.api.fileapi.FileApi;
import io.dossier.api.ows.OwsApi;
import io.dossier.api.ows.OwsService;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Callers;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.content.BlobScrub;
import io.dossier.core.content.ContentService;
import io.dossier.core.paging.Cursor;
import io.dossier.core.delivery.DeliveryService;
import io.dossier.core.document.DocumentService;
import io.dossier.core.token.TokenService;
import io.dossier.core.job.Jobs;
import io.dossier.core.ratelimit.RateLimiter;
import io.dossier.store.sql.SqlRateLimitRepository;
import io.dossier.store.sql.SqlJobRepository;
import io.dossier.core.record.RecordService;
import io.dossier.core.record.UserRecords;
import io.dossier.core.schema.Schemas;
import io.dossier.store.sql.SqlDeliveryRepository;
import io.dossier.store.sql.SqlDocumentRepository;
import io.dossier.store.sql.SqlTokenRepository;
import io.dossier.store.sql.SqlSettingsRepository;
import io.dossier.core.settings.SettingsService;
import io.dossier.store.sql.SqlBlobIntegrity;
import io.dossier.store.sql.SqlFileRepository;
import io.dossier.store.sql.SqlRecordFilterRepository;
import io.dossier.store.sql.SqlRecordRepository;
import io.dossier.store.sql.SqlOutboxRepository;
import io.dossier.store.mail.SmtpMailTransport;
import io.dossier.store.sql.SqlPortalAccountRepository;
import io.dossier.core.mail.MailService;
import io.dossier.core.portal.PortalAccountService;
import io.dossier.core.content.BlobStore;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.PasswordHasher;
import io.dossier.core.session.SessionService;
import io.dossier.core.tenant.TenantService;
import io.dossier.server.config.ConfigException;
import io.dossier.server.config.Settings;
import io.dossier.store.blob.FolderBlobStore;
import io.dossier.store.blob.S3BlobStore;
import io.dossier.store.sql.Database;
import io.dossier.store.sql.SqlChangeRepository;
import io.dossier.store.sql.SqlCursorKey;
import io.dossier.store.sql.SqlIdentityRepository;
import io.dossier.store.sql.SqlSessionRepository;
import io.dossier.store.sql.SqlTenantRepository;
import io.dossier.api.opus2.Opus2Api;
import io.dossier.core.access.AccessService;
import io.dossier.core.metadata.MetadataService;
import io.dossier.core.project.Projects;
import io.dossier.store.sql.SqlAccessRepository;
import io.dossier.store.sql.SqlMetadataRepository;
import io.dossier.store.sql.SqlProjectRepository;
import java.time.Clock;
import io.dossier.api.ows.OwsNotifications;
import io.dossier.core.webhook.SecretBox;
import io.dossier.core.webhook.TargetCheck;
import io.dossier.core.webhook.WebhookPolicy;
import io.dossier.core.webhook.Webhooks;
import io.dossier.store.sql.SqlWebhookRepository;
import io.dossier.store.webhook.HttpWebhookSender;
import java.util.List;

/**
 * The composition root: storage opened from the settings, core services built on it by hand, and
 * the dialects built on the services. Nothing else in the process constructs these.
 */
public final class Dossier implements AutoCloseable {

    /** How long a deleted file's blob stays readable, so downloads in flight can finish. */
    static final java.time.Duration DELETE_GRACE = java.time.Duration.ofMinutes(15);

    private final Settings settings;
    private final Database database;
    private final BlobStore blobs;
    private final TenantService tenants;
    private final IdentityService identities;
    private final SessionService sessions;
    private final Schemas schemas;
    private final RecordService records;
    private final SqlRecordRepository recordRepository;
    private final ContentService content;
    private final DocumentService documents;
    private final TokenService tokens;
    private final DeliveryService deliveries;
    private final ChangeFeed changes;
    private final SettingsService tenantSettings;
    private final Callers callers;
    private final MailService mail;
    private final PortalAccountService portalAccounts;
    private final Jobs jobs;
    private final RateLimiter rateLimits;
    private final Webhooks webhooks;
    private final BlobScrub blobScrub;
    // youforce
    private final io.dossier.core.record.RecordWalk recordWalk;
    private final io.dossier.core.intake.DocumentIntake documentIntake;
    private final AccessService access;
    private final MetadataService metadata;
    private final Projects projects;

    private Dossier(Settings settings, Database database, BlobStore blobs, boolean searchIndexesLater) {
        this.settings = settings;
        this.database = database;
        this.blobs = blobs;
        var tenantRepository = new SqlTenantRepository(database);
        this.tenants = new TenantService(tenantRepository);
        this.identities = new IdentityService(new SqlIdentityRepository(database), tenantRepository, PasswordHasher.standard());
        this.sessions = new SessionService(new SqlSessionRepository(database), Clock.systemUTC(), settings.sessionCache());
        this.changes = new ChangeFeed(new SqlChangeRepository(database), database, new Cursor(new SqlCursorKey(database)),
                Clock.systemUTC(), settings.changeTombstoneLifetime());
        this.schemas = Schemas.builtIn();
        var recordFilters = new SqlRecordFilterRepository(database);
        this.callers = new Callers(new SqlIdentityRepository(database), recordFilters,
                name -> schemas.type(name).or(() -> schemas.byStorageName(name)), settings.sessionCache());
        this.recordRepository = new SqlRecordRepository(database);
        recordRepository.prepare(schemas.all(), searchIndexesLater);
        var userRecords = schemas.type("directory.User").map(type -> new UserRecords(identities, recordRepository, type)).orElse(null);
        this.records = new RecordService(recordRepository, new TenantUsers(), userRecords, database, Clock.systemUTC(), changes, schemas,
                recordFilters, settings.sessionCache());
        this.content = new ContentService(blobs, new SqlFileRepository(database), Clock.systemUTC(),
                settings.unboundUploadTtl(), DELETE_GRACE, changes);
        var integrity = new SqlBlobIntegrity(database);
        content.onDamagedBlob(damaged -> integrity.recordDamaged(damaged.blobId(), damaged.foundBy(), damaged.getMessage(), java.time.Instant.now()));
        this.blobScrub = new BlobScrub(content, integrity, Clock.systemUTC());
        var documentTypes = schemas.type("documents.DocumentType").orElseThrow();
        var projectRepository = new SqlProjectRepository(database);
        this.documents = new DocumentService(new SqlDocumentRepository(database, documentTypes, "name"), content,
                new ProjectFolders(projectRepository, new RecordContainers(records, schemas)), new RecordDocumentTypes(records, documentTypes),
                Clock.systemUTC(), changes);
        this.tenantSettings = new SettingsService(new SqlSettingsRepository(database), database, Clock.systemUTC());
        this.tokens = new TokenService(identities, tenants, new SqlTokenRepository(database), callers, Clock.systemUTC(),
                settings.tokenLifetime(), settings.sessionCache());
        this.deliveries = new DeliveryService(new SqlDeliveryRepository(database), content, database, Clock.systemUTC(),
                Schemas.definition("definitions/fileapi/delivery.def"), settings.unboundUploadTtl(), changes, settings.sessionCache(),
                settings.sessionCache());
        this.mail = new MailService(new SqlOutboxRepository(database), identities, database,
                settings.smtp().map(SmtpMailTransport::new).orElse(null), Clock.systemUTC());
        this.portalAccounts = new PortalAccountService(new SqlPortalAccountRepository(database), records, schemas,
                PasswordHasher.standard(), Clock.systemUTC());
        this.jobs = new Jobs(new SqlJobRepository(database), Clock.systemUTC(), new java.util.Random(), nodeName());
        jobs.register(NoopJob.KIND);
        var limits = settings.rateLimits();
        this.rateLimits = new RateLimiter(new SqlRateLimitRepository(database), Clock.systemUTC(), limits.window(), limits.refresh(),
                limits.enabled());
        // each dialect's default; a dialect to come adds its row here
        rateLimits.declare("ows", OwsService.DEFAULT_RATE_LIMIT);
        rateLimits.declare("fileapi", FileApi.DEFAULT_RATE_LIMIT);
        // ---- the access model and runtime metadata (one each; every dialect that needs them shares these)
        this.access = new AccessService(new SqlAccessRepository(database), new SqlIdentityRepository(database), changes);
        this.metadata = new MetadataService(new SqlMetadataRepository(database), database, Clock.systemUTC(),
                (tenantId, userId) -> identities.findUser(tenantId, userId).isPresent(), changes, access);
        // ---- Opus 2: projects and folders over the access model, documents and metadata
        this.projects = new Projects(projectRepository, access, documents, metadata, changes, Clock.systemUTC());
        rateLimits.declare("opus2", Opus2Api.DEFAULT_RATE_LIMIT);
        // webhooks: secrets sealed under secrets.key, bodies in the OWS notification shape
        var hooks = settings.webhooks();
        this.webhooks = new Webhooks(new SqlWebhookRepository(database), changes, records, schemas, tenantSettings,
                new OwsNotifications(schemas), new HttpWebhookSender(hooks.timeout()), hooks.secretsKey().map(SecretBox::new).orElse(null),
                TargetCheck.standard(), database, Clock.systemUTC(), new java.util.Random(), jobs.node(),
                new WebhookPolicy(hooks.timeout(), hooks.retryDeadline(), hooks.firstBackoff(), hooks.maxBackoff(), hooks.leaseMargin()));
        rateLimits.declare("youforce", io.dossier.api.youforce.YouforceApi.DEFAULT_RATE_LIMIT);
        // youforce: HR data walked in change-feed order, documents taken in for personal files by a durable job
        this.recordWalk = new io.dossier.core.record.RecordWalk(records, changes);
        this.documentIntake = new io.dossier.core.intake.DocumentIntake(jobs, content, documents, records, tenantSettings, database,
                Clock.systemUTC(), settings.jobs().documentRetry());
        jobs.register(documentIntake.kind());
        BackgroundWork.register(jobs, this);
    }

    /** This process among the nodes, as job listings show it: host and process id. */
    private static String nodeName() {
        var host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "node";
            }
        }
        var name = host + "-" + ProcessHandle.current().pid();
        return name.length() <= 100 ? name : name.substring(name.length() - 100);
    }

    /** The {@code users} option list of a tenant: user id → display name. */
    private final class TenantUsers implements io.dossier.core.record.UserOptions {
        @Override
        public java.util.Map<String, String> all(long tenantId) {
            var out = new java.util.LinkedHashMap<String, String>();
            identities.listUsers(tenantId).forEach(u -> out.put(Long.toString(u.id()), u.displayName()));
            return out;
        }

        @Override
        public boolean has(long tenantId, String value) {
            long id;
            try {
                id = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return false;
            }
            return identities.findUser(tenantId, id).isPresent();
        }
    }

    /** Opens storage; any problem becomes a {@link ConfigException} naming the setting at fault. */
    public static Dossier open(Settings settings) {
        return open(settings, false);
    }

    /**
     * @param searchIndexesLater leave the embedded database's full-text indexes that are due to
     *                           {@link #buildSearchIndexes}: a start about to add many records (the
     *                           demo seed) builds them once, after, instead of row by row; an admin
     *                           command leaves them to the next server start
     */
    public static Dossier open(Settings settings, boolean searchIndexesLater) {
        var database = openDatabase(settings);
        try {
            return new Dossier(settings, database, openBlobs(settings.blobs()), searchIndexesLater);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static Database openDatabase(Settings settings) {
        try {
            return Database.open(new Database.Settings(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize(),
                    settings.dbCompactFromBytes()));
        } catch (RuntimeException e) {
            throw new ConfigException("db.url (DOSSIER_DB_URL)", "names a database that cannot be used: " + rootMessage(e));
        }
    }

    private static BlobStore openBlobs(Settings.BlobSettings blobs) {
        return switch (blobs) {
            case Settings.FolderBlobs(var folder) -> {
                try {
                    yield new FolderBlobStore(folder);
                } catch (Exception e) {
                    throw new ConfigException("blob.folder (DOSSIER_BLOB_FOLDER)", "cannot be used: " + rootMessage(e));
                }
            }
            case Settings.S3Blobs s3 -> {
                try {
                    yield S3BlobStore.open(new S3BlobStore.Settings(s3.endpoint(), s3.region(), s3.bucket(), s3.accessKey(),
                            s3.secretKey(), s3.pathStyle(), s3.prefix()));
                } catch (RuntimeException e) {
                    throw new ConfigException("s3.bucket (DOSSIER_S3_BUCKET)", "cannot be reached: " + rootMessage(e));
                }
            }
        };
    }

    static String rootMessage(Throwable e) {
        var root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        var message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** Every dialect, in mounting order. */
    public List<Dialect> dialects() {
        return List.of(
                new OwsApi(new OwsService(sessions, callers, identities, tenants, records, schemas, documents, settings.sessionIdle(),
                        tenantSettings, rateLimits, mail, portalAccounts, webhooks),
                        content, documents, settings.maxUploadBytes()),
                new FileApi(tokens, deliveries, content, tenants, settings.maxUploadBytes(), tenantSettings, rateLimits),
                new io.dossier.api.youforce.YouforceApi(tokens, records, recordWalk, schemas, content, documentIntake, tenants,
                        tenantSettings, rateLimits),
                new AdminApi(tenants, identities, tokens, deliveries, callers, tenantSettings, jobs, rateLimits, mail, webhooks)
                        .withBlobScrub(blobScrub)
                        .withHr(new io.dossier.api.admin.HrAdmin(records, schemas, documents, content)),
                new Opus2Api(identities, callers, projects, content, rateLimits, settings.maxUploadBytes(), database),
                new io.dossier.api.logicaldoc.LogicalDocApi(sessions, callers, identities, metadata, access,
                        settings.logicaldocSessionIdle()));
    }

    /** Records as the containers of documents (a candidate's CV). */
    private record RecordContainers(RecordService records, Schemas schemas) implements DocumentService.Containers {
        @Override
        public boolean exists(Caller caller, String containerType, String containerUid) {
            return schemas.byStorageName(containerType).map(t -> records.exists(caller, t, containerUid)).orElse(false);
        }

        @Override
        public boolean filtered(Caller caller, String containerType) {
            return schemas.byStorageName(containerType).map(t -> records.filtered(caller, t)).orElse(false);
        }
    }

    /** Documents in project folders (container type {@link Projects#FOLDER}); every other container is a record. */
    private record ProjectFolders(SqlProjectRepository folders, RecordContainers records) implements DocumentService.Containers {
        @Override
        public boolean exists(Caller caller, String containerType, String containerUid) {
            if (Projects.FOLDER.equals(containerType)) {
                try {
                    return folders.folder(caller.tenantId(), Long.parseLong(containerUid)).isPresent();
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            return records.exists(caller, containerType, containerUid);
        }

        @Override
        public boolean filtered(Caller caller, String containerType) {
            return !Projects.FOLDER.equals(containerType) && records.filtered(caller, containerType);
        }
    }

    /** Grants of users and groups on containers, templates and document types. */
    public AccessService access() {
        return access;
    }

    /** Runtime metadata: templates, attribute sets and the values documents are described with. */
    public MetadataService metadata() {
        return metadata;
    }

    /** Projects, their folders and documents, and project templates. */
    public Projects projects() {
        return projects;
    }

    public MailService mail() {
        return mail;
    }

    public PortalAccountService portalAccounts() {
        return portalAccounts;
    }

    public Callers callers() {
        return callers;
    }

    public Settings settings() {
        return settings;
    }

    public Database database() {
        return database;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public TenantService tenants() {
        return tenants;
    }

    public IdentityService identities() {
        return identities;
    }

    public SessionService sessions() {
        return sessions;
    }

    public Schemas schemas() {
        return schemas;
    }

    public RecordService records() {
        return records;
    }

    public BlobScrub blobScrub() {
        return blobScrub;
    }

    public ContentService content() {
        return content;
    }

    public DocumentService documents() {
        return documents;
    }

    public TokenService tokens() {
        return tokens;
    }

    public DeliveryService deliveries() {
        return deliveries;
    }

    /** Typed settings per tenant and container (named so, beside the server's own {@link Settings}). */
    public SettingsService tenantSettings() {
        return tenantSettings;
    }

    /** Durable jobs: the kinds this node runs, enqueueing, and the operator's list, retry and cancel. */
    public Jobs jobs() {
        return jobs;
    }

    /** Rate limits per client and dialect, held across nodes in the database. */
    public RateLimiter rateLimits() {
        return rateLimits;
    }

    /** Webhooks: registration, dispatch from the change feed, and deliveries. */
    public Webhooks webhooks() {
        return webhooks;
    }

    /** Documents taken in for personal files (Youforce uploads), behind tickets. */
    public io.dossier.core.intake.DocumentIntake documentIntake() {
        return documentIntake;
    }

    /** Builds the search indexes {@link #open(Settings, boolean)} left; until then searches read every row of their tables. */
    public void buildSearchIndexes() {
        recordRepository.buildFullText();
    }

    /** Every tenant's change feed: written by the services above, read by the dialects that sync. */
    public ChangeFeed changes() {
        return changes;
    }

    @Override
    public void close() {
        try {
            if (blobs instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing the blob store failed", e);
        } finally {
            database.close();
        }
    }
}
