package io.dossier.it.durability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every write a server acknowledged, as the client saw it (with the SHA-256 of the bytes it sent),
 * and which node acknowledged it. Writers add to it concurrently; the verifier reads it after a kill.
 */
final class Ledger {

    /** One acknowledged write; {@code round} and {@code node} say when and where it was acknowledged. */
    sealed interface Ack {
        int round();

        String node();

        /** A short name of the kind, for the report. */
        default String kind() {
            return switch (this) {
                case Session s -> "OWS sessions";
                case Token t -> "File API tokens";
                case Candidate c -> "candidates";
                case Upload u -> "OWS uploads";
                case Attachment a -> "OWS attachments";
                case Publication p -> p.resumableToken() == null ? "File API publications" : "File API resumable publications";
                case Opus2Document d -> "Opus 2 documents";
                case Person p -> "HR persons";
            };
        }
    }

    /** {@code loginByUid} answered a session token. */
    record Session(int round, String node, String token) implements Ack {
    }

    /** {@code POST /fileapi/connect/token} answered an access token. */
    record Token(int round, String node, String token) implements Ack {
    }

    /** {@code CandidateService.add} answered a uid. */
    record Candidate(int round, String node, String uid) implements Ack {
    }

    /** {@code POST /ows/fileService.php} answered an ouid for these bytes (bound later, or not). */
    record Upload(int round, String node, String ouid, String sha256, long size) implements Ack {
    }

    /** {@code AttachedDocumentsService.add} answered document {@code documentId} for file {@code ouid}. */
    record Attachment(int round, String node, String documentId, String ouid, String sha256) implements Ack {
    }

    /** A File API publication answered 201 with {@code fileId}; {@code resumableToken} is the ticket when it was resumable. */
    record Publication(int round, String node, String fileId, String sha256, long size, String resumableToken) implements Ack {
    }

    /** {@code POST /opus2/projects/{projectId}/documents} answered 201 with {@code documentId} for these bytes. */
    record Opus2Document(int round, String node, String token, String projectId, String documentId, String sha256, long size) implements Ack {
    }

    /**
     * {@code POST /admin/api/tenants/{t}/hr/import} applied a new person {@code id}: sent at
     * {@code sent} (so its change is later), acknowledged at {@code acknowledged} (wall clock).
     */
    record Person(int round, String node, String id, java.time.Instant sent, java.time.Instant acknowledged) implements Ack {
    }

    private final List<Ack> acks = new ArrayList<>();

    synchronized void add(Ack ack) {
        acks.add(ack);
    }

    synchronized List<Ack> all() {
        return List.copyOf(acks);
    }

    synchronized List<Ack> ofRound(int round) {
        return acks.stream().filter(a -> a.round() == round).toList();
    }

    /** How many acknowledged writes of each kind. */
    synchronized Map<String, Integer> countByKind() {
        var counts = new TreeMap<String, Integer>();
        acks.forEach(a -> counts.merge(a.kind(), 1, Integer::sum));
        return counts;
    }

    synchronized int size() {
        return acks.size();
    }
}
