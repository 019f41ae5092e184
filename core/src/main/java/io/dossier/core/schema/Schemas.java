package io.dossier.core.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every record type Dossier knows, read from the definition files listed in
 * {@code definitions/index.txt} on the classpath. A new data service is a new file there.
 */
public final class Schemas {

    private final Map<String, RecordType> byService;

    public Schemas(List<RecordType> types) {
        var map = new LinkedHashMap<String, RecordType>();
        for (var type : types) {
            if (map.put(type.service(), type) != null) {
                throw new IllegalArgumentException("two definitions for " + type.service());
            }
        }
        this.byService = map;
    }

    /** The definitions shipped with Dossier. */
    public static Schemas builtIn() {
        var index = read("definitions/index.txt");
        var types = index.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(file -> DefinitionParser.parse(file, read("definitions/" + file)))
                .toList();
        return new Schemas(types);
    }

    /** One definition file outside the index (e.g. {@code definitions/fileapi/delivery.def}). */
    public static RecordType definition(String resource) {
        return DefinitionParser.parse(resource, read(resource));
    }

    private static String read(String resource) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The type served by data service {@code service} ({@code CandidateService}). */
    public Optional<RecordType> byService(String service) {
        return Optional.ofNullable(byService.get(service));
    }

    public Optional<RecordType> byName(String name) {
        return byService.values().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public List<RecordType> all() {
        return List.copyOf(byService.values());
    }
}
