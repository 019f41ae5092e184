package io.dossier.store.sql;

import static io.dossier.store.sql.Tables.TENANT;

import io.dossier.core.tenant.Tenant;
import io.dossier.core.tenant.TenantRepository;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jooq.Record;

public final class SqlTenantRepository implements TenantRepository {

    private final Database db;

    public SqlTenantRepository(Database db) {
        this.db = db;
    }

    @Override
    public Tenant insert(String slug, String name, List<String> contentLanguages, String defaultLanguage) {
        var id = db.sql().insertInto(TENANT.T)
                .set(TENANT.SLUG, slug)
                .set(TENANT.NAME, name)
                .set(TENANT.CONTENT_LANGUAGES, String.join(",", contentLanguages))
                .set(TENANT.DEFAULT_LANGUAGE, defaultLanguage)
                .set(TENANT.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .returningResult(TENANT.ID)
                .fetchOne()
                .value1();
        return findById(id).orElseThrow();
    }

    @Override
    public Optional<Tenant> findById(long id) {
        return db.sql().selectFrom(TENANT.T).where(TENANT.ID.eq(id)).fetchOptional(SqlTenantRepository::tenant);
    }

    @Override
    public Optional<Tenant> findBySlug(String slug) {
        return db.sql().selectFrom(TENANT.T).where(TENANT.SLUG.eq(slug)).fetchOptional(SqlTenantRepository::tenant);
    }

    @Override
    public List<Tenant> list() {
        return db.sql().selectFrom(TENANT.T).orderBy(TENANT.ID).fetch(SqlTenantRepository::tenant);
    }

    private static Tenant tenant(Record r) {
        return new Tenant(r.get(TENANT.ID), r.get(TENANT.SLUG), r.get(TENANT.NAME),
                Arrays.asList(r.get(TENANT.CONTENT_LANGUAGES).split(",")), r.get(TENANT.DEFAULT_LANGUAGE),
                r.get(TENANT.CREATED_AT).toInstant());
    }
}
