package io.dossier.core.project;

import java.time.Instant;

/** A folder of a project: the container its documents are in (container type {@link Projects#FOLDER}). */
public record Folder(long id, long tenantId, long projectId, String name, Instant createdAt) {
}
