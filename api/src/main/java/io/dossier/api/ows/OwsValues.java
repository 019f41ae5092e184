package io.dossier.api.ows;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shapes core values for the OWS wire, the same for JSON-RPC and XML-RPC: dates as OTYS writes them. */
final class OwsValues {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private OwsValues() {
    }

    static Object wire(Object value) {
        return switch (value) {
            case null -> null;
            case LocalDate date -> date.toString();
            case Instant instant -> DATE_TIME.format(instant);
            case Map<?, ?> map -> {
                var out = new LinkedHashMap<String, Object>();
                map.forEach((k, v) -> out.put(String.valueOf(k), wire(v)));
                yield out;
            }
            case List<?> list -> {
                var out = new ArrayList<Object>(list.size());
                list.forEach(v -> out.add(wire(v)));
                yield out;
            }
            default -> value;
        };
    }
}
