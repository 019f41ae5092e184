package io.dossier.core.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one record definition file. The format, line by line ({@code #} starts a comment):
 *
 * <pre>
 * record   recruiting.Candidate    the record type: namespace.Name
 * storage  Candidate               the name its data is stored under (optional; else namespace_Name)
 * readonly                         no add/update/delete (optional)
 * uids     numbered                whole-number uids counted per tenant (optional; else random)
 * description Candidates: people who may fill a vacancy.
 *
 * fields
 * uid            string     LFSB    comment="Unique id"
 * Person         container  LUIB
 *   firstName    string     LFSUIB  format="max 100 characters"
 * PhoneNumbers   collection LUID
 *   type         int        LUIH    options=phoneType
 *
 * options phoneType
 *   1 = Mobile
 * </pre>
 *
 * Header lines may also declare lists clients ask for often, one {@code index} line each
 * ({@code index statusId, Person.lastName, Person.firstName desc}: see {@link RecordType.ListIndex}).
 *
 * A field line is {@code name type flags [options=list] [refers=namespace.Name] [format="…"] [comment="…"]}
 * ({@code refers}: the field holds the uid of a record of that type, which must exist); two spaces of
 * indentation nest a field under the container or collection above it. Flags are the letters of
 * {@link FieldFlags}, or {@code -} for none. Definitions name no dialect's wire terms: a dialect
 * binds its own names (e.g. a data service) to {@code namespace.Name}.
 */
public final class DefinitionParser {

    private static final String NAMESPACE = "[a-z][a-z0-9]*";
    private static final String NAME = "[A-Za-z][A-Za-z0-9]*";

    private DefinitionParser() {
    }

    public static RecordType parse(String source, String text) {
        var header = new HashMap<String, String>();
        var optionLists = new LinkedHashMap<String, OptionList>();
        var roots = new ArrayList<Builder>();
        var listIndexes = new ArrayList<RecordType.ListIndex>();
        var indexLines = new ArrayList<String>();
        var stack = new ArrayList<Builder>();
        String section = "header";
        String currentOptions = null;
        Map<String, String> optionValues = null;
        var lineNumber = 0;
        for (var raw : text.split("\n", -1)) {
            lineNumber++;
            var line = stripComment(raw).stripTrailing();
            if (line.isBlank()) {
                continue;
            }
            var where = source + ":" + lineNumber + ": ";
            try {
                var indent = line.length() - line.stripLeading().length();
                var trimmed = line.strip();
                if (indent == 0) {
                    if (currentOptions != null) {
                        optionLists.put(currentOptions, new OptionList(currentOptions, optionValues));
                        currentOptions = null;
                    }
                    if (trimmed.equals("fields")) {
                        section = "fields";
                        continue;
                    }
                    if (trimmed.startsWith("options ")) {
                        section = "options";
                        currentOptions = trimmed.substring("options ".length()).strip();
                        optionValues = new LinkedHashMap<>();
                        continue;
                    }
                }
                switch (section) {
                    case "header" -> {
                        var space = trimmed.indexOf(' ');
                        if (space > 0 && trimmed.substring(0, space).equals("index")) {
                            listIndexes.add(listIndex(trimmed.substring(space + 1)));
                            indexLines.add(where);
                            continue;
                        }
                        header.put(space < 0 ? trimmed : trimmed.substring(0, space), space < 0 ? "" : trimmed.substring(space + 1).strip());
                    }
                    case "fields" -> {
                        if (indent % 2 != 0) {
                            throw new IllegalArgumentException("indent fields by two spaces per level");
                        }
                        var depth = indent / 2;
                        if (depth > stack.size()) {
                            throw new IllegalArgumentException("indented under nothing");
                        }
                        while (stack.size() > depth) {
                            stack.removeLast();
                        }
                        var parent = stack.isEmpty() ? null : stack.getLast();
                        if (parent != null && parent.type.scalar()) {
                            throw new IllegalArgumentException("only containers and collections hold fields");
                        }
                        var field = fieldLine(trimmed, parent == null ? "" : parent.path + ".");
                        if (parent == null) {
                            roots.add(field);
                        } else {
                            parent.children.add(field);
                        }
                        stack.add(field);
                    }
                    case "options" -> {
                        var equals = trimmed.indexOf('=');
                        if (equals < 0) {
                            throw new IllegalArgumentException("an option line is 'id = label'");
                        }
                        optionValues.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
                    }
                    default -> throw new IllegalStateException(section);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
        if (currentOptions != null) {
            optionLists.put(currentOptions, new OptionList(currentOptions, optionValues));
        }
        var qualified = require(header, "record", source);
        var dot = qualified.indexOf('.');
        if (dot < 0 || !qualified.substring(0, dot).matches(NAMESPACE) || !qualified.substring(dot + 1).matches(NAME)) {
            throw new IllegalArgumentException(source + ": record must be namespace.Name (e.g. recruiting.Candidate), got '" + qualified + "'");
        }
        var namespace = qualified.substring(0, dot);
        var name = qualified.substring(dot + 1);
        var storage = header.get("storage");
        if (storage != null && !storage.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(source + ": storage must be a name of letters, digits and _, got '" + storage + "'");
        }
        var fields = roots.stream().map(Builder::build).toList();
        for (var key : header.keySet()) {
            if (!List.of("record", "storage", "readonly", "uids", "description", "mirror", "visibleWith").contains(key)) {
                throw new IllegalArgumentException(source + ": unknown header line '" + key + "'");
            }
        }
        var uids = header.get("uids");
        if (uids != null && !uids.equals("numbered")) {
            throw new IllegalArgumentException(source + ": uids can only be 'numbered', got '" + uids + "'");
        }
        RecordType.VisibleWith visibleWith = null;
        var visible = header.get("visibleWith");
        if (visible != null) {
            var m = java.util.regex.Pattern.compile("(" + NAMESPACE + "\\." + NAME + ")\\s+(" + NAME + ")=(" + NAME + ")").matcher(visible);
            if (!m.matches()) {
                throw new IllegalArgumentException(source + ": visibleWith is 'namespace.Name field=relatedField', got '" + visible + "'");
            }
            visibleWith = new RecordType.VisibleWith(m.group(1), m.group(2), m.group(3));
        }
        var type = new RecordType(namespace, name, storage != null ? storage : RecordType.defaultStorageName(namespace, name),
                header.containsKey("readonly"), uids != null, header.getOrDefault("description", ""), fields, optionLists, visibleWith, listIndexes);
        check(type, source);
        for (int i = 0; i < listIndexes.size(); i++) {
            checkIndex(type, listIndexes.get(i), indexLines.get(i));
        }
        return type;
    }

    /** {@code statusId, Person.lastName desc}: field paths, each optionally {@code asc} or {@code desc}. */
    private static RecordType.ListIndex listIndex(String text) {
        var keys = new ArrayList<RecordType.ListIndex.Key>();
        for (var part : text.split(",", -1)) {
            var words = part.strip().split("\\s+");
            if (words[0].isEmpty() || words.length > 2 || words.length == 2 && !words[1].equals("asc") && !words[1].equals("desc")) {
                throw new IllegalArgumentException("an index line is 'index field [desc], field [desc], …', got '" + text + "'");
            }
            keys.add(new RecordType.ListIndex.Key(words[0], words.length == 2 && words[1].equals("desc")));
        }
        return new RecordType.ListIndex(keys);
    }

    /** Each field of an index is a filterable or sortable scalar of the record's own row, once. */
    private static void checkIndex(RecordType type, RecordType.ListIndex index, String where) {
        var seen = new java.util.HashSet<String>();
        for (var key : index.keys()) {
            var field = type.field(key.path()).orElseThrow(() -> new IllegalArgumentException(where + "index names unknown field " + key.path()));
            if (!type.rowFields().contains(field) || field.path().equals("uid") || field.flags().translatable()) {
                throw new IllegalArgumentException(where + "index field " + key.path()
                        + " is not a single value of the record's own row (not the uid, a container, a collection or a translatable field)");
            }
            if (!field.flags().filterable() && !field.flags().sortable()) {
                throw new IllegalArgumentException(where + "index field " + key.path() + " is neither filterable (F) nor sortable (S)");
            }
            if (!seen.add(key.path())) {
                throw new IllegalArgumentException(where + "index names " + key.path() + " twice");
            }
        }
    }

    private static void check(RecordType type, String source) {
        if (type.field("uid").isEmpty()) {
            throw new IllegalArgumentException(source + ": every record type declares a 'uid' field");
        }
        for (var field : all(type.fields())) {
            if (field.flags().hasOptions() && field.optionList() == null) {
                throw new IllegalArgumentException(source + ": field " + field.path() + " has options but names no options=list");
            }
            if (field.optionList() != null && !field.optionList().equals(OptionList.USERS)
                    && !type.optionLists().containsKey(field.optionList())) {
                throw new IllegalArgumentException(source + ": field " + field.path() + " names unknown option list " + field.optionList());
            }
            if (field.refers() != null && (field.type() != FieldType.STRING || !field.refers().matches(NAMESPACE + "\\." + NAME))) {
                throw new IllegalArgumentException(source + ": field " + field.path() + " refers to a record type by namespace.Name and must be a string");
            }
            if (field.flags().searchable() && field.type() != FieldType.STRING && field.type() != FieldType.TEXT) {
                throw new IllegalArgumentException(source + ": field " + field.path() + " is searchable (X) but not a string or text");
            }
            if (!field.type().scalar() && field.children().isEmpty()) {
                throw new IllegalArgumentException(source + ": " + field.type().wireName() + " " + field.path() + " has no fields");
            }
        }
    }

    static List<FieldDef> all(List<FieldDef> fields) {
        var out = new ArrayList<FieldDef>();
        for (var field : fields) {
            out.add(field);
            out.addAll(all(field.children()));
        }
        return out;
    }

    private static String require(Map<String, String> header, String key, String source) {
        var value = header.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(source + ": the header needs '" + key + "'");
        }
        return value;
    }

    private static String stripComment(String line) {
        var inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            var c = line.charAt(i);
            if (c == '"') {
                inQuotes = !inQuotes;
            } else if (c == '#' && !inQuotes) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static Builder fieldLine(String line, String prefix) {
        var tokens = tokens(line);
        if (tokens.size() < 3) {
            throw new IllegalArgumentException("a field line is 'name type flags [key=value …]'");
        }
        var builder = new Builder();
        builder.name = tokens.get(0);
        builder.path = prefix + builder.name;
        builder.type = FieldType.fromWireName(tokens.get(1))
                .orElseThrow(() -> new IllegalArgumentException("unknown type '" + tokens.get(1) + "'"));
        builder.flags = FieldFlags.parse(tokens.get(2));
        for (var token : tokens.subList(3, tokens.size())) {
            var equals = token.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("expected key=value, got '" + token + "'");
            }
            var key = token.substring(0, equals);
            var value = unquote(token.substring(equals + 1));
            switch (key) {
                case "options" -> builder.optionList = value;
                case "refers" -> builder.refers = value;
                case "format" -> builder.format = value;
                case "comment" -> builder.comment = value;
                default -> throw new IllegalArgumentException("unknown key '" + key + "'");
            }
        }
        return builder;
    }

    private static List<String> tokens(String line) {
        var out = new ArrayList<String>();
        var current = new StringBuilder();
        var inQuotes = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                inQuotes = !inQuotes;
                current.append(c);
            } else if (Character.isWhitespace(c) && !inQuotes) {
                if (!current.isEmpty()) {
                    out.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (inQuotes) {
            throw new IllegalArgumentException("unclosed quote");
        }
        if (!current.isEmpty()) {
            out.add(current.toString());
        }
        return out;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static final class Builder {
        String name;
        String path;
        FieldType type;
        FieldFlags flags;
        String optionList;
        String refers;
        String format = "";
        String comment = "";
        final List<Builder> children = new ArrayList<>();

        FieldDef build() {
            return new FieldDef(name, path, type, flags, optionList, refers, format, comment, children.stream().map(Builder::build).toList());
        }
    }
}
