package io.dossier.core.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every record type Dossier knows, read from the definition files listed in
 * {@code definitions/index.txt} on the classpath, by qualified name ({@code recruiting.Candidate}).
 * A new record type is a new file there. Two types may share a name in different namespaces, but
 * never a qualified name or a storage name.
 */
public final class Schemas {

    private final Map<String, RecordType> byName;
    private final Map<String, RecordType> byStorage;

    public Schemas(List<RecordType> types) {
        var names = new LinkedHashMap<String, RecordType>();
        var storage = new HashMap<String, RecordType>();
        for (var type : types) {
            if (names.put(type.qualifiedName(), type) != null) {
                throw new IllegalArgumentException("two definitions for " + type.qualifiedName());
            }
            var other = storage.put(type.storageName().toLowerCase(Locale.ROOT), type);
            if (other != null) {
                throw new IllegalArgumentException(other.qualifiedName() + " and " + type.qualifiedName()
                        + " are both stored as " + type.storageName() + "; give one of them another 'storage' line");
            }
        }
        this.byName = names;
        this.byStorage = storage;
        for (var type : types) {
            for (var field : DefinitionParser.all(type.fields())) {
                if (field.refers() != null && !names.containsKey(field.refers())) {
                    throw new IllegalArgumentException(type.qualifiedName() + "." + field.path() + " refers to " + field.refers()
                            + ", which is not defined");
                }
            }
        }
    }

    /**
     * The definitions shipped with Dossier, read once per process (they never change): a server start
     * reads them on its main thread while another opens the database.
     */
    public static Schemas builtIn() {
        return BuiltIn.SCHEMAS;
    }

    private static final class BuiltIn {
        static final Schemas SCHEMAS = read();

        private static Schemas read() {
            var index = Schemas.read("definitions/index.txt");
            var types = index.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(file -> DefinitionParser.parse(file, Schemas.read("definitions/" + file)))
                    .toList();
            return new Schemas(types);
        }
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

    /** The type named {@code namespace.Name} ({@code recruiting.Candidate}). */
    public Optional<RecordType> type(String qualifiedName) {
        return Optional.ofNullable(byName.get(qualifiedName));
    }

    /** The type whose data is stored under {@code storageName} (e.g. a document's container type). */
    public Optional<RecordType> byStorageName(String storageName) {
        return storageName == null ? Optional.empty() : Optional.ofNullable(byStorage.get(storageName.toLowerCase(Locale.ROOT)));
    }

    public List<RecordType> all() {
        return List.copyOf(byName.values());
    }
}
