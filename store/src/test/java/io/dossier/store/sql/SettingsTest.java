package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.core.Failure;
import io.dossier.core.access.Resource;
import io.dossier.core.settings.SettingValue;
import io.dossier.core.settings.Settings;
import io.dossier.core.settings.SettingsService;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Typed settings per tenant and container through {@link SettingsService}, once per database (H2, PostgreSQL). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SettingsTest {

    static final String ACCESS = Settings.API_ACCESS_ALLOWED.key();
    static final String DOWNLOAD = Settings.DOCUMENTS_DOWNLOAD_VIA_API.key();

    protected abstract TestDatabase newDatabase();

    private TestDatabase testDatabase;
    private SqlTenantRepository tenants;
    private SettingsService settings;

    @BeforeAll
    void open() {
        testDatabase = newDatabase();
        var db = testDatabase.database();
        tenants = new SqlTenantRepository(db);
        settings = new SettingsService(new SqlSettingsRepository(db), db, Clock.systemUTC());
    }

    @AfterAll
    void close() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    private long tenant() {
        return tenants.insert("t" + UUID.randomUUID().toString().substring(0, 8), "T", List.of("en"), "en").id();
    }

    private static Failure.Kind kindOf(Runnable call) {
        return catchThrowableOfType(Failure.class, call::run).kind();
    }

    @Test
    void anUnsetSettingReadsAsItsDefault() {
        var tenant = tenant();
        assertThat(settings.get(tenant, Settings.API_ACCESS_ALLOWED)).isTrue();
        assertThat(settings.get(tenant, Resource.container("Candidate", "c1"), Settings.DOCUMENTS_DOWNLOAD_VIA_API)).isTrue();
        assertThat(settings.list(tenant)).extracting(SettingValue::source).containsOnly(SettingValue.Source.DEFAULT);
    }

    @Test
    void aTenantValueIsReadBackTypedAndCanBeReset() {
        var tenant = tenant();
        assertThat(settings.set(tenant, ACCESS, false).value()).isEqualTo(false);
        assertThat(settings.get(tenant, Settings.API_ACCESS_ALLOWED)).isFalse();
        assertThat(settings.get(tenant, ACCESS).source()).isEqualTo(SettingValue.Source.TENANT);
        settings.set(tenant, ACCESS, true);   // replaces, does not add a row
        assertThat(settings.get(tenant, Settings.API_ACCESS_ALLOWED)).isTrue();
        settings.set(tenant, ACCESS, false);
        assertThat(settings.reset(tenant, ACCESS).source()).isEqualTo(SettingValue.Source.DEFAULT);
        assertThat(settings.get(tenant, Settings.API_ACCESS_ALLOWED)).isTrue();
    }

    @Test
    void aContainerValueFallsBackToTheTenantValueThenTheDefault() {
        var tenant = tenant();
        var c1 = Resource.container("Candidate", "c1");
        var c2 = Resource.container("Candidate", "c2");
        settings.set(tenant, DOWNLOAD, false);                 // the tenant's containers default to false
        settings.set(tenant, c2, DOWNLOAD, true);              // but c2 says true
        assertThat(settings.get(tenant, c1, Settings.DOCUMENTS_DOWNLOAD_VIA_API)).isFalse();
        assertThat(settings.get(tenant, c1, DOWNLOAD).source()).isEqualTo(SettingValue.Source.TENANT);
        assertThat(settings.get(tenant, c2, Settings.DOCUMENTS_DOWNLOAD_VIA_API)).isTrue();
        assertThat(settings.get(tenant, c2, DOWNLOAD).source()).isEqualTo(SettingValue.Source.CONTAINER);
        assertThat(settings.list(tenant, c2)).singleElement().satisfies(v -> assertThat(v.value()).isEqualTo(true));
        settings.reset(tenant, DOWNLOAD);
        assertThat(settings.get(tenant, c1, Settings.DOCUMENTS_DOWNLOAD_VIA_API)).isTrue();
        assertThat(settings.get(tenant, c1, DOWNLOAD).source()).isEqualTo(SettingValue.Source.DEFAULT);
        settings.reset(tenant, c2, DOWNLOAD);
        assertThat(settings.get(tenant, c2, DOWNLOAD).source()).isEqualTo(SettingValue.Source.DEFAULT);
    }

    @Test
    void unknownKeysWrongTypesAndTenantSettingsOnContainersAreInvalid() {
        var tenant = tenant();
        var c1 = Resource.container("Candidate", "c1");
        assertThat(kindOf(() -> settings.get(tenant, "no.such-setting"))).isEqualTo(Failure.Kind.INVALID);
        assertThat(kindOf(() -> settings.set(tenant, "no.such-setting", true))).isEqualTo(Failure.Kind.INVALID);
        assertThat(kindOf(() -> settings.set(tenant, ACCESS, "false"))).isEqualTo(Failure.Kind.INVALID);
        assertThat(kindOf(() -> settings.set(tenant, ACCESS, 1))).isEqualTo(Failure.Kind.INVALID);
        assertThat(kindOf(() -> settings.set(tenant, ACCESS, null))).isEqualTo(Failure.Kind.INVALID);
        assertThat(kindOf(() -> settings.setText(tenant, ACCESS, "maybe"))).isEqualTo(Failure.Kind.INVALID);
        assertThat(kindOf(() -> settings.set(tenant, c1, ACCESS, false))).isEqualTo(Failure.Kind.INVALID);
        assertThat(kindOf(() -> settings.set(tenant, Resource.container("Candidate", "x".repeat(300)), DOWNLOAD, false)))
                .isEqualTo(Failure.Kind.INVALID);
        assertThat(catchThrowableOfType(Failure.class, () -> settings.set(tenant, ACCESS, "no")).getMessage())
                .contains("api.access-allowed").contains("boolean");
        assertThat(settings.get(tenant, Settings.API_ACCESS_ALLOWED)).isTrue();   // nothing was written
        assertThat(settings.setText(tenant, ACCESS, "false").value()).isEqualTo(false);
    }

    @Test
    void severalValuesAreSetAllOrNone() {
        var tenant = tenant();
        var c1 = Resource.container("Candidate", "c1");
        var mixed = new java.util.LinkedHashMap<String, Object>();
        mixed.put(DOWNLOAD, false);
        mixed.put(ACCESS, "not a boolean");
        assertThat(kindOf(() -> settings.setAll(tenant, mixed))).isEqualTo(Failure.Kind.INVALID);
        assertThat(settings.list(tenant)).extracting(SettingValue::source).containsOnly(SettingValue.Source.DEFAULT);
        assertThat(kindOf(() -> settings.setAll(tenant, c1, java.util.Map.of(ACCESS, false)))).isEqualTo(Failure.Kind.INVALID);
        settings.setAll(tenant, java.util.Map.of(DOWNLOAD, false, ACCESS, false));
        assertThat(settings.get(tenant, Settings.API_ACCESS_ALLOWED)).isFalse();
        assertThat(settings.get(tenant, c1, Settings.DOCUMENTS_DOWNLOAD_VIA_API)).isFalse();
        settings.setAll(tenant, c1, java.util.Map.of(DOWNLOAD, true));
        assertThat(settings.get(tenant, c1, Settings.DOCUMENTS_DOWNLOAD_VIA_API)).isTrue();
    }

    @Test
    void oneTenantsValuesNeverReachAnother() {
        var a = tenant();
        var b = tenant();
        var shared = Resource.container("Candidate", "same-id");
        settings.set(a, ACCESS, false);
        settings.set(a, shared, DOWNLOAD, false);
        assertThat(settings.get(b, Settings.API_ACCESS_ALLOWED)).isTrue();
        assertThat(settings.get(b, shared, Settings.DOCUMENTS_DOWNLOAD_VIA_API)).isTrue();
        assertThat(settings.list(b)).extracting(SettingValue::source).containsOnly(SettingValue.Source.DEFAULT);
        settings.reset(b, ACCESS);
        settings.reset(b, shared, DOWNLOAD);
        assertThat(settings.get(a, Settings.API_ACCESS_ALLOWED)).isFalse();
        assertThat(settings.get(a, shared, Settings.DOCUMENTS_DOWNLOAD_VIA_API)).isFalse();
    }

    @Test
    void concurrentFirstPutsOfOneValueEndWithOneValue() throws Exception {
        var tenant = tenant();
        var pool = Executors.newFixedThreadPool(4);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < 8; i++) {
                var value = i % 2 == 0;
                futures.add(pool.submit(() -> settings.set(tenant, ACCESS, value)));
            }
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(settings.get(tenant, ACCESS).source()).isEqualTo(SettingValue.Source.TENANT);
    }

    @Test
    void aClientIsReadByItsKeyWithItsFiltersAndItsTenantsSettingAndNoOtherTenants() {
        var db = testDatabase.database();
        var identities = new SqlIdentityRepository(db);
        var filters = new SqlRecordFilterRepository(db);
        var tenant = tenant();
        var other = tenant();
        var user = identities.insertUser(tenant, "u" + UUID.randomUUID().toString().substring(0, 8), "u@example.com", "U", "hash");
        var hash = "h" + UUID.randomUUID();
        var client = identities.insertClient(tenant, io.dossier.core.identity.ClientKind.API_TOKEN, "bot", "p" + UUID.randomUUID(),
                user.id(), java.util.Set.of("read", "write"), hash);
        var bareHash = "h" + UUID.randomUUID();
        var bare = identities.insertClient(other, io.dossier.core.identity.ClientKind.API_TOKEN, "bare", "p" + UUID.randomUUID(),
                null, java.util.Set.of(), bareHash);
        var byType = new io.dossier.core.query.Condition.Compare("statusId", io.dossier.core.query.Condition.Op.EQ, "open");
        var other2 = new io.dossier.core.query.Condition.Compare("ownerId", io.dossier.core.query.Condition.Op.EQ, "7");
        filters.put(tenant, client.id(), "vacancy", byType);
        filters.put(tenant, client.id(), "candidate", other2);
        settings.set(tenant, ACCESS, false);
        settings.set(other, ACCESS, true);

        var found = filters.clientByKey(hash, ACCESS).orElseThrow();
        assertThat(found.client()).isEqualTo(client);
        assertThat(found.client().userId()).isEqualTo(user.id());
        assertThat(found.filters()).containsExactly(java.util.Map.entry("candidate", other2), java.util.Map.entry("vacancy", byType));
        assertThat(found.tenantSettingText()).isEqualTo("false");

        // another tenant's client: its own tenant's setting, none of the first client's filters
        var plain = filters.clientByKey(bareHash, ACCESS).orElseThrow();
        assertThat(plain.client()).isEqualTo(bare);
        assertThat(plain.client().userId()).isNull();
        assertThat(plain.filters()).isEmpty();
        assertThat(plain.tenantSettingText()).isEqualTo("true");
        assertThat(filters.clientByKey("h" + UUID.randomUUID(), ACCESS)).isEmpty();
        identities.revokeClient(tenant, client.id());
        assertThat(filters.clientByKey(hash, ACCESS).orElseThrow().client().revoked()).isTrue();
        assertThat(filters.clientByKey(hash, DOWNLOAD).orElseThrow().tenantSettingText()).isNull();
    }
}
