package io.dossier.it.durability;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One client of the mixed load, for one round against one node: imports a person, logs in (OWS
 * session, File API token), adds a candidate and an Opus 2 project with a folder, then until
 * stopped repeats one of: OWS upload then bind to the candidate (some uploads are left unbound),
 * File API multipart publication, Opus 2 document upload, File API resumable publication, HR
 * import of a new person (which a Youforce client finds through the change feed:
 * {@link FeedFollower}). Every acknowledged write goes into the ledger, a file with the SHA-256 of
 * its bytes.
 */
final class Writer implements Runnable {

    /** Counts shared by the writers of a run; refusals from a node that was not being killed are kept with their message. */
    static final class Tally {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger unacknowledged = new AtomicInteger();
        final ConcurrentLinkedQueue<String> refusedWhileUp = new ConcurrentLinkedQueue<>();
    }

    /** A writer gives up a round after this many operations or this long, whatever happens. */
    private static final int MAX_OPERATIONS = 5_000;
    private static final long MAX_MILLIS = 120_000;

    private final int round;
    private final Node node;
    private final String name;
    private final Credentials credentials;
    private final String documentType;
    private final Ledger ledger;
    private final Tally tally;
    private final AtomicBoolean stop;
    private final Predicate<Node> beingKilled;
    private final Random random;

    Writer(int round, Node node, String name, Credentials credentials, String documentType, Ledger ledger, Tally tally,
           AtomicBoolean stop, Predicate<Node> beingKilled, long seed) {
        this.round = round;
        this.node = node;
        this.name = name;
        this.credentials = credentials;
        this.documentType = documentType;
        this.ledger = ledger;
        this.tally = tally;
        this.stop = stop;
        this.beingKilled = beingKilled;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        var wire = new Wire(node.uri("/"));
        var deadline = System.currentTimeMillis() + MAX_MILLIS;
        try {
            // a person first: after a restart, the first changes of the feed are persons, where a
            // walk that read past a change the kill undid would miss them (FeedFollower)
            person(wire, name + "-first");
            var session = wire.login(credentials.owsApiKey());
            ledger.add(new Ledger.Session(round, node.name(), session));
            var token = wire.fileApiToken(credentials.tenant(), credentials.publisherId(), credentials.publisherSecret());
            ledger.add(new Ledger.Token(round, node.name(), token));
            var candidate = wire.addCandidate(session, "Crash " + name);
            ledger.add(new Ledger.Candidate(round, node.name(), candidate));
            var folder = wire.opus2Folder(credentials.opus2Token(), "Crash " + name + " " + round);
            // a writer whose node is being killed stops at its first failure, as its client would find the node gone
            for (int op = 0; op < MAX_OPERATIONS && !stop.get() && !beingKilled.test(node) && System.currentTimeMillis() < deadline; op++) {
                tally.attempts.incrementAndGet();
                try {
                    operation(wire, session, token, candidate, folder, name + "-" + op);
                } catch (Wire.NotAcknowledged e) {
                    refused(e);
                }
            }
        } catch (Wire.NotAcknowledged e) {
            refused(e);
        }
    }

    private void operation(Wire wire, String session, String token, String candidate, String[] folder, String label)
            throws Wire.NotAcknowledged {
        var pick = random.nextInt(100);
        if (pick < 30) {
            var content = content(label);
            var ouid = wire.upload(session, label + ".pdf", content);
            var sha256 = Wire.sha256(content);
            ledger.add(new Ledger.Upload(round, node.name(), ouid, sha256, content.length));
            if (random.nextInt(5) > 0) {
                var document = wire.attach(session, candidate, ouid, documentType);
                ledger.add(new Ledger.Attachment(round, node.name(), document, ouid, sha256));
            }
        } else if (pick < 52) {
            var content = content(label);
            var fileId = wire.publish(token, label + ".bin", Credentials.BUSINESS_TYPE, content);
            ledger.add(new Ledger.Publication(round, node.name(), fileId, Wire.sha256(content), content.length, null));
        } else if (pick < 72) {
            var content = content(label);
            var documentId = wire.opus2Upload(credentials.opus2Token(), folder[0], folder[1], label + ".pdf", content);
            ledger.add(new Ledger.Opus2Document(round, node.name(), credentials.opus2Token(), folder[0], documentId, Wire.sha256(content),
                    content.length));
        } else if (pick < 92) {
            var content = content(label);
            var chunks = 2 + random.nextInt(3);
            var chunkBytes = (content.length + chunks - 1) / chunks;
            var ticket = new String[1];
            var fileId = wire.publishResumable(token, label + ".bin", Credentials.BUSINESS_TYPE, content, chunkBytes, t -> ticket[0] = t);
            ledger.add(new Ledger.Publication(round, node.name(), fileId, Wire.sha256(content), content.length, ticket[0]));
        } else {
            person(wire, label);
        }
    }

    private void person(Wire wire, String label) throws Wire.NotAcknowledged {
        var id = "crash-" + label;
        var sent = java.time.Instant.now();
        wire.importPerson(credentials.adminToken(), credentials.tenant(), id);
        ledger.add(new Ledger.Person(round, node.name(), id, sent, java.time.Instant.now()));
    }

    /** Mostly small files, some of a few hundred KiB, a few of some MiB; at least 2 KiB, so a resumable one has 2+ chunks. */
    private byte[] content(String label) {
        var pick = random.nextInt(100);
        var size = pick < 70 ? 2048 + random.nextInt(62 * 1024)
                : pick < 95 ? 64 * 1024 + random.nextInt(448 * 1024)
                : 1024 * 1024 + random.nextInt(3 * 1024 * 1024);
        var bytes = new byte[size];
        random.nextBytes(bytes);
        var header = ("%PDF-1.7\n% " + label + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, bytes, 0, header.length);
        return bytes;
    }

    private void refused(Wire.NotAcknowledged e) {
        tally.unacknowledged.incrementAndGet();
        if (!beingKilled.test(node) && !stop.get()) {
            tally.refusedWhileUp.add(node.name() + ": " + e.getMessage());
        }
    }

    static List<Thread> startAll(List<Writer> writers) {
        return writers.stream().map(w -> Thread.ofPlatform().name("crash-" + w.name).start(w)).toList();
    }
}
