package io.dossier.core.project;

import io.dossier.core.Failure;
import io.dossier.core.access.AccessGrant;
import io.dossier.core.access.AccessService;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Permission;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Resource;
import io.dossier.core.access.Subject;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.content.FileNames;
import io.dossier.core.content.StoredBlob;
import io.dossier.core.content.StoredFile;
import io.dossier.core.document.ChangedDocument;
import io.dossier.core.document.Document;
import io.dossier.core.document.DocumentService;
import io.dossier.core.document.DocumentVersion;
import io.dossier.core.document.ListedDocument;
import io.dossier.core.metadata.Attribute;
import io.dossier.core.metadata.MetadataService;
import io.dossier.core.metadata.MetadataValues;
import io.dossier.core.paging.Page;
import io.dossier.core.settings.Settings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Projects, their folders and the documents in them, and project templates. A project is a
 * resource of the access model ({@link #resource}): a user reads it with {@link Permission#READ},
 * writes in it with {@link Permission#WRITE} (adding with {@link Permission#ADD}, deleting with
 * {@link Permission#DELETE}), downloads with {@link Permission#DOWNLOAD} when the project's setting
 * {@link Settings#DOCUMENTS_DOWNLOAD_VIA_API} allows it, and shares it with
 * {@link Permission#SECURITY}. Folders are the containers documents are in; a document of a
 * folder of another project does not exist for a request about this one.
 *
 * <p>Who may create projects ({@link #PROJECTS}, ADD) and manage users and teams
 * ({@link #DIRECTORY}, SECURITY) are resources too: open to every user of a tenant where nobody
 * holds a grant on them, as with every resource.
 */
public final class Projects {

    /** The container type of projects in the access model and in settings. */
    public static final String PROJECT = "project";
    /** The container type of documents that are in a project's folder. */
    public static final String FOLDER = "project-folder";
    /** Creating projects takes ADD on this resource. */
    public static final Resource PROJECTS = Resource.container(PROJECT, "*");
    /** Creating users and changing who is in which team takes SECURITY on this resource. */
    public static final Resource DIRECTORY = Resource.container("directory", "users");

    public static final Permissions READ_ONLY = Permissions.of(Permission.READ, Permission.DOWNLOAD);
    public static final Permissions READ_WRITE = Permissions.of(Permission.READ, Permission.DOWNLOAD, Permission.WRITE, Permission.ADD,
            Permission.DELETE, Permission.RENAME, Permission.MOVE);
    /** What the user who creates a project holds on it. */
    public static final Permissions OWNER = READ_WRITE.union(Permissions.of(Permission.SECURITY));

    public static final int MAX_NAME_LENGTH = 255;

    private final ProjectRepository projects;
    private final AccessService access;
    private final DocumentService documents;
    private final MetadataService metadata;
    private final ChangeFeed feed;
    private final Clock clock;

    public Projects(ProjectRepository projects, AccessService access, DocumentService documents, MetadataService metadata,
                    ChangeFeed feed, Clock clock) {
        this.projects = projects;
        this.access = access;
        this.documents = documents;
        this.metadata = metadata;
        this.feed = feed;
        this.clock = clock;
    }

    public static Resource resource(long projectId) {
        return Resource.container(PROJECT, Long.toString(projectId));
    }

    /** The documents' containers: whether a folder exists in the tenant (for {@link DocumentService.Containers}). */
    public boolean folderExists(long tenantId, String folderUid) {
        return parse(folderUid).flatMap(id -> projects.folder(tenantId, id)).isPresent();
    }

    private static Optional<Long> parse(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Refuses (FORBIDDEN) unless the caller may create users and change teams ({@link #DIRECTORY}, SECURITY). */
    public void requireDirectory(Caller caller) {
        if (!access.allows(caller, DIRECTORY, Permission.SECURITY)) {
            throw Failure.forbidden("You do not have permission to manage users and teams");
        }
    }

    // ---- templates

    public ProjectTemplate createTemplate(Caller caller, String name, String description, List<String> folderNames,
                                          List<ProjectTemplate.TeamGrant> teams, Long metadataTemplateId) {
        access.require(caller, PROJECTS, Permission.ADD);
        name("template name", name);
        folderNames.forEach(folder -> name("folder name", folder));
        if (metadataTemplateId != null) {
            metadata.schema(caller, metadataTemplateId);
        }
        return projects.insertTemplate(new ProjectTemplate(0, caller.tenantId(), name, description == null ? "" : description,
                folderNames, teams, metadataTemplateId, clock.instant()));
    }

    /**
     * A project template whose fields are new: a runtime metadata template of them is made with it
     * (named after it), in the same transaction.
     */
    public ProjectTemplate createTemplateWithFields(Caller caller, String name, String description, List<String> folderNames,
                                                    List<ProjectTemplate.TeamGrant> teams, List<Attribute> fields) {
        access.require(caller, PROJECTS, Permission.ADD);
        name("template name", name);
        return feed.write(() -> {
            Long metadataTemplate = null;
            if (!fields.isEmpty()) {
                metadataTemplate = metadata.create(caller, io.dossier.core.metadata.MetadataSchema.Kind.TEMPLATE, "Project template " + name,
                        name, description, fields).id();
            }
            return createTemplate(caller, name, description, folderNames, teams, metadataTemplate);
        });
    }

    public List<ProjectTemplate> templates(Caller caller) {
        return projects.templates(caller.tenantId());
    }

    // ---- projects

    /**
     * Creates a project; with a template, its folders, team grants and metadata template come from
     * it. The creating user holds {@link #OWNER} on it.
     */
    public Project create(Caller caller, String name, String description, Long templateId) {
        access.require(caller, PROJECTS, Permission.ADD);
        name("name", name);
        if (description != null && description.length() > 4000) {
            throw Failure.invalid("description must have at most 4000 characters");
        }
        var template = templateId == null ? null : projects.template(caller.tenantId(), templateId)
                .orElseThrow(() -> Failure.notFound("Project template not found"));
        return feed.write(() -> {
            var project = projects.insert(caller.tenantId(), name, description == null ? "" : description, templateId,
                    template == null ? null : template.metadataTemplateId(), caller.userId().orElse(null), clock.instant());
            var internal = new Caller.Internal(caller.tenantId(), "project set-up");
            caller.userId().ifPresent(user -> access.grant(internal, resource(project.id()), new Subject.User(user), OWNER));
            if (template != null) {
                for (var team : template.teams()) {
                    access.grant(internal, resource(project.id()), new Subject.Group(team.groupId()), team.permissions());
                }
                for (var folder : template.folderNames()) {
                    projects.insertFolder(caller.tenantId(), project.id(), folder, clock.instant());
                }
            }
            return project;
        });
    }

    /** The project, if the caller may read it: NOT_FOUND outside the tenant, FORBIDDEN without access. */
    public Project project(Caller caller, long projectId) {
        return permitted(caller, projectId, Permission.READ, "read this project");
    }

    /** A project the caller may add documents to, with its folders' ids as they were read with its access. */
    public record AddTarget(Project project, List<Long> folderIds) {
    }

    /**
     * Refuses (FORBIDDEN) unless the caller may add documents to the project, so that a dialect can
     * refuse an upload before it streams the file; the project's folders are read in the same
     * statement, so that filing the upload needs no second look for its folder.
     */
    public AddTarget requireAdd(Caller caller, long projectId) {
        return permittedWithFolders(caller, projectId, Permission.ADD, "add documents to this project");
    }

    /** The project with its folders' ids, read with the caller's grants on it in one statement; refused as {@link #project} says. */
    private AddTarget permittedWithFolders(Caller caller, long projectId, Permission permission, String what) {
        var found = projects.findWithFolders(caller.tenantId(), projectId, resource(projectId), caller.userId().orElse(null))
                .orElseThrow(() -> Failure.notFound("Project not found"));
        return new AddTarget(permitted(caller, found.access(), permission, what), found.folderIds());
    }

    /** Refuses (FORBIDDEN) unless the caller may change the project's documents (before a new version streams in). */
    public Project requireWrite(Caller caller, long projectId) {
        return permitted(caller, projectId, Permission.WRITE, "change documents of this project");
    }

    /** The project, read with the caller's grants on it in one statement; refused as {@link #project} says. */
    private Project permitted(Caller caller, long projectId, Permission permission, String what) {
        var found = projects.findWithAccess(caller.tenantId(), projectId, resource(projectId), caller.userId().orElse(null), null)
                .orElseThrow(() -> Failure.notFound("Project not found"));
        return permitted(caller, found, permission, what);
    }

    /** The project of {@code found}, refused (FORBIDDEN) unless what the caller holds on it allows {@code permission}. */
    private static Project permitted(Caller caller, ProjectRepository.Access found, Permission permission, String what) {
        if (!AccessService.allows(caller, permission, found.held(), found.granted())) {
            throw Failure.forbidden("You do not have permission to " + what);
        }
        return found.project();
    }

    /** The projects the caller may read, by id. */
    public List<Project> projects(Caller caller) {
        return projects.list(caller.tenantId()).stream().filter(p -> access.allows(caller, resource(p.id()), Permission.READ)).toList();
    }

    /** Who holds what on the project (users and teams). */
    public List<AccessGrant> members(Caller caller, long projectId) {
        project(caller, projectId);
        return access.grants(new Caller.Internal(caller.tenantId(), "project members"), resource(projectId));
    }

    /**
     * Grants a user or team access to the project (replacing what it held); takes SECURITY on the
     * project. A project keeps at least one owner (a holder of SECURITY): a resource nobody holds a
     * grant on would be open to every user of the tenant.
     */
    public void share(Caller caller, long projectId, Subject subject, Permissions permissions) {
        permitted(caller, projectId, Permission.SECURITY, "share this project");
        feed.run(() -> {
            access.grant(caller, resource(projectId), subject, permissions);
            requireOwner(caller, projectId);
        });
    }

    /** Takes a user's or team's access to the project away; NOT_FOUND when it held none. */
    public void unshare(Caller caller, long projectId, Subject subject) {
        permitted(caller, projectId, Permission.SECURITY, "share this project");
        feed.run(() -> {
            var held = access.grants(caller, resource(projectId)).stream().anyMatch(g -> g.subject().equals(subject));
            if (!held) {
                throw Failure.notFound((subject instanceof Subject.User ? "User" : "Team") + " is not a member of this project");
            }
            access.revoke(caller, resource(projectId), subject);
            requireOwner(caller, projectId);
        });
    }

    private void requireOwner(Caller caller, long projectId) {
        var grants = access.grants(new Caller.Internal(caller.tenantId(), "project owners"), resource(projectId));
        if (grants.stream().noneMatch(g -> g.permissions().contains(Permission.SECURITY))) {
            throw Failure.conflict("A project keeps at least one owner");
        }
    }

    // ---- folders

    public Folder createFolder(Caller caller, long projectId, String name) {
        permitted(caller, projectId, Permission.ADD, "add folders to this project");
        name("name", name);
        return projects.insertFolder(caller.tenantId(), projectId, name, clock.instant());
    }

    public List<Folder> folders(Caller caller, long projectId, Page page) {
        project(caller, projectId);
        return projects.folders(caller.tenantId(), projectId, page.offset(), page.limit());
    }

    public long countFolders(Caller caller, long projectId) {
        project(caller, projectId);
        return projects.countFolders(caller.tenantId(), projectId);
    }

    public Folder folder(Caller caller, long projectId, long folderId) {
        project(caller, projectId);
        return projects.folder(caller.tenantId(), folderId).filter(f -> f.projectId() == projectId)
                .orElseThrow(() -> Failure.notFound("Folder not found"));
    }

    public Folder folderByName(Caller caller, long projectId, String name) {
        project(caller, projectId);
        return projects.folderByName(caller.tenantId(), projectId, name == null ? "" : name)
                .orElseThrow(() -> Failure.notFound("Folder not found"));
    }

    /** Deletes a folder; one that holds documents is a CONFLICT unless {@code force}, which deletes them too. */
    public void deleteFolder(Caller caller, long projectId, long folderId, boolean force) {
        permitted(caller, projectId, Permission.DELETE, "delete folders of this project");
        var folder = folder(caller, projectId, folderId);
        var uid = Long.toString(folder.id());
        feed.run(() -> {
            if (documents.count(caller, FOLDER, uid) > 0) {
                if (!force) {
                    throw Failure.conflict("The folder contains documents; delete them first or use force=true");
                }
                for (var listed = documents.page(caller, FOLDER, uid, Page.first(500)); !listed.isEmpty();
                     listed = documents.page(caller, FOLDER, uid, Page.first(500))) {
                    for (var document : listed) {
                        deleteDocument(caller, document.document().id());
                    }
                }
            }
            projects.deleteFolder(caller.tenantId(), folder.id());
        });
    }

    // ---- documents

    /**
     * Files an uploaded file as a new document of a folder of the project, described with the
     * project's fields. With {@code rejectDuplicate}, content the project already holds (same
     * SHA-256, any version of any document) is a CONFLICT.
     */
    public Document addDocument(Caller caller, long projectId, long folderId, StoredFile file, String name, String description,
                                Map<String, List<String>> fields, boolean rejectDuplicate) {
        return add(caller, requireAdd(caller, projectId), folderId, file.sha256(), file.name(), name, description, fields, rejectDuplicate,
                (title, attributes) -> documents.attachChecked(caller, FOLDER, Long.toString(folderId), file.ouid(), null, title, attributes));
    }

    /**
     * {@link #addDocument(Caller, long, long, StoredFile, String, String, Map, boolean)} of a blob
     * stored in this request ({@link io.dossier.core.content.ContentService#store}), into a project
     * that {@link #requireAdd} returned for this caller in this request (before the file streamed
     * in): the caller's access and the project's folders are not read again, and the file is
     * written with its document in one transaction ({@link DocumentService#attachStored}; when
     * refused, the caller discards the blob).
     */
    public Document addDocument(Caller caller, AddTarget target, long folderId, StoredBlob blob, String fileName, String declaredType,
                                String name, String description, Map<String, List<String>> fields, boolean rejectDuplicate) {
        return add(caller, target, folderId, blob.sha256(), FileNames.clean(fileName), name, description, fields, rejectDuplicate,
                (title, attributes) -> documents.attachStored(caller, FOLDER, Long.toString(folderId), blob, fileName, declaredType, null,
                        title, attributes));
    }

    /** A new document of a folder of {@code target}, with its fields; {@code attach} files it with the title and attributes given. */
    private Document add(Caller caller, AddTarget target, long folderId, String sha256, String fileName, String name, String description,
                         Map<String, List<String>> fields, boolean rejectDuplicate,
                         BiFunction<String, Map<String, String>, Document> attach) {
        var project = target.project();
        if (project.tenantId() != caller.tenantId()) {
            throw Failure.notFound("Project not found");
        }
        if (!target.folderIds().contains(folderId)) {
            throw Failure.notFound("Folder not found");
        }
        if (rejectDuplicate && documents.containsContent(caller, FOLDER, target.folderIds().stream().map(String::valueOf).toList(), sha256)) {
            throw Failure.conflict("A document with the same content already exists in this project");
        }
        var title = name == null || name.isBlank() ? fileName : name;
        name("name", title);
        return feed.write(() -> {
            var attributes = new HashMap<String, String>();
            if (description != null && !description.isEmpty()) {
                attributes.put("description", description);
            }
            // the folder was read with the project's access in this tenant: no second look for it
            var document = attach.apply(title, attributes);
            if (fields != null && !fields.isEmpty()) {
                describe(caller, project, document.id(), fields);
            }
            return document;
        });
    }

    private void describe(Caller caller, Project project, long documentId, Map<String, List<String>> fields) {
        if (project.metadataTemplateId() == null) {
            throw Failure.invalid("this project has no fields; unknown field " + fields.keySet().iterator().next());
        }
        var current = metadata.values(caller, owner(documentId)).map(MetadataValues::values).orElse(Map.of());
        var merged = new LinkedHashMap<String, List<String>>(current);
        merged.putAll(fields);
        metadata.describe(caller, owner(documentId), project.metadataTemplateId(), merged);
    }

    /** The runtime metadata owner of a document's field values. */
    public static String owner(long documentId) {
        return "document/" + documentId;
    }

    /** The document, if it is in a folder of the project and the caller may read the project. */
    public Document document(Caller caller, long projectId, long documentId) {
        project(caller, projectId);
        return inProject(caller, projectId, documentId);
    }

    private Document inProject(Caller caller, long projectId, long documentId) {
        Document document;
        try {
            document = documents.document(caller, documentId);
        } catch (Failure failure) {
            throw failure.kind() == Failure.Kind.NOT_FOUND ? Failure.notFound("Document not found") : failure;
        }
        if (!FOLDER.equals(document.containerType()) || folderProject(caller.tenantId(), document.containerUid()) != projectId) {
            throw Failure.notFound("Document not found");
        }
        return document;
    }

    /** The project of a folder, -1 when there is no such folder. */
    public long folderProject(long tenantId, String folderUid) {
        return parse(folderUid).flatMap(id -> projects.folder(tenantId, id)).map(Folder::projectId).orElse(-1L);
    }

    private List<String> folderUids(Caller caller, long projectId) {
        return projects.folderIds(caller.tenantId(), projectId).stream().map(String::valueOf).toList();
    }

    /** A page of the project's documents (or one folder's), newest first. */
    public List<ListedDocument> documents(Caller caller, long projectId, Long folderId, Page page) {
        project(caller, projectId);
        if (folderId != null) {
            folder(caller, projectId, folderId);
            return documents.page(caller, FOLDER, Long.toString(folderId), page);
        }
        return documents.pageIn(caller, FOLDER, folderUids(caller, projectId), page);
    }

    public long countDocuments(Caller caller, long projectId, Long folderId) {
        project(caller, projectId);
        if (folderId != null) {
            folder(caller, projectId, folderId);
            return documents.count(caller, FOLDER, Long.toString(folderId));
        }
        return documents.countIn(caller, FOLDER, folderUids(caller, projectId));
    }

    /**
     * A page of the project's (or folder's) documents changed (created, updated, moved or
     * versioned) after {@code after}, oldest change first, each at its latest change: a client
     * polling with the newest change time it saw misses nothing that committed by then.
     */
    public List<ChangedDocument> changedAfter(Caller caller, long projectId, Long folderId, Instant after, Page page) {
        return documents.changedIn(caller, FOLDER, polled(caller, projectId, folderId).folders(), after, page);
    }

    public long countChangedAfter(Caller caller, long projectId, Long folderId, Instant after) {
        return documents.countChangedIn(caller, FOLDER, polled(caller, projectId, folderId).folders(), after);
    }

    /**
     * A page of documents changed after a time, how many changed after it in all, and the field
     * values of the page's documents by document id ({@link #fieldValues(Caller, java.util.Collection)}).
     */
    public record Changes(List<ChangedDocument> page, long total, Map<Long, Map<String, List<String>>> fields) {
    }

    /**
     * {@link #changedAfter} and {@link #countChangedAfter} at once, the project's access and folders
     * checked once, with the page's field values. A page that ends the list gives the total by its
     * length, without counting: a poller that has caught up costs no count. A
     * project without fields has no field values (only {@link #addDocument} and {@link #setField}
     * write them, through its fields), so none are read.
     */
    public Changes changesAfter(Caller caller, long projectId, Long folderId, Instant after, Page page) {
        var polled = polled(caller, projectId, folderId);
        // one document more than the page: without it, the page ends the list (a full page too,
        // such as a poller's newest hundred, which would otherwise be counted)
        int oneMore = page.limit() == Integer.MAX_VALUE ? page.limit() : page.limit() + 1;
        var changed = documents.changedIn(caller, FOLDER, polled.folders(), after, new Page(page.offset(), oneMore, false));
        boolean ended = changed.size() <= page.limit() && (!changed.isEmpty() || page.offset() == 0);
        if (changed.size() > page.limit()) {
            changed = changed.subList(0, page.limit());
        }
        long total = ended ? page.offset() + changed.size() : documents.countChangedIn(caller, FOLDER, polled.folders(), after);
        var fields = polled.project().metadataTemplateId() == null || changed.isEmpty() ? Map.<Long, Map<String, List<String>>>of()
                : fieldValues(caller, changed.stream().map(c -> c.document().id()).toList());
        return new Changes(changed, total, fields);
    }

    private record Polled(Project project, List<String> folders) {
    }

    /** The folders a listing reads, once the caller may read the project (the whole project's: read with its access in one statement). */
    private Polled polled(Caller caller, long projectId, Long folderId) {
        if (folderId != null) {
            var project = project(caller, projectId);
            folder(caller, projectId, folderId);
            return new Polled(project, List.of(Long.toString(folderId)));
        }
        var found = permittedWithFolders(caller, projectId, Permission.READ, "read this project");
        return new Polled(found.project(), found.folderIds().stream().map(String::valueOf).toList());
    }

    /** Changes name and description (null leaves one as it is). */
    public Document update(Caller caller, long projectId, long documentId, String name, String description) {
        permitted(caller, projectId, Permission.WRITE, "change documents of this project");
        inProject(caller, projectId, documentId);
        if (name != null) {
            name("name", name);
        }
        var attributes = new HashMap<String, String>();
        if (description != null) {
            attributes.put("description", description.isEmpty() ? null : description);
        }
        return documents.update(caller, documentId, null, name, attributes);
    }

    /** Moves a document into another folder of the same project. */
    public Document move(Caller caller, long projectId, long documentId, long folderId) {
        permitted(caller, projectId, Permission.MOVE, "move documents of this project");
        inProject(caller, projectId, documentId);
        var folder = folder(caller, projectId, folderId);
        return documents.move(caller, documentId, FOLDER, Long.toString(folder.id()));
    }

    /** Adds an uploaded file as the document's new current version. */
    public Document replace(Caller caller, long projectId, long documentId, StoredFile file) {
        permitted(caller, projectId, Permission.WRITE, "change documents of this project");
        inProject(caller, projectId, documentId);
        return documents.addVersion(caller, documentId, file.ouid());
    }

    public List<DocumentVersion> versions(Caller caller, long projectId, long documentId) {
        document(caller, projectId, documentId);
        return documents.versions(caller, documentId);
    }

    public DocumentVersion version(Caller caller, long projectId, long documentId, int version) {
        return versions(caller, projectId, documentId).stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> Failure.notFound("Document version not found"));
    }

    public Document deleteVersion(Caller caller, long projectId, long documentId, int version) {
        permitted(caller, projectId, Permission.DELETE, "delete this file");
        inProject(caller, projectId, documentId);
        return documents.deleteVersion(caller, documentId, version);
    }

    public void delete(Caller caller, long projectId, long documentId) {
        permitted(caller, projectId, Permission.DELETE, "delete this file");
        inProject(caller, projectId, documentId);
        deleteDocument(caller, documentId);
    }

    private void deleteDocument(Caller caller, long documentId) {
        feed.run(() -> {
            metadata.clear(caller, owner(documentId));
            documents.delete(caller, documentId);
        });
    }

    /**
     * The file of the document's current version (or of {@code version}) for download: takes
     * DOWNLOAD on the project and the project's {@link Settings#DOCUMENTS_DOWNLOAD_VIA_API}. One read
     * (the project, the caller's grants on it, the switch, the document and its file), refused in
     * this order: no project, no permission, downloads off, no document, no version.
     */
    public StoredFile download(Caller caller, long projectId, long documentId, Integer version) {
        var setting = Settings.DOCUMENTS_DOWNLOAD_VIA_API;
        var found = projects.findDownload(caller.tenantId(), projectId, resource(projectId), caller.userId().orElse(null), setting.key(),
                documentId, version).orElseThrow(() -> Failure.notFound("Project not found"));
        var access = found.access();
        if (!AccessService.allows(caller, Permission.DOWNLOAD, access.held(), access.granted())) {
            throw Failure.forbidden("You do not have permission to download documents of this project");
        }
        if (!setting.inForce(access.settingText(), access.tenantSettingText())) {
            throw Failure.forbidden("You do not have permission to download documents of this project: downloads via the API are switched off");
        }
        if (!found.document()) {
            throw Failure.notFound("Document not found");
        }
        if (found.file() == null) {
            throw Failure.notFound("Document version not found");
        }
        return found.file();
    }

    // ---- fields

    /** The project's fields: the attributes of its metadata template (none without one). */
    public List<Attribute> fields(Caller caller, long projectId) {
        var project = project(caller, projectId);
        if (project.metadataTemplateId() == null) {
            return List.of();
        }
        return metadata.schema(caller, project.metadataTemplateId()).attributes();
    }

    /** What the document's fields say, by field name. */
    public Map<String, List<String>> fieldValues(Caller caller, long documentId) {
        return metadata.values(caller, owner(documentId)).map(MetadataValues::values).orElse(Map.of());
    }

    /** What the fields of each document say, by document id (a listing's in one query). */
    public Map<Long, Map<String, List<String>>> fieldValues(Caller caller, java.util.Collection<Long> documentIds) {
        var out = new HashMap<Long, Map<String, List<String>>>();
        for (var entry : metadata.values(caller, documentIds.stream().map(Projects::owner).toList()).entrySet()) {
            out.put(Long.parseLong(entry.getKey().substring("document/".length())), entry.getValue().values());
        }
        return out;
    }

    /** Sets one field of a document (no values clears it), checked against the field's type and options. */
    public Map<String, List<String>> setField(Caller caller, long projectId, long documentId, String field, List<String> values) {
        var project = permitted(caller, projectId, Permission.WRITE, "change documents of this project");
        inProject(caller, projectId, documentId);
        if (fields(caller, projectId).stream().noneMatch(a -> a.name().equals(field))) {
            throw Failure.notFound("Field not found");
        }
        feed.run(() -> describe(caller, project, documentId, Map.of(field, values)));
        return fieldValues(caller, documentId);
    }

    private static void name(String what, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_NAME_LENGTH) {
            throw Failure.invalid(what + " must have 1 to " + MAX_NAME_LENGTH + " characters");
        }
    }
}
