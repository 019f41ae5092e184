package io.dossier.it.durability;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks acknowledged writes through the HTTP APIs of a node, as a client would find them again:
 * sessions and tokens still accepted, candidates, attachments and HR persons still there, every file
 * downloading with the SHA-256 of the bytes that were sent. An unbound OWS upload is found by
 * binding it to the verifier's own candidate (which also keeps it from being collected later).
 */
final class Verifier {

    /** {@code SKIPPED}: stored, but a walk of the change feed that should have given it did not ({@link FeedFollower}). */
    enum Verdict { OK, LOST, CORRUPT, SKIPPED }

    record Problem(Verdict verdict, Ledger.Ack ack, String detail) {
        @Override
        public String toString() {
            return verdict + " " + ack + ": " + detail;
        }
    }

    private final Wire wire;
    private final String session;
    private final String token;
    private final String candidate;
    private final String documentType;
    private final String hrToken;

    private Verifier(Wire wire, String session, String token, String candidate, String documentType, String hrToken) {
        this.wire = wire;
        this.session = session;
        this.token = token;
        this.candidate = candidate;
        this.documentType = documentType;
        this.hrToken = hrToken;
    }

    /** A verifier on {@code node}, logged in with fresh OWS, File API (subscriber) and Youforce credentials. */
    static Verifier on(Node node, Credentials credentials, String documentType) throws Wire.NotAcknowledged {
        var wire = new Wire(node.uri("/"));
        var session = wire.login(credentials.owsApiKey());
        var token = wire.fileApiToken(credentials.tenant(), credentials.subscriberId(), credentials.subscriberSecret());
        return new Verifier(wire, session, token, wire.addCandidate(session, "Crash verifier"), documentType,
                wire.youforceToken(credentials.tenant(), credentials.hrReaderId(), credentials.hrReaderSecret()));
    }

    /** The problems found among {@code acks}; an empty list when each is stored whole. */
    List<Problem> check(List<Ledger.Ack> acks) throws Wire.NotAcknowledged {
        var problems = new ArrayList<Problem>();
        for (var ack : acks) {
            var problem = check(ack);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    private Problem check(Ledger.Ack ack) throws Wire.NotAcknowledged {
        return switch (ack) {
            case Ledger.Session s -> {
                var answer = wire.rpc("check", s.token());
                yield answer.has("result") && !answer.has("error") ? null : new Problem(Verdict.LOST, ack, "check answers " + answer.path("error"));
            }
            case Ledger.Token t -> {
                var status = wire.fileApiPublisherPage(t.token());
                yield status == 200 ? null : new Problem(Verdict.LOST, ack, "a call with it answers HTTP " + status);
            }
            case Ledger.Candidate c -> {
                var answer = wire.rpc("Otys.Services.CandidateService.getDetail", session, c.uid());
                yield answer.has("result") && !answer.has("error") ? null : new Problem(Verdict.LOST, ack, "getDetail answers " + answer.path("error"));
            }
            case Ledger.Attachment a -> {
                var answer = wire.rpc("Otys.Services.AttachedDocumentsService.getDetail", session, a.documentId());
                if (answer.has("error") || !a.ouid().equals(answer.path("result").path("fileUid").asText())) {
                    yield new Problem(Verdict.LOST, ack, "getDetail answers " + answer);
                }
                yield download(ack, wire.owsDownload(session, a.ouid()), a.sha256());
            }
            case Ledger.Upload u -> {
                var response = wire.owsDownload(session, u.ouid());
                if (response.statusCode() == 404) {
                    discard(response);
                    // not bound by anything that was acknowledged: bind it to find it
                    var bound = wire.rpc("Otys.Services.AttachedDocumentsService.add", session, Map.of("candidateUid", candidate,
                            "fileUid", u.ouid(), "typeId", documentType, "subject", "verified " + u.ouid(), "private", "false"));
                    if (bound.has("error") && !bound.path("error").path("message").asText().contains("already bound")) {
                        yield new Problem(Verdict.LOST, ack, "binding it answers " + bound.path("error"));
                    }
                    response = wire.owsDownload(session, u.ouid());
                }
                yield download(ack, response, u.sha256());
            }
            case Ledger.Publication p -> download(ack, wire.fileApiDownload(token, p.fileId()), p.sha256());
            case Ledger.Opus2Document d -> download(ack, wire.opus2Download(d.token(), d.projectId(), d.documentId()), d.sha256());
            case Ledger.Person p -> {
                var status = wire.youforcePerson(hrToken, p.id());
                yield status == 200 ? null : new Problem(status == 404 ? Verdict.LOST : Verdict.CORRUPT, ack, "reading it answers HTTP " + status);
            }
        };
    }

    private static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }

    /** 404 means lost; any other failure (5xx, a body cut off, other bytes) means corrupt. */
    private static Problem download(Ledger.Ack ack, HttpResponse<InputStream> response, String expectedSha256) {
        var status = response.statusCode();
        try {
            if (status == 404) {
                response.body().close();
                return new Problem(Verdict.LOST, ack, "download answers 404");
            }
            if (status != 200) {
                response.body().close();
                return new Problem(Verdict.CORRUPT, ack, "download answers " + status);
            }
            var actual = Wire.sha256(response.body());
            return actual.equals(expectedSha256) ? null : new Problem(Verdict.CORRUPT, ack, "downloaded SHA-256 " + actual);
        } catch (IOException e) {
            return new Problem(Verdict.CORRUPT, ack, "download cut off: " + e.getMessage());
        }
    }
}
