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
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
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
        return new AccessRead(resource, userId, settingKey).fetch(db.sql(), tenantId, projectId, List.of(), PROJECT.T).map(AccessRead.Rows::access);
    }

    /** One statement: {@link #findWithAccess}'s read, and the project's folder ids joined with commas in a column. */
    @Override
    public Optional<WithFolders> findWithFolders(long tenantId, long projectId, Resource resource, Long userId) {
        var folders = DSL.field(DSL.select(DSL.listAgg(FOLDER.ID.cast(org.jooq.impl.SQLDataType.VARCHAR(20)), ",").withinGroupOrderBy(FOLDER.ID))
                .from(FOLDER.T).where(FOLDER.TENANT_ID.eq(PROJECT.TENANT_ID), FOLDER.PROJECT_ID.eq(PROJECT.ID))).as("folder_ids");
        return new AccessRead(resource, userId, null).fetch(db.sql(), tenantId, projectId, List.of(folders), PROJECT.T).map(read -> {
            var joined = read.rows().getFirst().get(folders);
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
                .leftJoin(DOCUMENT.T).on(DOCUMENT.TENANT_ID.eq(PROJECT.TENANT_ID), DOCUMENT.ID.eq(documentId),
                        DOCUMENT.CONTAINER_TYPE.eq(Projects.FOLDER), inProject)
                .leftJoin(DOCUMENT_VERSION.T).on(DOCUMENT_VERSION.DOCUMENT_ID.eq(DOCUMENT.ID),
                        version == null ? DOCUMENT_VERSION.VERSION.eq(DOCUMENT.CURRENT_VERSION) : DOCUMENT_VERSION.VERSION.eq(version))
                .leftJoin(STORED_FILE.T).on(STORED_FILE.OUID.eq(DOCUMENT_VERSION.FILE_OUID), STORED_FILE.TENANT_ID.eq(DOCUMENT.TENANT_ID));
        var extra = new ArrayList<SelectField<?>>(List.of(DOCUMENT.ID));
        extra.addAll(SqlFileRepository.FILE_COLUMNS);
        return new AccessRead(resource, userId, settingKey).fetch(db.sql(), tenantId, projectId, extra, from).map(read -> {
            var first = read.rows().getFirst();
            return new Download(read.access(), first.get(DOCUMENT.ID) != null,
                    first.get(STORED_FILE.OUID) == null ? null : SqlFileRepository.file(first));
        });
    }

    /** The project row joined to every grant on it (one row each, or one without), which of them are the user's, and a setting's texts. */
    private record AccessRead(Resource resource, Long userId, String settingKey) {

        record Rows(List<Record> rows, Access access) {
        }

        Optional<Rows> fetch(DSLContext sql, long tenantId, long projectId, List<SelectField<?>> extra, Table<?> from) {
            var columns = new ArrayList<SelectField<?>>(List.of(PROJECT.ID, PROJECT.TENANT_ID, PROJECT.NAME, PROJECT.DESCRIPTION,
                    PROJECT.TEMPLATE_ID, PROJECT.METADATA_TEMPLATE_ID, PROJECT.CREATED_BY, PROJECT.CREATED_AT, ACCESS_GRANT.PERMISSIONS));
            Field<Boolean> mine = DSL.field(userId == null ? DSL.falseCondition()
                    : ACCESS_GRANT.SUBJECT_KIND.eq(SqlAccessRepository.USER).and(ACCESS_GRANT.SUBJECT_ID.eq(userId))
                    .or(ACCESS_GRANT.SUBJECT_KIND.eq(SqlAccessRepository.GROUP).and(DSL.exists(DSL.selectOne().from(MEMBER.T)
                            .where(MEMBER.GROUP_ID.eq(ACCESS_GRANT.SUBJECT_ID), MEMBER.USER_ID.eq(userId)))))).as("mine");
            columns.add(mine);
            Field<String> own = null;
            Field<String> tenant = null;
            if (settingKey != null) {
                own = SqlSettingsRepository.stored(PROJECT.TENANT_ID, resource.key(), settingKey).as("own_setting");
                tenant = SqlSettingsRepository.stored(PROJECT.TENANT_ID, SettingsRepository.TENANT_LEVEL, settingKey).as("tenant_setting");
                columns.add(own);
                columns.add(tenant);
            }
            columns.addAll(extra);
            var rows = sql.select(columns)
                    .from(from.leftJoin(ACCESS_GRANT.T).on(ACCESS_GRANT.TENANT_ID.eq(PROJECT.TENANT_ID),
                            ACCESS_GRANT.RESOURCE_KIND.eq(resource.kind().name()), ACCESS_GRANT.RESOURCE_KEY.eq(resource.key())))
                    .where(PROJECT.TENANT_ID.eq(tenantId), PROJECT.ID.eq(projectId))
                    .fetch();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            var held = new ArrayList<Permissions>();
            boolean granted = false;
            for (var r : rows) {
                if (r.get(ACCESS_GRANT.PERMISSIONS) != null) {
                    granted = true;
                    if (Boolean.TRUE.equals(r.get(mine))) {
                        held.add(new Permissions(r.get(ACCESS_GRANT.PERMISSIONS)));
                    }
                }
            }
            var first = rows.getFirst();
            return Optional.of(new Rows(rows, new Access(project(first), held, granted, own == null ? null : first.get(own),
                    tenant == null ? null : first.get(tenant))));
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
