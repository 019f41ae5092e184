package io.dossier.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.dossier.core.job.Job;
import io.dossier.core.job.JobRepository;
import io.dossier.core.job.JobState;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;

/** The job table (V17): claims with {@code SELECT … FOR UPDATE SKIP LOCKED}, on H2 and PostgreSQL alike. */
public final class SqlJobRepository implements JobRepository {

    static final Table<Record> JOB = table(name("job"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<Long> TENANT_ID = field(name("tenant_id"), Long.class);
    static final Field<String> KIND = field(name("kind"), String.class);
    static final Field<String> PAYLOAD = field(name("payload"), String.class);
    static final Field<String> STATE = field(name("state"), String.class);
    static final Field<Integer> ATTEMPTS = field(name("attempts"), Integer.class);
    static final Field<OffsetDateTime> NEXT_ATTEMPT_AT = field(name("next_attempt_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> DEADLINE_AT = field(name("deadline_at"), OffsetDateTime.class);
    static final Field<String> LAST_ERROR = field(name("last_error"), String.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> FINISHED_AT = field(name("finished_at"), OffsetDateTime.class);
    static final Field<String> NODE = field(name("node"), String.class);
    static final Field<String> CLAIM_TOKEN = field(name("claim_token"), String.class);
    static final Field<String> UNIQUE_KEY = field(name("unique_key"), String.class);
    private static final List<Field<?>> COLUMNS = List.of(ID, TENANT_ID, KIND, PAYLOAD, STATE, ATTEMPTS, NEXT_ATTEMPT_AT, DEADLINE_AT,
            LAST_ERROR, CREATED_AT, FINISHED_AT, NODE, CLAIM_TOKEN);
    /** States a node may claim a job in, once its next attempt (or its lease's end) is due. */
    private static final List<String> CLAIMABLE = List.of(JobState.QUEUED.name(), JobState.FAILED.name(), JobState.RUNNING.name());

    private final Database db;

    public SqlJobRepository(Database db) {
        this.db = db;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    @Override
    public Optional<Job> insert(NewJob job, Instant now) {
        if (job.uniqueKey() != null && db.sql().fetchExists(JOB, UNIQUE_KEY.eq(job.uniqueKey()))) {
            return Optional.empty();
        }
        try {
            // on its own, not in a caller's transaction: on PostgreSQL a refused insert would abort it
            long id = db.sql().insertInto(JOB)
                    .set(TENANT_ID, job.tenantId())
                    .set(KIND, job.kind())
                    .set(PAYLOAD, job.payload())
                    .set(STATE, JobState.QUEUED.name())
                    .set(ATTEMPTS, 0)
                    .set(NEXT_ATTEMPT_AT, utc(job.nextAttemptAt()))
                    .set(DEADLINE_AT, utc(job.deadlineAt()))
                    .set(CREATED_AT, utc(now))
                    .set(UNIQUE_KEY, job.uniqueKey())
                    .returningResult(ID).fetchOne().value1();
            return Optional.of(new Job(id, job.tenantId(), job.kind(), job.payload(), JobState.QUEUED, 0, job.nextAttemptAt(),
                    job.deadlineAt(), null, now, null, null, null));
        } catch (DataAccessException e) {
            if (job.uniqueKey() != null && "23505".equals(e.sqlState())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<Job> claim(Collection<String> kinds, String node, Instant now, Instant leaseUntil, int limit) {
        return db.inTransaction(() -> {
            var ids = db.sql().select(ID).from(JOB)
                    .where(STATE.in(CLAIMABLE), NEXT_ATTEMPT_AT.le(utc(now)), KIND.in(kinds))
                    .orderBy(NEXT_ATTEMPT_AT, ID)
                    .limit(limit)
                    .forUpdate().skipLocked()
                    .fetch(ID);
            if (ids.isEmpty()) {
                return List.<Job>of();
            }
            var token = UUID.randomUUID().toString();
            // the due condition again: a row another node claimed and committed between our read and our lock is not ours
            db.sql().update(JOB)
                    .set(STATE, JobState.RUNNING.name())
                    .set(ATTEMPTS, ATTEMPTS.plus(1))
                    .set(NODE, node)
                    .set(CLAIM_TOKEN, token)
                    .set(NEXT_ATTEMPT_AT, utc(leaseUntil))
                    .where(ID.in(ids), STATE.in(CLAIMABLE), NEXT_ATTEMPT_AT.le(utc(now)))
                    .execute();
            return db.sql().select(COLUMNS).from(JOB).where(CLAIM_TOKEN.eq(token)).orderBy(ID).fetch(SqlJobRepository::job);
        });
    }

    @Override
    public int renew(Collection<String> claimTokens, Instant leaseUntil) {
        return db.sql().update(JOB).set(NEXT_ATTEMPT_AT, utc(leaseUntil))
                .where(CLAIM_TOKEN.in(claimTokens), STATE.eq(JobState.RUNNING.name()))
                .execute();
    }

    private Condition held(long id, String claimToken) {
        return ID.eq(id).and(CLAIM_TOKEN.eq(claimToken)).and(STATE.eq(JobState.RUNNING.name()));
    }

    @Override
    public boolean complete(long id, String claimToken, Instant now) {
        return db.sql().update(JOB)
                .set(STATE, JobState.DONE.name())
                .set(FINISHED_AT, utc(now))
                .set(NEXT_ATTEMPT_AT, utc(now))
                .setNull(CLAIM_TOKEN)
                .where(held(id, claimToken))
                .execute() > 0;
    }

    @Override
    public boolean fail(long id, String claimToken, String error, Instant nextAttemptAt, Instant now) {
        var update = db.sql().update(JOB)
                .set(LAST_ERROR, error)
                .setNull(CLAIM_TOKEN);
        var set = nextAttemptAt == null
                ? update.set(STATE, JobState.DEAD.name()).set(FINISHED_AT, utc(now)).set(NEXT_ATTEMPT_AT, utc(now))
                : update.set(STATE, JobState.FAILED.name()).set(NEXT_ATTEMPT_AT, utc(nextAttemptAt));
        return set.where(held(id, claimToken)).execute() > 0;
    }

    @Override
    public Optional<Job> find(Long tenantId, long id) {
        Condition where = ID.eq(id);
        if (tenantId != null) {
            where = where.and(TENANT_ID.eq(tenantId));
        }
        return db.sql().select(COLUMNS).from(JOB).where(where).fetchOptional(SqlJobRepository::job);
    }

    @Override
    public Optional<Job> findByUniqueKey(long tenantId, String uniqueKey) {
        return db.sql().select(COLUMNS).from(JOB).where(UNIQUE_KEY.eq(uniqueKey), TENANT_ID.eq(tenantId)).fetchOptional(SqlJobRepository::job);
    }

    @Override
    public List<Job> list(Long tenantId, JobState state, String kind, Long beforeId, int limit) {
        var where = new ArrayList<Condition>();
        if (tenantId != null) {
            where.add(TENANT_ID.eq(tenantId));
        }
        if (state != null) {
            where.add(STATE.eq(state.name()));
        }
        if (kind != null) {
            where.add(KIND.eq(kind));
        }
        if (beforeId != null) {
            where.add(ID.lt(beforeId));
        }
        return db.sql().select(COLUMNS).from(JOB).where(where).orderBy(ID.desc()).limit(limit).fetch(SqlJobRepository::job);
    }

    @Override
    public boolean retry(long id, Instant now, Instant deadlineAt) {
        return db.sql().update(JOB)
                .set(STATE, JobState.QUEUED.name())
                .set(NEXT_ATTEMPT_AT, utc(now))
                .set(DEADLINE_AT, utc(deadlineAt))
                .setNull(FINISHED_AT)
                .setNull(CLAIM_TOKEN)
                .where(ID.eq(id), STATE.in(JobState.FAILED.name(), JobState.DEAD.name()))
                .execute() > 0;
    }

    @Override
    public boolean cancel(long id, String reason, Instant now) {
        return db.sql().update(JOB)
                .set(STATE, JobState.DEAD.name())
                .set(LAST_ERROR, reason)
                .set(FINISHED_AT, utc(now))
                .set(NEXT_ATTEMPT_AT, utc(now))
                .setNull(CLAIM_TOKEN)
                .where(ID.eq(id), STATE.in(JobState.QUEUED.name(), JobState.FAILED.name(), JobState.RUNNING.name()))
                .execute() > 0;
    }

    @Override
    public int purgeFinished(Instant before, int limit) {
        return db.inTransaction(() -> {
            var ids = db.sql().select(ID).from(JOB)
                    .where(FINISHED_AT.lt(utc(before)), STATE.in(JobState.DONE.name(), JobState.DEAD.name()))
                    .orderBy(FINISHED_AT).limit(limit)
                    .forUpdate().skipLocked()
                    .fetch(ID);
            return ids.isEmpty() ? 0 : db.sql().deleteFrom(JOB).where(ID.in(ids)).execute();
        });
    }

    private static Job job(Record r) {
        return new Job(r.get(ID), r.get(TENANT_ID), r.get(KIND), r.get(PAYLOAD), JobState.valueOf(r.get(STATE)), r.get(ATTEMPTS),
                instant(r.get(NEXT_ATTEMPT_AT)), instant(r.get(DEADLINE_AT)), r.get(LAST_ERROR), instant(r.get(CREATED_AT)),
                instant(r.get(FINISHED_AT)), r.get(NODE), r.get(CLAIM_TOKEN));
    }
}
