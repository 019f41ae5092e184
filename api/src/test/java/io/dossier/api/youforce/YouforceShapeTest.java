package io.dossier.api.youforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dossier.api.http.Json;
import io.dossier.core.access.Caller;
import io.dossier.core.access.RecordFilters;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The walk writes each record straight to the response ({@link YouforceApi#writeShaped}); the wire
 * must stay byte for byte what the map {@link YouforceApi#shape} builds gives through the mapper.
 */
class YouforceShapeTest {

    private static final Schemas SCHEMAS = Schemas.builtIn();

    @Test
    void everyHrTypeIsWrittenAsItsShapedMap() throws Exception {
        var random = new Random(13);
        for (var resource : HrResource.ALL) {
            var type = SCHEMAS.type(resource.recordType()).orElseThrow();
            assertTrue(YouforceApi.writesDirectly(type), type.qualifiedName());
            for (int i = 0; i < 100; i++) {
                var fields = fields(type, random);
                for (var scopes : List.of(Set.of(YouforceApi.GET_BASIC), Set.of(YouforceApi.GET_BASIC, YouforceApi.PRIVATE_CONTACT))) {
                    var caller = new Caller.AsClient(1, 2, "c", null, scopes, RecordFilters.NONE);
                    var expected = new String(Json.WITH_NULLS.writeValueAsBytes(YouforceApi.shape(caller, type, fields)), StandardCharsets.UTF_8);
                    var out = new ByteArrayOutputStream();
                    try (var g = Json.WITH_NULLS.createGenerator(out)) {
                        YouforceApi.writeShaped(g, caller.hasScope(YouforceApi.PRIVATE_CONTACT), type, fields);
                    }
                    assertEquals(expected, out.toString(StandardCharsets.UTF_8), type.qualifiedName() + " " + fields);
                }
            }
        }
    }

    /** Fields as RecordService lists them: collections keyed by item key (in and out of order), some missing, some null. */
    private static Map<String, Object> fields(RecordType type, Random random) {
        var out = new LinkedHashMap<String, Object>();
        out.put("uid", "P" + random.nextInt(100000));
        for (var field : type.fields()) {
            if (field.name().equals("uid") || random.nextInt(10) == 0) {
                continue;   // not asked for
            }
            if (field.isCollection()) {
                var items = new LinkedHashMap<String, Object>();
                var keys = List.of(List.of("1", "2", "3"), List.of("2", "10"), List.of("10", "2"), List.of("b", "a", "1"), List.of("01", "1"),
                        List.of("1234567890", "99"), List.<String>of(), List.of("x-1", "x_2")).get(random.nextInt(8));
                for (var key : keys) {
                    var item = new LinkedHashMap<String, Object>();
                    for (var child : field.children()) {
                        if (random.nextInt(6) > 0) {
                            item.put(child.name(), child.name().equals("type")
                                    ? List.of("Home", "home", "Business", "work", "Mobile", "Private", "Postal").get(random.nextInt(7))
                                    : scalar(random));
                        }
                    }
                    items.put(key, item);
                }
                out.put(field.name(), items);
            } else if (field.isContainer()) {
                var nested = new LinkedHashMap<String, Object>();
                field.children().forEach(child -> nested.put(child.name(), scalar(random)));
                out.put(field.name(), nested);
            } else {
                out.put(field.name(), scalar(random));
            }
        }
        if (random.nextInt(4) > 0) {
            return out;
        }
        // fields in another order than the definition's, as a caller asking for some could list them
        var keys = new java.util.ArrayList<>(out.keySet());
        java.util.Collections.shuffle(keys, random);
        var shuffled = new LinkedHashMap<String, Object>();
        keys.forEach(key -> shuffled.put(key, out.get(key)));
        return shuffled;
    }

    private static Object scalar(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> null;
            case 1 -> LocalDate.of(random.nextBoolean() ? 1950 + random.nextInt(60) : random.nextInt(-20, 12000), 1 + random.nextInt(12),
                    1 + random.nextInt(28));
            case 2 -> Instant.ofEpochMilli(random.nextLong(4_000_000_000_000L)).plusNanos(random.nextInt(1000));
            case 3 -> random.nextBoolean();
            case 4 -> random.nextLong();
            case 5 -> random.nextDouble() * 1000;
            case 6 -> "ünïcødé \"quoted\" \\ \u2028 <tag> " + random.nextInt();
            case 7 -> Map.of("k", random.nextInt());
            default -> "text" + random.nextInt(1000);
        };
    }
}
