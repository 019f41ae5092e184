package io.dossier.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.query.Query;
import io.dossier.core.record.RecordChanges;
import io.dossier.core.record.RecordRepository;
import io.dossier.core.record.RecordRow;
import io.dossier.core.record.RecordService;
import io.dossier.core.record.RowPage;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo data generator, run against {@link RecordService} over an in-memory store: every record
 * it writes passes the service's checks against the definitions.
 */
class DemoRecordsTest {

    static final long TENANT = 7;
    static final List<Long> USERS = List.of(11L, 12L, 13L);
    static final LocalDate TODAY = LocalDate.of(2025, 3, 14);
    static final Schemas SCHEMAS = Schemas.builtIn();
    static MemoryRecords store;

    @BeforeAll
    static void seedOnce() {
        store = seed(USERS, List.of("en", "nl", "de", "fr"));
    }

    static MemoryRecords seed(List<Long> users, List<String> languages) {
        var memory = new MemoryRecords();
        var service = new RecordService(memory, tenant -> {
            var options = new LinkedHashMap<String, String>();
            USERS.forEach(id -> options.put(Long.toString(id), "User " + id));
            return options;
        }, null, java.util.function.Supplier::get, Clock.fixed(Instant.parse("2025-03-14T09:00:00Z"), ZoneOffset.UTC), NO_FEED, SCHEMAS, null,
                java.time.Duration.ZERO);
        DemoRecords.seed(service, SCHEMAS, TENANT, users, languages, TODAY);
        return memory;
    }

    @Test
    void seedsTheAgreedNumbersOfRecords() {
        assertThat(store.rows("recruiting.Candidate")).hasSize(300);
        assertThat(store.rows("crm.Relation")).hasSize(60);
        assertThat(store.rows("crm.RelationContact")).hasSize(120);
        assertThat(store.rows("recruiting.Vacancy")).hasSize(200);
        assertThat(store.rows("documents.DocumentType")).hasSize(4);
        assertThat(store.rows("recruiting.Task")).isEmpty();
        assertThat(store.tenants).containsOnly(TENANT);
    }

    @Test
    void everyRelationHasTwoContactsAndVacanciesPointAtCustomersAndTheirContacts() {
        var relations = store.rows("crm.Relation");
        var contacts = store.rows("crm.RelationContact");
        var contactsByRelation = contacts.values().stream()
                .collect(Collectors.groupingBy(c -> (String) c.values.get("relationUid"), Collectors.counting()));
        assertThat(contactsByRelation.keySet()).isEqualTo(relations.keySet());
        assertThat(contactsByRelation.values()).containsOnly(2L);
        for (var vacancy : store.rows("recruiting.Vacancy").values()) {
            var relation = relations.get((String) vacancy.values.get("relationUid"));
            assertThat(relation).isNotNull();
            assertThat(relation.values.get("statusId")).isEqualTo(2L);
            var contact = contacts.get((String) vacancy.values.get("relationContactUid"));
            assertThat(contact.values.get("relationUid")).isEqualTo(vacancy.values.get("relationUid"));
        }
        var names = relations.values().stream().map(r -> r.values.get("name")).toList();
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void vacanciesHaveTheirTextsInEveryLanguage() {
        for (var vacancy : store.rows("recruiting.Vacancy").values()) {
            assertThat(vacancy.translations.keySet()).containsExactlyInAnyOrder("en", "nl", "de", "fr");
            for (var texts : vacancy.translations.values()) {
                assertThat(texts.keySet()).containsExactlyInAnyOrder("title", "summary", "description", "requirements", "offer");
                assertThat(texts.values()).allSatisfy(text -> assertThat((String) text).isNotBlank().doesNotContain("{"));
            }
            assertThat((String) vacancy.translations.get("de").get("summary")).contains("(m/w/d)");
            assertThat(vacancy.translations.values()).allSatisfy(texts -> assertThat(texts.values())
                    .noneSatisfy(text -> assertThat((String) text).contains("..")));
            assertThat((String) vacancy.translations.get("fr").get("description")).doesNotContainPattern("que [AEIOUÉaeioué]");
            if (Boolean.TRUE.equals(vacancy.values.get("published"))) {
                assertThat((LocalDate) vacancy.values.get("publishedTo")).isAfter(TODAY);
            }
            assertThat(vacancy.translations.get("en").get("description")).isNotEqualTo(vacancy.translations.get("nl").get("description"));
        }
        var java = store.rows("recruiting.Vacancy").values().stream()
                .filter(v -> "Java developer".equals(v.translations.get("en").get("title"))).toList();
        assertThat(java).isNotEmpty();
        for (var vacancy : java) {
            assertThat(vacancy.translations.get("nl").get("title")).isEqualTo("Java-ontwikkelaar");
            assertThat(vacancy.translations.get("de").get("title")).isEqualTo("Java-Entwickler");
            assertThat(vacancy.translations.get("fr").get("title")).isEqualTo("Développeur Java");
        }
        var titles = store.rows("recruiting.Vacancy").values().stream().map(v -> v.translations.get("en").get("title")).distinct().count();
        assertThat(titles).isGreaterThan(10);
    }

    @Test
    void vacanciesReadBackInEachLanguageThroughTheService() {
        var service = new RecordService(store, tenant -> Map.of(), null, java.util.function.Supplier::get, Clock.systemUTC(), NO_FEED, SCHEMAS, null,
                java.time.Duration.ZERO);
        var caller = new io.dossier.core.access.Caller.Internal(TENANT, "test");
        var vacancy = SCHEMAS.type("recruiting.Vacancy").orElseThrow();
        var uid = store.rows("recruiting.Vacancy").keySet().iterator().next();
        var english = service.detail(caller, vacancy, uid, Set.of("title", "location", "Skills"), "en");
        var french = service.detail(caller, vacancy, uid, Set.of("title"), "fr");
        assertThat(english.get("title")).isNotEqualTo(null);
        assertThat(french.get("title")).isNotNull();
        assertThat(((Map<?, ?>) english.get("location")).get("city")).isNotNull();
        assertThat(((Map<?, ?>) english.get("Skills")).containsKey("1")).isTrue();
    }

    @Test
    void candidatesAreVariedAndComplete() {
        var candidates = store.rows("recruiting.Candidate").values();
        var owners = new HashMap<Object, Integer>();
        var statuses = new HashMap<Object, Integer>();
        var countries = new HashMap<Object, Integer>();
        for (var candidate : candidates) {
            var values = candidate.values;
            assertThat((String) values.get("Person.lastName")).isNotBlank();
            assertThat((String) values.get("Person.firstName")).isNotBlank();
            assertThat((String) values.get("Person.emailPrimary")).contains("@");
            assertThat(values.get("Person.birthdate")).isInstanceOf(LocalDate.class);
            assertThat(values.get("salaryExpectation")).isInstanceOf(Double.class);
            assertThat(candidate.collections.get("Person.PhoneNumbers")).hasSizeBetween(1, 3);
            assertThat(candidate.collections.get("Person.Emails")).isNotEmpty();
            owners.merge(values.get("userId"), 1, Integer::sum);
            statuses.merge(values.get("statusId"), 1, Integer::sum);
            countries.merge(values.get("Person.AddressPrimary.countryCode"), 1, Integer::sum);
        }
        assertThat(owners.keySet()).containsExactlyInAnyOrder(11L, 12L, 13L);
        assertThat(statuses).hasSizeGreaterThanOrEqualTo(6);
        assertThat(countries.keySet()).contains("NL", "BE", "DE", "FR", "GB");
        var emails = candidates.stream().map(c -> c.values.get("Person.emailPrimary")).toList();
        assertThat(emails).doesNotHaveDuplicates();
        var phoneCounts = candidates.stream().map(c -> c.collections.get("Person.PhoneNumbers").size()).distinct().toList();
        assertThat(phoneCounts).containsExactlyInAnyOrder(1, 2, 3);
        var lastNames = candidates.stream().map(c -> c.values.get("Person.lastName")).distinct().count();
        assertThat(lastNames).isGreaterThan(60);
        assertThat(candidates).anySatisfy(c -> assertThat(c.values.get("Person.infix")).isIn("van", "de", "van der", "van den"));
        assertThat(candidates.stream().map(c -> c.values.get("Person.languageCode")).distinct())
                .containsExactlyInAnyOrder("nl", "de", "fr", "en");
    }

    @Test
    void documentTypesAreForEveryEntityAndOnlyOtherIsForNotes() {
        var types = store.rows("documents.DocumentType").values().stream().map(r -> r.values).toList();
        assertThat(types).extracting(v -> v.get("name")).containsExactly("CV", "Motivation letter", "Contract", "Other");
        for (var type : types) {
            for (var flag : List.of("forDocuments", "forCandidates", "forCustomers", "forCustomerContacts", "forVacancies", "forTasks",
                    "forSales", "forProjects")) {
                assertThat(type.get(flag)).as(type.get("name") + " " + flag).isEqualTo(true);
            }
            assertThat(type.get("forNotes")).isEqualTo(type.get("name").equals("Other"));
        }
    }

    @Test
    void theSameSeedGivesTheSameData() {
        var again = seed(USERS, List.of("en", "nl", "de", "fr"));
        assertThat(again.normalized()).isEqualTo(store.normalized());
    }

    @Test
    void writesOnlyTheTenantsLanguagesAndStartsWithTheFirst() {
        var memory = seed(USERS, List.of("nl", "es", "en"));
        for (var vacancy : memory.rows("recruiting.Vacancy").values()) {
            assertThat(vacancy.translations.keySet()).containsExactlyInAnyOrder("nl", "en");
            assertThat(vacancy.addedIn).isEqualTo("nl");
        }
        var none = seed(USERS, List.of("es"));
        assertThat(none.rows("recruiting.Vacancy").values()).allSatisfy(v -> assertThat(v.translations.keySet()).containsExactly("en"));
    }

    @Test
    void worksWithoutUsers() {
        var memory = seed(List.of(), List.of("en"));
        assertThat(memory.rows("recruiting.Candidate")).hasSize(300);
        assertThat(memory.rows("recruiting.Candidate").values()).allSatisfy(c -> assertThat(c.values).doesNotContainKey("userId"));
    }

    @Test
    void moneyIsWrittenAsEachLanguageDoes() {
        assertThat(DemoRecords_money("en", 3800, false)).isEqualTo("€3,800");
        assertThat(DemoRecords_money("nl", 3800, false)).isEqualTo("€ 3.800");
        assertThat(DemoRecords_money("de", 15.5, true)).isEqualTo("15,50 €");
        assertThat(DemoRecords_money("fr", 12500, false)).isEqualTo("12 500 €");
        assertThat(DemoRecords.ascii("Müller-O'Brien Ève")).isEqualTo("muellerobrieneve");
    }

    private static String DemoRecords_money(String lang, double amount, boolean cents) {
        try {
            var generator = Class.forName("io.dossier.server.demo.DemoRecords$Generator");
            var method = generator.getDeclaredMethod("money", String.class, double.class, boolean.class, boolean.class);
            method.setAccessible(true);
            return (String) method.invoke(null, lang, amount, cents, false);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // ---- a tiny in-memory store: enough to run the generator and read records back

    /** A change feed that keeps nothing: the generator's output is what these tests look at. */
    static final io.dossier.core.change.ChangeFeed NO_FEED = new io.dossier.core.change.ChangeFeed(
            new io.dossier.core.change.ChangeRepository() {
                @Override
                public long append(long tenantId, String entityType, String entityId, io.dossier.core.change.Change.Operation operation,
                                   long version, Instant at) {
                    return 0;
                }

                @Override
                public List<io.dossier.core.change.Change> read(long tenantId, Set<String> entityTypes, long afterTransaction,
                                                                long afterPosition, Instant changedAfter, Instant changedUntil, int limit) {
                    return List.of();
                }

                @Override
                public int collectTombstones(Instant before, int limit) {
                    return 0;
                }
            },
            java.util.function.Supplier::get,
            new io.dossier.core.paging.Cursor(() -> new byte[32]), Clock.systemUTC(), java.time.Duration.ofDays(30));

    static final class Stored {
        final String uid;
        final String addedIn;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> translations = new LinkedHashMap<>();
        final Map<String, Map<String, Map<String, Object>>> collections = new LinkedHashMap<>();
        long version = 1;

        Stored(String uid, String addedIn) {
            this.uid = uid;
            this.addedIn = addedIn;
        }
    }

    static final class MemoryRecords implements RecordRepository {
        static final java.util.regex.Pattern UID = java.util.regex.Pattern.compile("\\b[0-9a-f]{32}\\b");
        final Map<String, Map<String, Stored>> byService = new LinkedHashMap<>();
        final List<Long> tenants = new ArrayList<>();

        Map<String, Stored> rows(String service) {
            return byService.getOrDefault(service, Map.of());
        }

        @Override
        public void prepare(List<RecordType> types) {
        }

        @Override
        public void insert(long tenantId, RecordType type, RecordRow row) {
            tenants.add(tenantId);
            var language = row.translations().keySet().stream().findFirst().orElse(null);
            var stored = new Stored(row.uid(), language);
            stored.values.putAll(row.values());
            row.translations().forEach((lang, values) -> stored.translations.put(lang, new LinkedHashMap<>(values)));
            row.collections().forEach((path, items) -> {
                var copy = new LinkedHashMap<String, Map<String, Object>>();
                items.forEach((key, item) -> copy.put(key, new LinkedHashMap<>(item)));
                stored.collections.put(path, copy);
            });
            byService.computeIfAbsent(type.qualifiedName(), k -> new LinkedHashMap<>()).put(row.uid(), stored);
        }

        @Override
        public Optional<RecordRow> find(long tenantId, RecordType type, String uid, String language, Set<String> fields) {
            var stored = rows(type.qualifiedName()).get(uid);
            if (stored == null) {
                return Optional.empty();
            }
            var values = new LinkedHashMap<>(stored.values);
            values.putAll(stored.translations.getOrDefault(language, Map.of()));
            return Optional.of(new RecordRow(uid, values, Map.of(), stored.collections));
        }

        @Override
        public RowPage search(long tenantId, RecordType type, Query query) {
            throw new UnsupportedOperationException("not needed by the generator");
        }

        @Override
        public java.util.OptionalLong update(long tenantId, RecordType type, String uid, RecordChanges changes) {
            var stored = rows(type.qualifiedName()).get(uid);
            if (stored == null) {
                return java.util.OptionalLong.empty();
            }
            stored.values.putAll(changes.values());
            if (!changes.translated().isEmpty()) {
                stored.translations.computeIfAbsent(changes.language(), k -> new LinkedHashMap<>()).putAll(changes.translated());
            }
            changes.collections().forEach((path, change) -> {
                var items = stored.collections.computeIfAbsent(path, k -> new LinkedHashMap<>());
                change.deletes().forEach(items::remove);
                change.upserts().forEach((key, item) -> items.computeIfAbsent(key, k -> new LinkedHashMap<>()).putAll(item));
            });
            return java.util.OptionalLong.of(++stored.version);
        }

        @Override
        public java.util.OptionalLong delete(long tenantId, RecordType type, String uid) {
            var removed = byService.getOrDefault(type.qualifiedName(), new HashMap<>()).remove(uid);
            return removed == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(removed.version);
        }

        @Override
        public java.util.OptionalLong increment(long tenantId, RecordType type, String uid, String path) {
            throw new UnsupportedOperationException("the demo seed counts nothing");
        }

        @Override
        public boolean exists(long tenantId, RecordType type, String uid) {
            return rows(type.qualifiedName()).containsKey(uid);
        }

        @Override
        public Map<String, Long> versions(long tenantId, RecordType type, java.util.Collection<String> uids) {
            var out = new HashMap<String, Long>();
            uids.forEach(uid -> java.util.Optional.ofNullable(rows(type.qualifiedName()).get(uid)).ifPresent(s -> out.put(uid, s.version)));
            return out;
        }

        @Override
        public long highestNumberedUid(long tenantId, RecordType type) {
            return rows(type.qualifiedName()).keySet().stream().filter(uid -> uid.matches("[0-9]{1,18}")).mapToLong(Long::parseLong).max().orElse(0);
        }

        /** Everything stored, with each record's random uid replaced by its position, so two runs compare. */
        List<String> normalized() {
            var positions = new HashMap<String, String>();
            byService.forEach((service, rows) -> {
                var i = 0;
                for (var uid : rows.keySet()) {
                    positions.put(uid, service + "#" + i++);
                }
            });
            var out = new ArrayList<String>();
            byService.forEach((service, rows) -> rows.values().forEach(stored -> {
                var text = service + " " + stored.values + " " + stored.translations + " " + stored.collections;
                out.add(UID.matcher(text).replaceAll(m -> positions.getOrDefault(m.group(), m.group())));
            }));
            return out;
        }
    }
}
