package io.dossier.core.intake;

import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import io.dossier.core.access.Caller;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredBlob;
import io.dossier.core.document.DocumentService;
import io.dossier.core.job.Job;
import io.dossier.core.job.JobKind;
import io.dossier.core.job.JobState;
import io.dossier.core.job.Jobs;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import io.dossier.core.settings.Settings;
import io.dossier.core.settings.SettingsService;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Documents taken in for a record's file (an employee's personal file) asynchronously: the upload
 * is stored and acknowledged at once with a ticket, and a durable job ({@value #KIND}) files it
 * into the record's container, in a folder, retrying with backoff while the file store is
 * unavailable (the tenant setting {@link Settings#PERSONAL_FILE_AVAILABLE}) until the retry
 * deadline, after which the ticket is rejected with a message. Tickets are jobs, so they survive
 * restarts and a node's death, and any node completes them.
 */
public final class DocumentIntake {

    public static final String KIND = "hr.personal-file";
    private static final String KEY_PREFIX = "intake:";

    public enum Status { IN_PROGRESS, COMPLETE, REJECTED }

    /** A ticket as its client sees it. */
    public record Ticket(String id, String description, long size, Instant createdAt, Status status, List<String> errors) {
    }

    private final Jobs jobs;
    private final ContentService content;
    private final DocumentService documents;
    private final RecordService records;
    private final SettingsService settings;
    private final Transactions transactions;
    private final Clock clock;
    private final Duration retryFor;

    public DocumentIntake(Jobs jobs, ContentService content, DocumentService documents, RecordService records, SettingsService settings,
                          Transactions transactions, Clock clock, Duration retryFor) {
        this.jobs = jobs;
        this.content = content;
        this.documents = documents;
        this.records = records;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
        this.retryFor = retryFor;
    }

    /** The job kind to register: retried from 5 s up to 10 minutes apart, for at most the retry time. */
    public JobKind kind() {
        var first = retryFor.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofMillis(Math.max(1, retryFor.toMillis() / 2)) : Duration.ofSeconds(5);
        var max = retryFor.compareTo(Duration.ofMinutes(10)) < 0 ? first.plus(retryFor) : Duration.ofMinutes(10);
        return new JobKind(KIND, retryFor, first, max, false, this::file);
    }

    /**
     * Takes in {@code blob} for the record {@code uid} of {@code type} (which must exist for the
     * caller, else NOT_FOUND and the blob is discarded) and returns its ticket, IN_PROGRESS.
     */
    public Ticket accept(Caller caller, RecordType type, String uid, String folder, String description, LocalDate validFrom,
                         String fileName, String mediaType, StoredBlob blob) {
        try {
            if (uid == null || !records.exists(caller, type, uid)) {
                throw Failure.notFound("no " + type.name() + " " + uid);
            }
            var ticketId = UUID.randomUUID().toString();
            var now = clock.instant();
            return transactions.inTransaction(() -> {
                var file = registered(caller, fileName, mediaType, blob);
                var payload = new Properties();
                payload.setProperty("ticket", ticketId);
                payload.setProperty("container", type.storageName());
                payload.setProperty("uid", uid);
                payload.setProperty("folder", folder);
                payload.setProperty("description", description == null ? "" : description);
                payload.setProperty("validFrom", validFrom.toString());
                payload.setProperty("file", file);
                payload.setProperty("size", Long.toString(blob.size()));
                payload.setProperty("createdAt", now.toString());
                jobs.enqueue(caller.tenantId(), KIND, write(payload), KEY_PREFIX + ticketId, now).orElseThrow();
                return new Ticket(ticketId, description, blob.size(), now, Status.IN_PROGRESS, List.of());
            });
        } catch (RuntimeException e) {
            content.discard(blob);
            throw e;
        }
    }

    private String registered(Caller caller, String fileName, String mediaType, StoredBlob blob) {
        try {
            return content.register(caller.tenantId(), caller.userId().orElse(null), fileName, mediaType, blob).ouid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The caller's ticket; NOT_FOUND for none (or another tenant's). */
    public Ticket ticket(Caller caller, String ticketId) {
        var job = ticketId == null || ticketId.length() > 64 ? null
                : jobs.findByKey(caller.tenantId(), KEY_PREFIX + ticketId).filter(j -> KIND.equals(j.kind())).orElse(null);
        if (job == null) {
            throw Failure.notFound("no ticket " + ticketId);
        }
        var payload = read(job.payload());
        var status = job.state() == JobState.DONE ? Status.COMPLETE : job.state() == JobState.DEAD ? Status.REJECTED : Status.IN_PROGRESS;
        var errors = status == Status.REJECTED
                ? List.of("The document could not be stored in the personal file within the retry period: "
                        + (job.lastError() == null ? "cancelled" : job.lastError()))
                : List.<String>of();
        return new Ticket(ticketId, payload.getProperty("description", ""), Long.parseLong(payload.getProperty("size", "0")),
                Instant.parse(payload.getProperty("createdAt")), status, errors);
    }

    /** The job: files the document unless it already is (an attempt that finished but was not recorded). */
    private void file(Job job) {
        long tenantId = job.tenantId();
        if (!settings.get(tenantId, Settings.PERSONAL_FILE_AVAILABLE)) {
            throw Failure.unavailable("the personal file store is not available", null);
        }
        var payload = read(job.payload());
        var caller = new Caller.Internal(tenantId, "document intake");
        var file = payload.getProperty("file");
        try {
            documents.byFile(caller, file);
            return;
        } catch (Failure failure) {
            if (failure.kind() != Failure.Kind.NOT_FOUND) {
                throw failure;
            }
        }
        var attributes = new LinkedHashMap<String, String>();
        attributes.put("folder", payload.getProperty("folder"));
        attributes.put("validFrom", payload.getProperty("validFrom"));
        attributes.put("ticket", payload.getProperty("ticket"));
        documents.attach(caller, payload.getProperty("container"), payload.getProperty("uid"), file, null,
                payload.getProperty("description"), attributes);
    }

    private static String write(Properties properties) {
        var out = new StringWriter();
        try {
            properties.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the first line is a date comment: drop it so the payload says only what it holds
        return out.toString().lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    private static Properties read(String text) {
        var properties = new Properties();
        try {
            properties.load(new StringReader(text == null ? "" : text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
