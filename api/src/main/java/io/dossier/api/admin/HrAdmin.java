package io.dossier.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.api.http.Downloads;
import io.dossier.api.http.Json;
import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.content.ContentService;
import io.dossier.core.document.DocumentService;
import io.dossier.core.paging.Page;
import io.dossier.core.record.CollectionEdit;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import io.dossier.core.tenant.Tenant;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The administrator's side of HR data (which the Youforce dialect only reads): the bulk import of
 * records in the {@code hr} namespace, and each person's personal file.
 *
 * <p>The import reads JSON lines, one record a line, streamed:
 * {@code {"type":"hr.Person","op":"upsert","record":{"id":"100028",…}}} or
 * {@code {"type":"hr.Person","op":"delete","id":"100028"}}. Collections are JSON arrays. Each line
 * is checked against its definition; lines are applied a chunk at a time, new records written together,
 * each change on the change feed in its transaction; a bad line is reported with its number and the rest are still applied.
 */
public final class HrAdmin {

    /** The most errors an import reports; it goes on applying lines after that, and counts them. */
    static final int MAX_REPORTED = 1000;
    /** A line longer than this is refused without being read into memory whole. */
    static final int MAX_LINE_CHARS = 1_000_000;

    private final RecordService records;
    private final Schemas schemas;
    private final DocumentService documents;
    private final ContentService content;

    public HrAdmin(RecordService records, Schemas schemas, DocumentService documents, ContentService content) {
        this.records = records;
        this.schemas = schemas;
        this.documents = documents;
        this.content = content;
    }

    public record Result(long applied, long failed, List<Map<String, Object>> errors) {
    }

    /** Lines applied in one transaction (one commit, a few statements a table) while none of them fails but on its own. */
    static final int CHUNK_LINES = 1000;
    static final int CHUNK_CHARS = 4_000_000;

    /**
     * Imports the lines of {@code in} into the tenant. Lines are applied a chunk at a time in one
     * transaction ({@link RecordService#writeAll}: new records written together), a bad line
     * reported and the others applied; when the chunk as a whole fails (a write that was refused
     * after it began, or a record added meanwhile by another writer), it is rolled back and applied
     * again line by line, so that every good line is applied and every bad one reported.
     */
    public Result importLines(Tenant tenant, InputStream in) throws IOException {
        var caller = new Caller.Internal(tenant.id(), "HR import");
        var reader = new Lines(in);
        long number = 0;
        var counts = new long[2];
        var errors = new ArrayList<Map<String, Object>>();
        var chunk = new ArrayList<String>();
        long chunkStart = 1;
        int chars = 0;
        String line;
        while ((line = reader.next()) != null) {
            number++;
            if (chunk.isEmpty()) {
                chunkStart = number;
            }
            chunk.add(line);
            chars += line.length();
            if (chunk.size() >= CHUNK_LINES || chars >= CHUNK_CHARS) {
                applyChunk(caller, chunk, chunkStart, counts, errors);
                chunk.clear();
                chars = 0;
            }
        }
        if (!chunk.isEmpty()) {
            applyChunk(caller, chunk, chunkStart, counts, errors);
        }
        return new Result(counts[0], counts[1], errors);
    }

    private void applyChunk(Caller caller, List<String> chunk, long firstNumber, long[] counts, List<Map<String, Object>> errors) {
        // each line read as a write, or refused as it is; the writes applied together
        var refused = new Failure[chunk.size()];
        var writes = new ArrayList<RecordService.BulkWrite>();
        var lineOf = new ArrayList<Integer>();
        for (int i = 0; i < chunk.size(); i++) {
            var line = chunk.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                writes.add(write(line));
                lineOf.add(i);
            } catch (Failure failure) {
                refused[i] = failure;
            }
        }
        List<Failure> results;
        try {
            results = records.writeAll(caller, writes, null);
        } catch (Failure failure) {
            // the chunk rolled back as a whole: apply it line by line to find which line fails
            applyLineByLine(caller, chunk, firstNumber, counts, errors);
            return;
        }
        for (int w = 0; w < results.size(); w++) {
            refused[lineOf.get(w)] = results.get(w);
        }
        for (int i = 0; i < chunk.size(); i++) {
            if (refused[i] != null) {
                report(firstNumber + i, refused[i], counts, errors);
            } else if (!chunk.get(i).isBlank()) {
                counts[0]++;
            }
        }
    }

    private void applyLineByLine(Caller caller, List<String> chunk, long firstNumber, long[] counts, List<Map<String, Object>> errors) {
        long number = firstNumber;
        for (var line : chunk) {
            if (!line.isBlank()) {
                try {
                    apply(caller, write(line));
                    counts[0]++;
                } catch (Failure failure) {
                    report(number, failure, counts, errors);
                }
            }
            number++;
        }
    }

    private static void report(long number, Failure failure, long[] counts, List<Map<String, Object>> errors) {
        counts[1]++;
        if (errors.size() < MAX_REPORTED) {
            var error = new LinkedHashMap<String, Object>();
            error.put("line", number);
            error.put("message", failure.getMessage());
            errors.add(error);
        }
    }

    /**
     * Lines of the request, read a buffer at a time (a character at a time was a sixth of the
     * import's CPU). A line over the limit is refused as a whole: it comes back as the marker of a
     * line too long (a NUL character, then "too long"), and is read past without being held.
     */
    static final class Lines {
        private final java.io.Reader in;
        private final char[] buffer = new char[64 * 1024];
        private int position;
        private int end;

        Lines(InputStream in) {
            this.in = new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        /** The next line without its line break, or null at the end. */
        String next() throws IOException {
            StringBuilder out = null;
            boolean any = false;
            boolean tooLong = false;
            while (true) {
                if (position == end) {
                    int read = in.read(buffer, 0, buffer.length);
                    if (read <= 0) {
                        position = end = 0;
                        if (!any) {
                            return null;
                        }
                        break;
                    }
                    position = 0;
                    end = read;
                }
                any = true;
                int start = position;
                while (position < end && buffer[position] != '\n') {
                    position++;
                }
                boolean ended = position < end;
                int length = position - start;
                if (ended) {
                    position++;   // past the line break
                }
                if (out == null && ended && length <= MAX_LINE_CHARS) {
                    return strip(new String(buffer, start, length));
                }
                if (out == null) {
                    out = new StringBuilder();
                }
                if (!tooLong) {
                    int room = MAX_LINE_CHARS - out.length();
                    out.append(buffer, start, Math.min(room, length));
                    tooLong = length > room;
                }
                if (ended) {
                    break;
                }
            }
            return tooLong ? "\u0000too long" : strip(out.toString());
        }

        private static String strip(String line) {
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
    }

    /** One write, in its own transaction. */
    private void apply(Caller caller, RecordService.BulkWrite write) {
        switch (write) {
            case RecordService.Upsert upsert -> records.upsert(caller, upsert.type(), upsert.uid(), upsert.input(), null);
            case RecordService.Delete delete -> records.delete(caller, delete.type(), delete.uid());
        }
    }

    /** The write a line asks for; INVALID when it is not one. */
    private RecordService.BulkWrite write(String line) {
        if (line.startsWith("\u0000")) {
            throw Failure.invalid("the line is longer than " + MAX_LINE_CHARS + " characters");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw Failure.invalid("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw Failure.invalid("a line is a JSON object with type, op and record");
        }
        var type = type(text(node, "type"));
        var op = node.hasNonNull("op") ? text(node, "op") : "upsert";
        return switch (op) {
            case "upsert" -> {
                var record = node.get("record");
                if (record == null || !record.isObject()) {
                    throw Failure.invalid("an upsert needs a record object");
                }
                var input = input(type, record);
                var uid = input.remove("id");
                input.remove("uid");
                if (uid == null && record.hasNonNull("uid")) {
                    uid = record.get("uid").asText();
                }
                yield new RecordService.Upsert(type, uid == null ? null : String.valueOf(uid), input);
            }
            case "delete" -> {
                var id = node.hasNonNull("id") ? node.get("id").asText()
                        : node.path("record").hasNonNull("id") ? node.path("record").get("id").asText() : null;
                if (id == null) {
                    throw Failure.invalid("a delete needs an id");
                }
                yield new RecordService.Delete(type, id);
            }
            default -> throw Failure.invalid("op must be upsert or delete, got '" + op + "'");
        };
    }

    private RecordType type(String name) {
        if (name == null || !name.startsWith("hr.")) {
            throw Failure.invalid("type must be an HR record type (hr.Person, hr.Employment, …), got '" + name + "'");
        }
        return schemas.type(name).orElseThrow(() -> Failure.invalid("no record type " + name));
    }

    private static String text(JsonNode node, String field) {
        var value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The record's fields as core takes them: scalars as they are, objects as maps, arrays as collections keyed 1, 2, … */
    private static Map<String, Object> input(RecordType type, JsonNode record) {
        var out = new LinkedHashMap<String, Object>();
        for (var entry : record.properties()) {
            var key = entry.getKey();
            var value = entry.getValue();
            if (key.equals("personId") && type.qualifiedName().equals("hr.Person")) {
                continue;   // the same as the id
            }
            if (value.isArray()) {
                var items = new LinkedHashMap<String, Map<String, Object>>();
                int index = 1;
                for (var item : value) {
                    if (!item.isObject()) {
                        throw Failure.invalid("items of " + key + " must be objects");
                    }
                    items.put(Integer.toString(index++), plainObject(item));
                }
                out.put(key, CollectionEdit.of(items));
            } else {
                out.put(key, plain(value));
            }
        }
        return out;
    }

    private static Map<String, Object> plainObject(JsonNode node) {
        var out = new LinkedHashMap<String, Object>();
        node.properties().forEach(e -> out.put(e.getKey(), plain(e.getValue())));
        return out;
    }

    private static Object plain(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isObject()) {
            return plainObject(value);
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isArray()) {
            throw Failure.invalid("a list is only allowed for a collection field");
        }
        return value.asText();
    }

    // ---- personal files

    /** A person's personal file: its documents, newest first, with their folder. */
    public List<Map<String, Object>> personalFile(Tenant tenant, String personCode) {
        var caller = new Caller.Internal(tenant.id(), "admin");
        var type = schemas.type("hr.Person").orElseThrow();
        if (!records.exists(caller, type, personCode)) {
            throw Failure.notFound("no person " + personCode);
        }
        var out = new ArrayList<Map<String, Object>>();
        for (var listed : documents.page(caller, type.storageName(), personCode, Page.first(1000))) {
            var document = listed.document();
            var item = new LinkedHashMap<String, Object>();
            item.put("id", document.id());
            item.put("folder", document.attributes().get("folder"));
            item.put("description", document.subject());
            item.put("validFrom", document.attributes().get("validFrom"));
            item.put("ticketId", document.attributes().get("ticket"));
            item.put("fileName", document.file().name());
            item.put("size", document.file().size());
            item.put("sha256", document.file().sha256());
            item.put("createdAt", document.createdAt().toString());
            out.add(item);
        }
        return out;
    }

    /** Sends a document of a personal file. */
    public void download(Context ctx, Tenant tenant, long documentId) throws IOException {
        var caller = new Caller.Internal(tenant.id(), "admin");
        var document = documents.document(caller, documentId);
        if (!document.containerType().equals(schemas.type("hr.Person").orElseThrow().storageName())) {
            throw Failure.notFound("no personal file document " + documentId);
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + document.file().name().replace("\"", "") + "\"");
        Downloads.send(ctx, content, document.file(), c -> c.status(416));
    }
}
