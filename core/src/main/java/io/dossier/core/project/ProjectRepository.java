package io.dossier.core.project;

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
