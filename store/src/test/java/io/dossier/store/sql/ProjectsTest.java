package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import io.dossier.core.access.AccessService;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Subject;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredFile;
import io.dossier.core.document.DocumentService;
import io.dossier.core.metadata.Attribute;
import io.dossier.core.metadata.AttributeType;
import io.dossier.core.metadata.MetadataSchema;
import io.dossier.core.metadata.MetadataService;
import io.dossier.core.paging.Page;
import io.dossier.core.project.ProjectTemplate;
import io.dossier.core.project.Projects;
import io.dossier.store.blob.FolderBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Projects, folders and their documents through the real core services over {@link SqlProjectRepository}
 * and {@link SqlDocumentRepository}, once per database (H2, PostgreSQL): templates, the owner rule,
 * moves, versions, duplicates and the change-feed listing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProjectsTest {

    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;
    private SqlIdentityRepository identities;
    private SqlTenantRepository tenants;
    private ContentService content;
    private MetadataService metadata;
    private Projects projects;
    private AccessService access;
    private SqlSettingsRepository settings;

    @BeforeAll
    void open() throws IOException {
        testDatabase = newDatabase();
        var db = testDatabase.database();
        var clock = Clock.systemUTC();
        var feed = testDatabase.changeFeed(clock);
        identities = new SqlIdentityRepository(db);
        tenants = new SqlTenantRepository(db);
        var repository = new SqlProjectRepository(db);
        access = new AccessService(new SqlAccessRepository(db), identities, feed);
        settings = new SqlSettingsRepository(db);
        content = new ContentService(new FolderBlobStore(Files.createTempDirectory("dossier-projects-")), new SqlFileRepository(db), clock,
                Duration.ofHours(1), Duration.ofMinutes(10), feed);
        var documents = new DocumentService(new SqlDocumentRepository(db), content, new DocumentService.Containers() {
            @Override
            public boolean exists(Caller caller, String type, String uid) {
                return Projects.FOLDER.equals(type) && repository.folder(caller.tenantId(), Long.parseLong(uid)).isPresent();
            }

            @Override
            public boolean filtered(Caller caller, String type) {
                return false;
            }
        }, (caller, typeId) -> java.util.Optional.empty(), clock, feed);
        metadata = new MetadataService(new SqlMetadataRepository(db), db, clock, (t, u) -> true, feed, access);
        projects = new Projects(repository, access, documents, metadata, feed, clock);
    }

    @AfterAll
    void close() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    private long tenant() {
        return tenants.insert("p" + UUID.randomUUID().toString().substring(0, 8), "P", List.of("en"), "en").id();
    }

    private long user(long tenant) {
        return identities.insertUser(tenant, "u" + UUID.randomUUID().toString().substring(0, 8), "u@example.invalid", "U", "x").id();
    }

    private StoredFile file(long tenant, String text) throws IOException {
        return content.upload(tenant, null, "f.txt", "text/plain", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20);
    }

    @Test
    void aProjectFromATemplateGetsItsFoldersTeamsAndFieldsAndKeepsAnOwner() {
        var tenant = tenant();
        var owner = user(tenant);
        var team = identities.insertGroup(tenant, "Team").id();
        var internal = new Caller.Internal(tenant, "test");
        var fields = metadata.create(internal, MetadataSchema.Kind.TEMPLATE, "F", "F", "", List.of(
                new Attribute("pages", "Pages", AttributeType.INT, false, false, false, 0, false, List.of())));
        var template = projects.createTemplate(internal, "T", "", List.of("A", "B"),
                List.of(new ProjectTemplate.TeamGrant(team, Projects.READ_ONLY)), fields.id());
        assertThat(projects.templates(internal)).extracting(ProjectTemplate::name).containsExactly("T");
        var caller = new Caller.AsUser(tenant, owner);
        var project = projects.create(caller, "P", null, template.id());
        assertThat(projects.folders(caller, project.id(), Page.first(10))).extracting(f -> f.name()).containsExactly("A", "B");
        assertThat(projects.fields(caller, project.id())).extracting(Attribute::name).containsExactly("pages");
        assertThat(projects.members(caller, project.id())).hasSize(2);
        var lastOwner = catchThrowableOfType(Failure.class, () -> projects.unshare(caller, project.id(), new Subject.User(owner)));
        assertThat(lastOwner.kind()).isEqualTo(Failure.Kind.CONFLICT);
        assertThat(projects.members(caller, project.id())).hasSize(2);
        var stranger = new Caller.AsUser(tenant, user(tenant));
        assertThat(catchThrowableOfType(Failure.class, () -> projects.project(stranger, project.id())).kind()).isEqualTo(Failure.Kind.FORBIDDEN);
        var otherTenant = new Caller.AsUser(tenant(), owner);
        assertThat(catchThrowableOfType(Failure.class, () -> projects.project(otherTenant, project.id())).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
    }

    @Test
    void documentsMoveGainAndLoseVersionsAndAreListedByTheirLatestChange() throws IOException {
        var tenant = tenant();
        var caller = new Caller.AsUser(tenant, user(tenant));
        var project = projects.create(caller, "P", "", null);
        var a = projects.createFolder(caller, project.id(), "A");
        var b = projects.createFolder(caller, project.id(), "B");
        var before = Instant.now().minusSeconds(1);
        var first = projects.addDocument(caller, project.id(), a.id(), file(tenant, "one"), "Doc", "d", Map.of(), false);
        var second = projects.addDocument(caller, project.id(), a.id(), file(tenant, "two"), null, null, Map.of(), true);
        var duplicate = catchThrowableOfType(Failure.class,
                () -> projects.addDocument(caller, project.id(), b.id(), file(tenant, "one"), null, null, Map.of(), true));
        assertThat(duplicate.kind()).isEqualTo(Failure.Kind.CONFLICT);

        projects.move(caller, project.id(), first.id(), b.id());
        assertThat(projects.documents(caller, project.id(), b.id(), Page.first(10))).extracting(d -> d.document().id()).containsExactly(first.id());
        assertThat(projects.countDocuments(caller, project.id(), null)).isEqualTo(2);
        assertThat(projects.changedAfter(caller, project.id(), null, before, Page.first(10))).extracting(c -> c.document().id())
                .as("in the order of their latest change").containsExactly(second.id(), first.id());
        assertThat(projects.changedAfter(caller, project.id(), null, before, new Page(1, 10, false))).extracting(c -> c.document().id())
                .containsExactly(first.id());
        assertThat(projects.countChangedAfter(caller, project.id(), null, before)).isEqualTo(2);
        assertThat(projects.changedAfter(caller, project.id(), a.id(), before, Page.first(10))).extracting(c -> c.document().id())
                .as("one folder's").containsExactly(second.id());

        var only = catchThrowableOfType(Failure.class, () -> projects.deleteVersion(caller, project.id(), second.id(), 1));
        assertThat(only.kind()).isEqualTo(Failure.Kind.CONFLICT);
        projects.replace(caller, project.id(), second.id(), file(tenant, "two, again"));
        assertThat(projects.versions(caller, project.id(), second.id())).extracting(v -> v.version()).containsExactly(1, 2);
        var current = projects.deleteVersion(caller, project.id(), second.id(), 2);
        assertThat(current.version()).isEqualTo(1);
        assertThat(current.file().size()).isEqualTo(3);

        var full = catchThrowableOfType(Failure.class, () -> projects.deleteFolder(caller, project.id(), a.id(), false));
        assertThat(full.kind()).isEqualTo(Failure.Kind.CONFLICT);
        projects.deleteFolder(caller, project.id(), a.id(), true);
        assertThat(projects.countDocuments(caller, project.id(), null)).isEqualTo(1);
        assertThat(projects.changedAfter(caller, project.id(), null, before, Page.first(10))).extracting(c -> c.document().id())
                .containsExactly(first.id());
    }

    /**
     * What Opus 2's {@code documents?afterDate=} asks of core for a page: its statements do not grow
     * with the documents on it (no statement per document for its file, attributes or fields), a
     * page that ends the list (short or full) tells its total without a count, and one that does
     * not, or an empty later page, counts.
     */
    @Test
    void aPageOfChangesTakesAsManyStatementsForTwentyNineDocumentsAsForTwo() throws IOException {
        var tenant = tenant();
        var internal = new Caller.Internal(tenant, "test");
        var fields = metadata.create(internal, MetadataSchema.Kind.TEMPLATE, "F" + tenant, "F", "", List.of(
                new Attribute("pages", "Pages", AttributeType.INT, false, false, false, 0, false, List.of())));
        var template = projects.createTemplate(internal, "T" + tenant, "", List.of("A", "B"), List.of(), fields.id());
        var caller = new Caller.AsUser(tenant, user(tenant));
        var project = projects.create(caller, "P", "", template.id());
        var folders = projects.folders(caller, project.id(), Page.first(10));
        var before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 30; i++) {
            projects.addDocument(caller, project.id(), folders.get(i % 2).id(), file(tenant, "document " + i), "D" + i, "about " + i,
                    Map.of("pages", List.of(Integer.toString(i))), false);
        }
        var two = statements(() -> projects.changesAfter(caller, project.id(), null, before, Page.first(2)));
        var twentyNine = statements(() -> projects.changesAfter(caller, project.id(), null, before, Page.first(29)));
        assertThat(two.result().total()).isEqualTo(30);
        assertThat(twentyNine.result().total()).isEqualTo(30);
        assertThat(twentyNine.result().page()).hasSize(29).allSatisfy(c -> {
            assertThat(c.document().attributes()).containsKey("description");
            assertThat(c.document().file().size()).isPositive();
        });
        assertThat(twentyNine.statements()).as("statements for a page of 29 and one of 2").isEqualTo(two.statements());
        assertThat(twentyNine.result().fields()).as("the page's field values, read along").hasSize(29)
                .allSatisfy((id, values) -> assertThat(values).containsKey("pages"));

        var fieldsOfTwo = statements(() -> projects.fieldValues(caller, two.result().page().stream().map(c -> c.document().id()).toList()));
        var fieldsOfTwentyNine = statements(() -> projects.fieldValues(caller, twentyNine.result().page().stream().map(c -> c.document().id()).toList()));
        assertThat(fieldsOfTwentyNine.result()).hasSize(29).allSatisfy((id, values) -> assertThat(values).containsKey("pages"));
        assertThat(fieldsOfTwentyNine.statements()).isEqualTo(fieldsOfTwo.statements()).isEqualTo(1);

        var shortPage = statements(() -> projects.changesAfter(caller, project.id(), null, before, new Page(20, 100, false)));
        assertThat(shortPage.result().page()).hasSize(10);
        assertThat(shortPage.result().total()).isEqualTo(30);
        assertThat(shortPage.statements()).as("a short page ends the list: no count").isEqualTo(two.statements() - 1);
        var lastPage = statements(() -> projects.changesAfter(caller, project.id(), null, before, new Page(20, 10, false)));
        assertThat(lastPage.result().page()).hasSize(10);
        assertThat(lastPage.result().total()).isEqualTo(30);
        assertThat(lastPage.statements()).as("a full page that ends the list: no count either").isEqualTo(two.statements() - 1);
        var notLast = projects.changesAfter(caller, project.id(), null, before, new Page(19, 10, false));
        assertThat(notLast.page()).hasSize(10);
        assertThat(notLast.total()).isEqualTo(30);
        var beyond = projects.changesAfter(caller, project.id(), null, before, new Page(40, 10, false));
        assertThat(beyond.page()).isEmpty();
        assertThat(beyond.total()).isEqualTo(30);
        var oneFolder = projects.changesAfter(caller, project.id(), folders.get(1).id(), before, Page.first(100));
        assertThat(oneFolder.page()).hasSize(15).extracting(c -> c.changedAt()).isSorted();
        assertThat(oneFolder.total()).isEqualTo(15);
    }

    /**
     * A download is one read (the project, the caller's grants on it, the download switch, the
     * document and its file), refused in order: no project, no permission, downloads off, no
     * document in this project, no such version; a new document is what was written.
     */
    @Test
    void aDownloadIsOneReadThatFollowsGrantsTeamsAndTheSwitch() throws IOException {
        var tenant = tenant();
        var owner = new Caller.AsUser(tenant, user(tenant));
        var project = projects.create(owner, "P", "", null);
        var folder = projects.createFolder(owner, project.id(), "A");
        var added = projects.addDocument(owner, project.id(), folder.id(), file(tenant, "one"), "Doc", "about", Map.of(), false);
        assertThat(added).as("the new document as written is as read").isEqualTo(projects.document(owner, project.id(), added.id()));
        projects.replace(owner, project.id(), added.id(), file(tenant, "one, again"));

        var current = statements(() -> projects.download(owner, project.id(), added.id(), null));
        assertThat(current.statements()).isEqualTo(1);
        assertThat(current.result().size()).isEqualTo(10);
        assertThat(projects.download(owner, project.id(), added.id(), 1).size()).isEqualTo(3);
        assertThat(refusal(() -> projects.download(owner, project.id(), added.id(), 3))).isEqualTo("NOT_FOUND Document version not found");
        var other = projects.create(owner, "Q", "", null);
        assertThat(refusal(() -> projects.download(owner, other.id(), added.id(), null))).isEqualTo("NOT_FOUND Document not found");
        assertThat(refusal(() -> projects.download(owner, project.id(), added.id() + 1000, null))).isEqualTo("NOT_FOUND Document not found");
        assertThat(refusal(() -> projects.download(new Caller.AsUser(tenant(), owner.userId().orElseThrow()), project.id(), added.id(), null)))
                .startsWith("NOT_FOUND Project not found");

        var member = new Caller.AsUser(tenant, user(tenant));
        assertThat(refusal(() -> projects.download(member, project.id(), added.id(), null))).startsWith("FORBIDDEN");
        var team = identities.insertGroup(tenant, "Team").id();
        projects.share(owner, project.id(), new Subject.Group(team), Projects.READ_ONLY);
        identities.addMember(tenant, team, member.userId().orElseThrow());
        assertThat(projects.download(member, project.id(), added.id(), null).size()).as("by the team").isEqualTo(10);
        identities.removeMember(tenant, team, member.userId().orElseThrow());
        assertThat(refusal(() -> projects.download(member, project.id(), added.id(), null))).as("left the team").startsWith("FORBIDDEN");

        var key = io.dossier.core.settings.Settings.DOCUMENTS_DOWNLOAD_VIA_API.key();
        settings.put(tenant, "", key, "false", Instant.now());
        assertThat(refusal(() -> projects.download(owner, project.id(), added.id(), null))).as("off for the tenant").contains("switched off");
        settings.put(tenant, Projects.resource(project.id()).key(), key, "true", Instant.now());
        assertThat(projects.download(owner, project.id(), added.id(), null).size()).as("on for the project").isEqualTo(10);
        settings.put(tenant, Projects.resource(project.id()).key(), key, "false", Instant.now());
        settings.put(tenant, "", key, "true", Instant.now());
        assertThat(refusal(() -> projects.download(owner, project.id(), added.id(), null))).as("off for the project").contains("switched off");
    }

    private static String refusal(Runnable work) {
        var failure = catchThrowableOfType(Failure.class, work::run);
        return failure.kind() + " " + failure.getMessage();
    }

    private <T> TestDatabase.Counted<T> statements(java.util.function.Supplier<T> work) {
        return testDatabase.statements(work);
    }
}
