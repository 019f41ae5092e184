package io.dossier.core.project;

import io.dossier.core.access.Permissions;
import io.dossier.core.access.Resource;
import io.dossier.core.content.StoredFile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: projects, their folders and project templates. Every call takes the tenant. */
public interface ProjectRepository {

    ProjectTemplate insertTemplate(ProjectTemplate template);

    Optional<ProjectTemplate> template(long tenantId, long templateId);

    List<ProjectTemplate> templates(long tenantId);

    Project insert(long tenantId, String name, String description, Long templateId, Long metadataTemplateId, Long createdBy,
                   Instant createdAt);

    Optional<Project> find(long tenantId, long projectId);

    /**
     * A project with what deciding a caller's access to it takes, read at once: the permissions of
     * each grant on it to the user or to a group the user is in ({@code held}), whether anybody holds
     * a grant on it ({@code granted}), and the stored texts of one container setting on it and on its
     * tenant (null when none is stored).
     */
    record Access(Project project, List<Permissions> held, boolean granted, String settingText, String tenantSettingText) {
    }

    /**
     * The project as {@link Access}, in one statement: {@code resource} is the project's resource in
     * the access model (and its settings' scope), {@code userId} the caller's user (null: none, nothing
     * is held), {@code settingKey} a container setting to read along (null: none).
     */
    Optional<Access> findWithAccess(long tenantId, long projectId, Resource resource, Long userId, String settingKey);

    /** The project as {@link Access}, and the ids of its folders in increasing order. */
    record WithFolders(Access access, List<Long> folderIds) {
    }

    /** The project as {@link WithFolders}, in one statement: {@link #findWithAccess}'s read (no setting) and its folders' ids. */
    Optional<WithFolders> findWithFolders(long tenantId, long projectId, Resource resource, Long userId);

    /**
     * What a download reads: the project as {@link Access}, whether the document is in a folder of the
     * project ({@code document}), and the file of its current version, or of {@code version} when
     * not null (null when there is no such version).
     */
    record Download(Access access, boolean document, StoredFile file) {
    }

    /** The project as {@link Download}, in one statement: {@link #findWithAccess}'s read and the document's file. */
    Optional<Download> findDownload(long tenantId, long projectId, Resource resource, Long userId, String settingKey, long documentId,
                                    Integer version);

    /** Every project of the tenant, by id. */
    List<Project> list(long tenantId);

    /** Inserts a folder; a name the project already has is a CONFLICT. */
    Folder insertFolder(long tenantId, long projectId, String name, Instant createdAt);

    Optional<Folder> folder(long tenantId, long folderId);

    Optional<Folder> folderByName(long tenantId, long projectId, String name);

    /** A page of the project's folders, by id. */
    List<Folder> folders(long tenantId, long projectId, int offset, int limit);

    long countFolders(long tenantId, long projectId);

    /** The ids of every folder of the project. */
    List<Long> folderIds(long tenantId, long projectId);

    boolean deleteFolder(long tenantId, long folderId);
}
