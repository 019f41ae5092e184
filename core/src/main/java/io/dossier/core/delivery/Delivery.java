package io.dossier.core.delivery;

import io.dossier.core.content.StoredFile;
import java.time.Instant;

/**
 * A file published once to a tenant under a business type; every subscriber authorized for that
 * business type in that tenant receives it and keeps its own state of it.
 *
 * @param fileId            the File API's {@code fileId} (a UUID)
 * @param publisherClientId internal id of the publishing client
 * @param publisherId       the publishing client's public id, as the File API shows it
 */
public record Delivery(String fileId, long tenantId, long businessType, long publisherClientId, String publisherId, StoredFile file,
                       Instant uploadDate) {
}
