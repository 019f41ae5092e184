package io.dossier.core.project;

import java.time.Instant;

/**
 * A project: a container of folders, which hold documents. Who may use it is held as access grants
 * on {@link Projects#resource(long)}.
 *
 * @param templateId         the project template it was made from, or null
 * @param metadataTemplateId the runtime metadata template its documents are described with, or null
 */
public record Project(long id, long tenantId, String name, String description, Long templateId, Long metadataTemplateId,
                      Long createdBy, Instant createdAt) {
}
