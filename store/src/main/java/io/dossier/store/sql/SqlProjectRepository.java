package io.dossier.store.sql;

import static io.dossier.store.sql.SqlFileRepository.fit;
import static io.dossier.store.sql.Tables.ACCESS_GRANT;
import static io.dossier.store.sql.Tables.DOCUMENT;
import static io.dossier.store.sql.Tables.DOCUMENT_VERSION;
import static io.dossier.store.sql.Tables.MEMBER;
import static io.dossier.store.sql.Tables.STORED_FILE;
import static io.dossier.store.sql.SqlFileRepository.utc;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.dossier.core.Failure;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Resource;
import io.dossier.core.project.Folder;
import io.dossier.core.project.Project;
import io.dossier.core.project.ProjectRepository;
import io.dossier.core.project.ProjectTemplate;
import io.dossier.core.project.Projects;
import io.dossier.core.settings.SettingsRepository;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Projects, their folders and project templates (V20). */
public final class SqlProjectRepository implements ProjectRepository {

    private static final class TEMPLATE {
        static final Table<Record> T = table(name("project_template"));
        static final Field<Long> ID = field(name("project_template", "id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("project_template", "tenant_id"), Long.class);
        static final Field<String> NAME = field(name("project_template", "name"), String.class);
        static final Field<String> DESCRIPTION = field(name("project_template", "description"), String.class);
        static final Field<String> FOLDER_NAMES = field(name("project_template", "folder_names"), String.class);
        static final Field<String> TEAM_GRANTS = field(name("project_template", "team_grants"), String.class);
        static final Field<Long> METADATA_TEMPLATE_ID = field(name("project_template", "metadata_template_id"), Long.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("project_template", "created_at"), OffsetDateTime.class);
    }

    private static final class PROJECT {
        static final Table<Record> T = table(name("project"));
        static final Field<Long> ID = field(name("project", "id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("project", "tenant_id"), Long.class);
        static final Field<String> NAME = field(name("project", "name"), String.class);
        static final Field<String> DESCRIPTION = field(name("project", "description"), String.class);
        static final Field<Long> TEMPLATE_ID = field(name("project", "template_id"), Long.class);
        static final Field<Long> METADATA_TEMPLATE_ID = field(name("project", "metadata_template_id"), Long.class);
        static final Field<Long> CREATED_BY = field(name("project", "created_by"), Long.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("project", "created_at"), OffsetDateTime.class);
    }

    private static final class FOLDER {
        static final Table<Record> T = table(name("project_folder"));
        static final Field<Long> ID = field(name("project_folder", "id"), Long.class);
        static final Field<Long> TENANT_ID = field(name("project_folder", "tenant_id"), Long.class);
        static final Field<Long> PROJECT_ID = field(name("project_folder", "project_id"), Long.class);
        static final Field<String> NAME = field(name("project_folder", "name"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("project_folder", "created_at"), OffsetDateTime.class);
    }

    private final Database db;

    public SqlProjectRepository(Database db) {
        this.db = db;
    }

    // ---- templates

    @Override
    public ProjectTemplate insertTemplate(ProjectTemplate template) {
        var teams = String.join(",", template.teams().stream().map(t -> t.groupId() + ":" + t.permissions().bits()).toList());
        try {
            long id = db.sql().insertInto(TEMPLATE.T)
                    .set(TEMPLATE.TENANT_ID, template.tenantId())
                    .set(TEMPLATE.NAME, fit("name", template.name(), 255))
                    .set(TEMPLATE.DESCRIPTION, fit("description", template.description(), 4000))
                    .set(TEMPLATE.FOLDER_NAMES, fit("folder names", String.join("\n", template.folderNames()), 8000))
                    .set(TEMPLATE.TEAM_GRANTS, fit("teams", teams, 2000))
                    .set(TEMPLATE.METADATA_TEMPLATE_ID, template.metadataTemplateId())
                    .set(TEMPLATE.CREATED_AT, utc(template.createdAt()))
                    .returningResult(TEMPLATE.ID).fetchOne().value1();
            return template(template.tenantId(), id).orElseThrow();
        } catch (IntegrityConstraintViolationException e) {
            throw Failure.conflict("a project template named '" + template.name() + "' already exists");
        }
    }

    @Override
    public Optional<ProjectTemplate> template(long tenantId, long templateId) {
        return db.sql().selectFrom(TEMPLATE.T).where(TEMPLATE.TENANT_ID.eq(tenantId), TEMPLATE.ID.eq(templateId))
                .fetchOptional(SqlProjectRepository::template);
    }

    @Override
    public List<ProjectTemplate> templates(long tenantId) {
        return db.sql().selectFrom(TEMPLATE.T).where(TEMPLATE.TENANT_ID.eq(tenantId)).orderBy(TEMPLATE.ID)
                .fetch(SqlProjectRepository::template);
    }

    private static ProjectTemplate template(Record r) {
        var folders = r.get(TEMPLATE.FOLDER_NAMES).isEmpty() ? List.<String>of() : List.of(r.get(TEMPLATE.FOLDER_NAMES).split("\n"));
        var teams = new ArrayList<ProjectTemplate.TeamGrant>();
        Arrays.stream(r.get(TEMPLATE.TEAM_GRANTS).split(",")).filter(s -> !s.isBlank()).forEach(s -> {
            var parts = s.split(":");
            teams.add(new ProjectTemplate.TeamGrant(Long.parseLong(parts[0]), new Permissions(Long.parseLong(parts[1]))));
        });
        return new ProjectTemplate(r.get(TEMPLATE.ID), r.get(TEMPLATE.TENANT_ID), r.get(TEMPLATE.NAME), r.get(TEMPLATE.DESCRIPTION), folders,
                teams, r.get(TEMPLATE.METADATA_TEMPLATE_ID), r.get(TEMPLATE.CREATED_AT).toInstant());
    }

    // ---- projects

    @Override
    public Project insert(long tenantId, String name, String description, Long templateId, Long metadataTemplateId, Long createdBy,
                          Instant createdAt) {
        long id = db.sql().insertInto(PROJECT.T)
                .set(PROJECT.TENANT_ID, tenantId)
                .set(PROJECT.NAME, fit("name", name, 255))
                .set(PROJECT.DESCRIPTION, fit("description", description, 4000))
                .set(PROJECT.TEMPLATE_ID, templateId)
                .set(PROJECT.METADATA_TEMPLATE_ID, metadataTemplateId)
                .set(PROJECT.CREATED_BY, createdBy)
                .set(PROJECT.CREATED_AT, utc(createdAt))
                .returningResult(PROJECT.ID).fetchOne().value1();
        return find(tenantId, id).orElseThrow();
    }

    @Override
    public Optional<Project> find(long tenantId, long projectId) {
        return db.sql().selectFrom(PROJECT.T).where(PROJECT.TENANT_ID.eq(tenantId), PROJECT.ID.eq(projectId))
                .fetchOptional(SqlProjectRepository::project);
    }

    @Override
    public Optional<Access> findWithAccess(long tenantId, long projectId, Resource resource, Long userId, String settingKey) {
        return new AccessRead(resource, userId, settingKey).fetch(db, "access", tenantId, projectId, List.of(), PROJECT.T, Map.of(),
                (rs, column) -> null).map(AccessRead.Found::access);
    }

    /** One statement: {@link #findWithAccess}'s read, and the project's folder ids joined with commas in a column. */
    @Override
    public Optional<WithFolders> findWithFolders(long tenantId, long projectId, Resource resource, Long userId) {
        var folders = DSL.field(DSL.select(DSL.listAgg(FOLDER.ID.cast(org.jooq.impl.SQLDataType.VARCHAR(20)), ",").withinGroupOrderBy(FOLDER.ID))
                .from(FOLDER.T).where(FOLDER.TENANT_ID.eq(PROJECT.TENANT_ID), FOLDER.PROJECT_ID.eq(PROJECT.ID))).as("folder_ids");
        return new AccessRead(resource, userId, null).fetch(db, "folders", tenantId, projectId, List.of(folders), PROJECT.T, Map.of(),
                (rs, column) -> rs.getString(column)).map(read -> {
            var joined = read.extra();
            var ids = new ArrayList<Long>();
            if (joined != null && !joined.isEmpty()) {
                for (var id : joined.split(",")) {
                    ids.add(Long.parseLong(id.strip()));
                }
            }
            ids.sort(null);
            return new WithFolders(read.access(), ids);
        });
    }

    /**
     * One statement: {@link #findWithAccess}'s read, and the document (when it is in a folder of the
     * project) with the file of its current version or of {@code version}.
     */
    @Override
    public Optional<Download> findDownload(long tenantId, long projectId, Resource resource, Long userId, String settingKey, long documentId,
                                           Integer version) {
        var folder = FOLDER.T.as("df");
        var inProject = DSL.exists(DSL.selectOne().from(folder).where(
                DSL.field(DSL.name("df", "tenant_id"), Long.class).eq(DOCUMENT.TENANT_ID),
                DSL.field(DSL.name("df", "project_id"), Long.class).eq(PROJECT.ID),
                DSL.field(DSL.name("df", "id"), Long.class).cast(String.class).eq(DOCUMENT.CONTAINER_UID)));
        var from = PROJECT.T
                .leftJoin(DOCUMENT.T).on(DOCUMENT.TENANT_ID.eq(PROJECT.TENANT_ID), DOCUMENT.ID.eq(DSL.param("documentId", Long.class)),
                        DOCUMENT.CONTAINER_TYPE.eq(DSL.inline(Projects.FOLDER)), inProject)
                .leftJoin(DOCUMENT_VERSION.T).on(DOCUMENT_VERSION.DOCUMENT_ID.eq(DOCUMENT.ID),
                        version == null ? DOCUMENT_VERSION.VERSION.eq(DOCUMENT.CURRENT_VERSION)
                                : DOCUMENT_VERSION.VERSION.eq(DSL.param("version", Integer.class)))
                .leftJoin(STORED_FILE.T).on(STORED_FILE.OUID.eq(DOCUMENT_VERSION.FILE_OUID), STORED_FILE.TENANT_ID.eq(DOCUMENT.TENANT_ID));
        var extra = new ArrayList<SelectField<?>>(List.of(DOCUMENT.ID));
        extra.addAll(SqlFileRepository.FILE_COLUMNS);
        var binds = new HashMap<String, Object>();
        binds.put("documentId", documentId);
        binds.put("version", version);
        return new AccessRead(resource, userId, settingKey).fetch(db, version == null ? "download" : "download of a version", tenantId,
                projectId, extra, from, binds, (rs, column) -> {
                    rs.getLong(column);
                    boolean document = !rs.wasNull();
                    return new Download(null, document, rs.getString(column + 1) == null ? null : SqlFileRepository.file(rs, column + 1));
                }).map(read -> new Download(read.access(), read.extra().document(), read.extra().file()));
    }

    /** What a read of a project's access takes along from its first row, from {@code column} on. */
    @FunctionalInterface
    private interface Extra<T> {
        T read(java.sql.ResultSet rs, int column) throws java.sql.SQLException;
    }

    /**
     * The project row joined to every grant on it (one row each, or one without), which of them are
     * the user's, and a setting's texts; rendered once per shape and read over plain JDBC, as every
     * Opus 2 request on a project sends it.
     */
    private record AccessRead(Resource resource, Long userId, String settingKey) {

        record Found<T>(Access access, T extra) {
        }

        private static final int PROJECT_COLUMNS = 8;

        <T> Optional<Found<T>> fetch(Database db, String shape, long tenantId, long projectId, List<SelectField<?>> extra, Table<?> from,
                                     Map<String, Object> extraBinds, Extra<T> readExtra) {
            var binds = new HashMap<String, Object>(extraBinds);
            binds.put("tenantId", tenantId);
            binds.put("projectId", projectId);
            binds.put("resourceKind", resource.kind().name());
            binds.put("resourceKey", resource.key());
            binds.put("userId", userId);
            binds.put("setting", settingKey);
            binds.put("tenantScope", SettingsRepository.TENANT_LEVEL);
            var held = new ArrayList<Permissions>();
            boolean[] granted = {false};
            var found = new ArrayList<Object>(1);
            db.read(Database.Plan.REUSED, List.of("project", shape, userId != null, settingKey != null), () -> query(extra, from), binds, "reading a project's access", rs -> {
                int settings = PROJECT_COLUMNS + 3;
                int extras = settingKey == null ? settings : settings + 2;
                while (rs.next()) {
                    if (found.isEmpty()) {
                        found.add(project(rs));
                        found.add(settingKey == null ? null : rs.getString(settings));
                        found.add(settingKey == null ? null : rs.getString(settings + 1));
                        found.add(readExtra.read(rs, extras));
                    }
                    long permissions = rs.getLong(PROJECT_COLUMNS + 1);
                    if (!rs.wasNull()) {
                        granted[0] = true;
                        if (rs.getBoolean(PROJECT_COLUMNS + 2)) {
                            held.add(new Permissions(permissions));
                        }
                    }
                }
            });
            if (found.isEmpty()) {
                return Optional.empty();
            }
            @SuppressWarnings("unchecked")
            var extraRead = (T) found.get(3);
            return Optional.of(new Found<>(new Access((Project) found.get(0), held, granted[0], (String) found.get(1), (String) found.get(2)),
                    extraRead));
        }

        private org.jooq.ResultQuery<?> query(List<SelectField<?>> extra, Table<?> from) {
            var columns = new ArrayList<SelectField<?>>(List.of(PROJECT.ID, PROJECT.TENANT_ID, PROJECT.NAME, PROJECT.DESCRIPTION,
                    PROJECT.TEMPLATE_ID, PROJECT.METADATA_TEMPLATE_ID, PROJECT.CREATED_BY, PROJECT.CREATED_AT, ACCESS_GRANT.PERMISSIONS));
            var user = DSL.param("userId", Long.class);
            columns.add(DSL.field(userId == null ? DSL.falseCondition()
                    : ACCESS_GRANT.SUBJECT_KIND.eq(DSL.inline(SqlAccessRepository.USER)).and(ACCESS_GRANT.SUBJECT_ID.eq(user))
                    .or(ACCESS_GRANT.SUBJECT_KIND.eq(DSL.inline(SqlAccessRepository.GROUP)).and(DSL.exists(DSL.selectOne().from(MEMBER.T)
                            .where(MEMBER.GROUP_ID.eq(ACCESS_GRANT.SUBJECT_ID), MEMBER.USER_ID.eq(user)))))).as("mine"));
            if (settingKey != null) {
                var setting = DSL.param("setting", String.class);
                columns.add(SqlSettingsRepository.stored(PROJECT.TENANT_ID, DSL.param("resourceKey", String.class), setting).as("own_setting"));
                columns.add(SqlSettingsRepository.stored(PROJECT.TENANT_ID, DSL.param("tenantScope", String.class), setting).as("tenant_setting"));
            }
            columns.addAll(extra);
            return DSL.select(columns)
                    .from(from.leftJoin(ACCESS_GRANT.T).on(ACCESS_GRANT.TENANT_ID.eq(PROJECT.TENANT_ID),
                            ACCESS_GRANT.RESOURCE_KIND.eq(DSL.param("resourceKind", String.class)),
                            ACCESS_GRANT.RESOURCE_KEY.eq(DSL.param("resourceKey", String.class))))
                    .where(PROJECT.TENANT_ID.eq(DSL.param("tenantId", Long.class)), PROJECT.ID.eq(DSL.param("projectId", Long.class)));
        }

        /** The project of the current row, its columns first. */
        private static Project project(java.sql.ResultSet rs) throws java.sql.SQLException {
            long templateId = rs.getLong(5);
            Long template = rs.wasNull() ? null : templateId;
            long metadataTemplateId = rs.getLong(6);
            Long metadataTemplate = rs.wasNull() ? null : metadataTemplateId;
            long createdById = rs.getLong(7);
            Long createdBy = rs.wasNull() ? null : createdById;
            return new Project(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), template, metadataTemplate, createdBy,
                    rs.getObject(8, OffsetDateTime.class).toInstant());
        }
    }

    @Override
    public List<Project> list(long tenantId) {
        return db.sql().selectFrom(PROJECT.T).where(PROJECT.TENANT_ID.eq(tenantId)).orderBy(PROJECT.ID).fetch(SqlProjectRepository::project);
    }

    private static Project project(Record r) {
        return new Project(r.get(PROJECT.ID), r.get(PROJECT.TENANT_ID), r.get(PROJECT.NAME), r.get(PROJECT.DESCRIPTION),
                r.get(PROJECT.TEMPLATE_ID), r.get(PROJECT.METADATA_TEMPLATE_ID), r.get(PROJECT.CREATED_BY),
                r.get(PROJECT.CREATED_AT).toInstant());
    }

    // ---- folders

    @Override
    public Folder insertFolder(long tenantId, long projectId, String name, Instant createdAt) {
        if (folderByName(tenantId, projectId, name).isPresent()) {
            throw Failure.conflict("A folder named '" + name + "' already exists in this project");
        }
        try {
            long id = db.sql().insertInto(FOLDER.T)
                    .set(FOLDER.TENANT_ID, tenantId)
                    .set(FOLDER.PROJECT_ID, projectId)
                    .set(FOLDER.NAME, fit("name", name, 255))
                    .set(FOLDER.CREATED_AT, utc(createdAt))
                    .returningResult(FOLDER.ID).fetchOne().value1();
            return folder(tenantId, id).orElseThrow();
        } catch (IntegrityConstraintViolationException e) {
            throw Failure.conflict("A folder named '" + name + "' already exists in this project");
        }
    }

    @Override
    public Optional<Folder> folder(long tenantId, long folderId) {
        return db.sql().selectFrom(FOLDER.T).where(FOLDER.TENANT_ID.eq(tenantId), FOLDER.ID.eq(folderId))
                .fetchOptional(SqlProjectRepository::folder);
    }

    @Override
    public Optional<Folder> folderByName(long tenantId, long projectId, String name) {
        return db.sql().selectFrom(FOLDER.T).where(FOLDER.TENANT_ID.eq(tenantId), FOLDER.PROJECT_ID.eq(projectId), FOLDER.NAME.eq(name))
                .fetchOptional(SqlProjectRepository::folder);
    }

    @Override
    public List<Folder> folders(long tenantId, long projectId, int offset, int limit) {
        return db.sql().selectFrom(FOLDER.T).where(FOLDER.TENANT_ID.eq(tenantId), FOLDER.PROJECT_ID.eq(projectId))
                .orderBy(FOLDER.ID).offset(Math.max(0, offset)).limit(Math.max(0, limit)).fetch(SqlProjectRepository::folder);
    }

    @Override
    public long countFolders(long tenantId, long projectId) {
        return db.sql().fetchCount(FOLDER.T, FOLDER.TENANT_ID.eq(tenantId), FOLDER.PROJECT_ID.eq(projectId));
    }

    @Override
    public List<Long> folderIds(long tenantId, long projectId) {
        return db.sql().select(FOLDER.ID).from(FOLDER.T).where(FOLDER.TENANT_ID.eq(tenantId), FOLDER.PROJECT_ID.eq(projectId))
                .orderBy(FOLDER.ID).fetch(FOLDER.ID);
    }

    @Override
    public boolean deleteFolder(long tenantId, long folderId) {
        return db.sql().deleteFrom(FOLDER.T).where(FOLDER.TENANT_ID.eq(tenantId), FOLDER.ID.eq(folderId)).execute() > 0;
    }

    private static Folder folder(Record r) {
        return new Folder(r.get(FOLDER.ID), r.get(FOLDER.TENANT_ID), r.get(FOLDER.PROJECT_ID), r.get(FOLDER.NAME),
                r.get(FOLDER.CREATED_AT).toInstant());
    }
}
