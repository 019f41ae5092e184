package io.dossier.server.demo;

import io.dossier.core.access.Caller;
import io.dossier.core.access.Permission;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Subject;
import io.dossier.core.content.ContentService;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.metadata.Attribute;
import io.dossier.core.metadata.AttributeType;
import io.dossier.core.metadata.MetadataSchema;
import io.dossier.core.metadata.MetadataService;
import io.dossier.core.access.AccessService;
import io.dossier.core.project.Projects;
import io.dossier.core.project.ProjectTemplate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo tenant's Opus 2 side: a team, a project template with folders and fields, two projects
 * (one from the template) with documents of several versions and field values, and two API tokens:
 * the administrator's (read-write, owner of the projects) and the colleague's (read-only, through
 * the team).
 */
public final class DemoOpus2 {

    private DemoOpus2() {
    }

    /** Seeds it all; returns the {@code "opus2"} entry of {@code demo-credentials.json}. */
    public static Map<String, Object> seed(IdentityService identities, AccessService access, MetadataService metadata, Projects projects,
                                           ContentService content, long tenantId, long adminUser, long colleague) {
        var internal = new Caller.Internal(tenantId, "demo seed");
        access.grant(internal, Projects.DIRECTORY, new Subject.User(adminUser), Permissions.of(Permission.SECURITY));
        access.grant(internal, Projects.PROJECTS, new Subject.User(adminUser), Permissions.of(Permission.ADD));
        var team = identities.createGroup(tenantId, "Case team");
        identities.addMember(tenantId, team.id(), colleague);
        var fields = metadata.create(internal, MetadataSchema.Kind.TEMPLATE, "Case documents", "Case documents",
                "Fields of documents in a litigation project", List.of(
                        new Attribute("custodian", "Custodian", AttributeType.STRING, false, false, false, 0, false, List.of()),
                        new Attribute("category", "Category", AttributeType.STRING, false, false, false, 1, true,
                                List.of("Pleading", "Evidence", "Correspondence")),
                        new Attribute("pages", "Pages", AttributeType.INT, false, false, false, 2, false, List.of()),
                        new Attribute("privileged", "Privileged", AttributeType.BOOLEAN, false, false, false, 3, false, List.of())));
        var template = projects.createTemplate(internal, "Litigation", "Pleadings, evidence and correspondence of a case",
                List.of("Pleadings", "Evidence", "Correspondence"), List.of(new ProjectTemplate.TeamGrant(team.id(), Projects.READ_ONLY)),
                fields.id());
        var admin = new Caller.AsUser(tenantId, adminUser);
        var smith = projects.create(admin, "Smith v Jones", "Breach of contract claim", template.id());
        var review = projects.create(admin, "Internal review", "Policies under review", null);
        var general = projects.createFolder(admin, review.id(), "General");
        projects.share(admin, review.id(), new Subject.User(colleague), Projects.READ_ONLY);
        try {
            var pleadings = projects.folderByName(admin, smith.id(), "Pleadings");
            var claim = projects.addDocument(admin, smith.id(), pleadings.id(), file(content, tenantId, adminUser, "claim-form.txt",
                    "Claim form, draft 1\n"), "Claim form", "The claimant's claim form", Map.of("custodian", List.of("Demo Administrator"),
                    "category", List.of("Pleading"), "pages", List.of("4")), false);
            projects.replace(admin, smith.id(), claim.id(), file(content, tenantId, adminUser, "claim-form.txt", "Claim form, draft 2\n"));
            projects.replace(admin, smith.id(), claim.id(), file(content, tenantId, adminUser, "claim-form.txt", "Claim form, as filed\n"));
            var evidence = projects.folderByName(admin, smith.id(), "Evidence");
            projects.addDocument(admin, smith.id(), evidence.id(), file(content, tenantId, adminUser, "contract.txt",
                    "Supply contract between Smith Ltd and Jones plc\n"), "Supply contract", "Signed 2024-03-01",
                    Map.of("category", List.of("Evidence"), "privileged", List.of("false")), false);
            var letters = projects.folderByName(admin, smith.id(), "Correspondence");
            var letter = projects.addDocument(admin, smith.id(), letters.id(), file(content, tenantId, adminUser, "letter-before-claim.txt",
                    "Letter before claim\n"), "Letter before claim", "", Map.of("category", List.of("Correspondence")), false);
            projects.replace(admin, smith.id(), letter.id(), file(content, tenantId, adminUser, "letter-before-claim.txt",
                    "Letter before claim, corrected\n"));
            projects.addDocument(admin, review.id(), general.id(), file(content, tenantId, adminUser, "retention-policy.txt",
                    "Retention policy 2026\n"), "Retention policy", "", Map.of(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var readWrite = identities.createClient(tenantId, ClientKind.API_TOKEN, "Opus 2 demo (read-write)", adminUser, Set.of());
        var readOnly = identities.createClient(tenantId, ClientKind.API_TOKEN, "Opus 2 demo (read-only)", colleague, Set.of());
        var out = new LinkedHashMap<String, Object>();
        out.put("readWriteToken", readWrite.secret());
        out.put("readOnlyToken", readOnly.secret());
        out.put("header", "X-API-Token");
        out.put("projects", "/opus2/projects");
        out.put("openApi", "/opus2/openapi.json");
        return out;
    }

    private static io.dossier.core.content.StoredFile file(ContentService content, long tenantId, long user, String name, String text)
            throws IOException {
        return content.upload(tenantId, user, name, "text/plain", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20);
    }
}
