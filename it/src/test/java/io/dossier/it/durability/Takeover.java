package io.dossier.it.durability;

import io.dossier.core.identity.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Background work outlives the node that made it: through the node about to be killed, an OWS
 * upload is left unbound and a resumable publication is left open after chunk 0. Once both are past
 * {@code upload.unbound-hours} (which the multi-node run sets to seconds), a surviving node must
 * collect them: rows gone and blobs deleted from the store. Looked at in the database and the store,
 * as the HTTP APIs cannot show an unbound upload or an open ticket without changing it.
 */
final class Takeover {

    /** Whether both were collected, and what was seen. */
    record Outcome(boolean collected, List<String> lines) {
    }

    /** Bounded wait: this many looks, a second apart. */
    private static final int LOOKS = 240;

    private final String node;
    private final String ouid;
    private final String ticketHash;
    private final Set<String> blobIds;

    private Takeover(String node, String ouid, String ticketHash, Set<String> blobIds) {
        this.node = node;
        this.ouid = ouid;
        this.ticketHash = ticketHash;
        this.blobIds = blobIds;
    }

    static Takeover plant(Node victim, Credentials credentials, Deployment deployment) throws Wire.NotAcknowledged {
        var wire = new Wire(victim.uri("/"));
        var session = wire.login(credentials.owsApiKey());
        var ouid = wire.upload(session, "never-bound.pdf", "%PDF-1.7\nnever bound".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        var token = wire.fileApiToken(credentials.tenant(), credentials.publisherId(), credentials.publisherSecret());
        // chunk 0 only, never closed
        var ticketHash = Secrets.hash(wire.startResumable(token, "never-closed.bin", Credentials.BUSINESS_TYPE, new byte[2048], 2048));
        var blobs = new java.util.HashSet<>(deployment.strings("SELECT blob_id FROM stored_file WHERE ouid = ?", ouid));
        blobs.addAll(deployment.strings("SELECT blob_id FROM upload_chunk WHERE token_hash = ?", ticketHash));
        if (blobs.size() != 2) {
            throw new IllegalStateException("expected the blobs of the upload and of chunk 0, found " + blobs);
        }
        return new Takeover(victim.name(), ouid, ticketHash, Set.copyOf(blobs));
    }

    /** Waits (bounded) until the survivors have collected both; call after the planting node was killed. */
    Outcome awaitCollected(Deployment deployment) {
        var lines = new ArrayList<String>();
        for (int look = 1; look <= LOOKS; look++) {
            var fileLeft = !deployment.strings("SELECT ouid FROM stored_file WHERE ouid = ?", ouid).isEmpty();
            var ticketLeft = !deployment.strings("SELECT token_hash FROM upload_ticket WHERE token_hash = ?", ticketHash).isEmpty();
            if (!fileLeft && !ticketLeft) {
                var blobsLeft = new java.util.HashSet<>(blobIds);
                blobsLeft.retainAll(deployment.storedBlobs());
                lines.add("the unbound upload and the open resumable ticket planted on " + node + " were collected by the survivors"
                        + (blobsLeft.isEmpty() ? ", blobs deleted" : ", but blobs " + blobsLeft + " are still stored"));
                return new Outcome(blobsLeft.isEmpty(), lines);
            }
            Node.sleep(1000);
        }
        lines.add("FAILED: after " + LOOKS + " looks the unbound upload " + ouid + " or the open ticket planted on " + node + " is still there");
        return new Outcome(false, lines);
    }
}
