package io.dossier.core.document;

import io.dossier.core.content.StoredFile;
import java.time.Instant;
import java.util.Map;

/**
 * A document in a container — the dossier of a record (OWS), a folder (Opus 2, LogicalDOC) — with
 * a type, a subject, free attributes, and its current version's file.
 *
 * @param containerType the record type name of the container ({@code Candidate}) or another container kind
 * @param version       the current version number, from 1
 * @param revision      raised by every change of the document (a version, an update), from 1: the change feed's version
 */
public record Document(long id, long tenantId, String containerType, String containerUid, String typeId, String subject,
                       Map<String, String> attributes, int version, StoredFile file, Long createdBy, Instant createdAt,
                       long revision) {

    public Document {
        attributes = Map.copyOf(attributes);
    }
}
