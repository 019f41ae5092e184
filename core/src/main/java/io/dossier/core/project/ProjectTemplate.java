package io.dossier.core.project;

import io.dossier.core.access.Permissions;
import java.time.Instant;
import java.util.List;

/**
 * What a new project starts with: folders by name, grants to teams (groups), and the metadata
 * template its documents are described with.
 */
public record ProjectTemplate(long id, long tenantId, String name, String description, List<String> folderNames,
                              List<TeamGrant> teams, Long metadataTemplateId, Instant createdAt) {

    public ProjectTemplate {
        folderNames = List.copyOf(folderNames);
        teams = List.copyOf(teams);
    }

    /** A group granted {@code permissions} on every project made from the template. */
    public record TeamGrant(long groupId, Permissions permissions) {
    }
}
