package io.dossier.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.dossier.core.mail.MailMessage;
import io.dossier.core.mail.OutboxMail;
import io.dossier.core.mail.OutboxRepository;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** A tenant's outbox in {@code mail_outbox} (V16); recipients one address per line. */
public final class SqlOutboxRepository implements OutboxRepository {

    private static final Table<Record> T = table(name("mail_outbox"));
    private static final Field<Long> ID = field(name("mail_outbox", "id"), Long.class);
    private static final Field<Long> TENANT_ID = field(name("mail_outbox", "tenant_id"), Long.class);
    private static final Field<Long> USER_ID = field(name("mail_outbox", "user_id"), Long.class);
    private static final Field<Long> CLIENT_ID = field(name("mail_outbox", "client_id"), Long.class);
    private static final Field<String> FROM_ADDRESS = field(name("mail_outbox", "from_address"), String.class);
    private static final Field<String> FROM_NAME = field(name("mail_outbox", "from_name"), String.class);
    private static final Field<String> TO = field(name("mail_outbox", "to_addresses"), String.class);
    private static final Field<String> CC = field(name("mail_outbox", "cc_addresses"), String.class);
    private static final Field<String> BCC = field(name("mail_outbox", "bcc_addresses"), String.class);
    private static final Field<String> SUBJECT = field(name("mail_outbox", "subject"), String.class);
    private static final Field<String> HTML_BODY = field(name("mail_outbox", "html_body"), String.class);
    private static final Field<String> ABOUT_TYPE = field(name("mail_outbox", "about_type"), String.class);
    private static final Field<String> ABOUT_UID = field(name("mail_outbox", "about_uid"), String.class);
    private static final Field<String> STATUS = field(name("mail_outbox", "status"), String.class);
    private static final Field<OffsetDateTime> CREATED_AT = field(name("mail_outbox", "created_at"), OffsetDateTime.class);
    private static final Field<Integer> ATTEMPTS = field(name("mail_outbox", "attempts"), Integer.class);
    private static final Field<OffsetDateTime> NEXT_ATTEMPT_AT = field(name("mail_outbox", "next_attempt_at"), OffsetDateTime.class);
    private static final Field<OffsetDateTime> SENT_AT = field(name("mail_outbox", "sent_at"), OffsetDateTime.class);
    private static final Field<String> LAST_ERROR = field(name("mail_outbox", "last_error"), String.class);
    private static final List<Field<?>> COLUMNS = List.of(ID, TENANT_ID, USER_ID, CLIENT_ID, FROM_ADDRESS, FROM_NAME, TO, CC, BCC, SUBJECT,
            HTML_BODY, ABOUT_TYPE, ABOUT_UID, STATUS, CREATED_AT, ATTEMPTS, SENT_AT, LAST_ERROR);

    private final Database db;

    public SqlOutboxRepository(Database db) {
        this.db = db;
    }

    @Override
    public long add(long tenantId, Long userId, Long clientId, MailMessage m, Instant at, Instant dueAt) {
        return db.sql().insertInto(T)
                .set(TENANT_ID, tenantId)
                .set(USER_ID, userId)
                .set(CLIENT_ID, clientId)
                .set(FROM_ADDRESS, SqlFileRepository.fit("sender address", m.fromAddress(), 320))
                .set(FROM_NAME, m.fromName() == null ? null : SqlFileRepository.fit("sender name", m.fromName(), 200))
                .set(TO, lines(m.to()))
                .set(CC, lines(m.cc()))
                .set(BCC, lines(m.bcc()))
                .set(SUBJECT, m.subject())
                .set(HTML_BODY, m.htmlBody())
                .set(ABOUT_TYPE, m.aboutType() == null ? null : SqlFileRepository.fit("record type", m.aboutType(), 200))
                .set(ABOUT_UID, m.aboutUid() == null ? null : SqlFileRepository.fit("record uid", m.aboutUid(), 100))
                .set(STATUS, OutboxMail.Status.QUEUED.name())
                .set(CREATED_AT, SqlFileRepository.utc(at))
                .set(NEXT_ATTEMPT_AT, dueAt == null ? null : SqlFileRepository.utc(dueAt))
                .returningResult(ID)
                .fetchOne(ID);
    }

    @Override
    public List<OutboxMail> list(long tenantId, long afterId, int limit) {
        return db.sql().select(COLUMNS).from(T)
                .where(TENANT_ID.eq(tenantId), ID.gt(afterId))
                .orderBy(ID)
                .limit(limit)
                .fetch(SqlOutboxRepository::mail);
    }

    @Override
    public List<OutboxMail> claimDue(Instant now, int limit) {
        return db.sql().select(COLUMNS).from(T)
                .where(STATUS.eq(OutboxMail.Status.QUEUED.name()), NEXT_ATTEMPT_AT.le(SqlFileRepository.utc(now)))
                .orderBy(NEXT_ATTEMPT_AT, ID)
                .limit(limit)
                .forUpdate().skipLocked()
                .fetch(SqlOutboxRepository::mail);
    }

    @Override
    public int scheduleWaiting(Instant now) {
        return db.sql().update(T).set(NEXT_ATTEMPT_AT, SqlFileRepository.utc(now))
                .where(STATUS.eq(OutboxMail.Status.QUEUED.name()), NEXT_ATTEMPT_AT.isNull())
                .execute();
    }

    @Override
    public void markSent(long id, int attempts, Instant at) {
        db.sql().update(T).set(STATUS, OutboxMail.Status.SENT.name()).set(ATTEMPTS, attempts).set(SENT_AT, SqlFileRepository.utc(at))
                .set(NEXT_ATTEMPT_AT, (OffsetDateTime) null).set(LAST_ERROR, (String) null)
                .where(ID.eq(id)).execute();
    }

    @Override
    public void markRetry(long id, int attempts, Instant nextAttemptAt, String error) {
        db.sql().update(T).set(ATTEMPTS, attempts).set(NEXT_ATTEMPT_AT, SqlFileRepository.utc(nextAttemptAt)).set(LAST_ERROR, cut(error))
                .where(ID.eq(id)).execute();
    }

    @Override
    public void markFailed(long id, int attempts, String error) {
        db.sql().update(T).set(STATUS, OutboxMail.Status.FAILED.name()).set(ATTEMPTS, attempts)
                .set(NEXT_ATTEMPT_AT, (OffsetDateTime) null).set(LAST_ERROR, cut(error))
                .where(ID.eq(id)).execute();
    }

    private static String cut(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
    }

    private static OutboxMail mail(org.jooq.Record r) {
        var sentAt = r.get(SENT_AT);
        return new OutboxMail(r.get(ID), r.get(TENANT_ID), r.get(USER_ID), r.get(CLIENT_ID),
                new MailMessage(r.get(FROM_ADDRESS), r.get(FROM_NAME), split(r.get(TO)), split(r.get(CC)), split(r.get(BCC)),
                        r.get(SUBJECT), r.get(HTML_BODY), r.get(ABOUT_TYPE), r.get(ABOUT_UID)),
                OutboxMail.Status.valueOf(r.get(STATUS)), r.get(CREATED_AT).toInstant(), r.get(ATTEMPTS),
                sentAt == null ? null : sentAt.toInstant(), r.get(LAST_ERROR));
    }

    private static String lines(List<String> addresses) {
        return SqlFileRepository.fit("recipients", String.join("\n", addresses.stream().map(String::strip).toList()), 20000);
    }

    private static List<String> split(String lines) {
        return lines == null || lines.isEmpty() ? List.of() : Arrays.asList(lines.split("\n"));
    }
}
