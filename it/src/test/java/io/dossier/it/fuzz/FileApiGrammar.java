package io.dossier.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * File API requests: token forms (current and legacy endpoint, charsets, wrong bodies), subscriber
 * and publisher listings with {@code $filter} and {@code $orderBy} from an expression grammar and
 * paging values, ranged downloads, deletes, multipart and resumable publications.
 */
final class FileApiGrammar {

    static final List<String> PREFIXES = List.of("/fileapi/v1.0/files", "/fileapi/v1.0/files", "/fileapi/mft/v1.0/files",
            "/fileapi/fileapi/v1.0/files", "/fileapi//v1.0/files", "/fileapi/v1.0/files/", "/fileapi/V1.0/Files");
    static final List<String> FIELDS = List.of("uploadDate", "businessType", "status", "fileName", "FileName", "BUSINESSTYPE", "fileSize", "nope", "");
    static final List<String> OPS = List.of("eq", "ne", "gt", "lt", "ge", "le", "EQ", "like", "");

    private final Fixture fixture;

    FileApiGrammar(Fixture fixture) {
        this.fixture = fixture;
    }

    FuzzRequest token(Gen gen) {
        var legacy = gen.chance(0.3);
        var form = new ArrayList<String>();
        var subscriber = gen.pick(fixture.subscribers);
        var id = gen.chance(0.5) ? fixture.publisherId : subscriber[0];
        var secret = id.equals(fixture.publisherId) ? fixture.publisherSecret : subscriber[1];
        if (gen.chance(0.9)) {
            form.add("grant_type=" + (gen.chance(0.85) ? "client_credentials" : Fixture.enc(gen.pick("password", "", "CLIENT_CREDENTIALS", gen.hostileString()))));
        }
        if (gen.chance(0.9)) {
            form.add("client_id=" + (gen.chance(0.8) ? Fixture.enc(id) : Fixture.enc(gen.hostileString())));
        }
        if (gen.chance(0.9)) {
            form.add("client_secret=" + (gen.chance(0.8) ? Fixture.enc(secret) : gen.pick("", "%", "%zz", "%e9", Fixture.enc(gen.hostileString()))));
        }
        if (!legacy && gen.chance(0.9)) {
            form.add("tenant_id=" + (gen.chance(0.8) ? fixture.tenant : Fixture.enc(gen.pick("", "nosuch", "DEMO", gen.hostileString()))));
        }
        if (gen.chance(0.1)) {
            form.add(gen.pick("client_id=second", "=", "&&&", "a", "scope=Get_Basic", "x=" + "y".repeat(gen.between(1000, 100_000))));
        }
        java.util.Collections.shuffle(form, new java.util.Random(gen.between(0, 1 << 30)));
        var body = String.join("&", form);
        var contentType = gen.pick("application/x-www-form-urlencoded", "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8",
                "application/x-www-form-urlencoded; charset=iso-8859-1", "application/x-www-form-urlencoded; charset=bogus", "application/json",
                "text/plain", "multipart/form-data; boundary=x", null);
        if (gen.chance(0.05)) {
            body = "--x\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n" + id + "\r\n--x--\r\n";
            contentType = "multipart/form-data; boundary=x";
        }
        var builder = new FuzzRequest.Builder("fileapi-token", gen.chance(0.95) ? "POST" : gen.pick("GET", "PUT"),
                legacy ? "/fileapi/authentication/token" : "/fileapi/connect/token");
        if (gen.chance(0.2)) {
            builder.header("Cache-Control", "no-cache");
        }
        return builder.body(contentType, body.getBytes(gen.chance(0.1) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8)).build();
    }

    private String bearer(Gen gen, boolean publisher) {
        if (gen.chance(0.9)) {
            return publisher ? fixture.publisherToken : gen.pick(fixture.subscriberTokens);
        }
        return gen.pick("", "nosuchtoken", "a.b.c", gen.hostileString().replace('\r', ' ').replace('\n', ' '));
    }

    private void tenantHeader(Gen gen, FuzzRequest.Builder builder) {
        if (gen.chance(0.15)) {
            builder.header(gen.pick("x-raet-tenant-id", "X-Raet-Tenant-Id"), gen.pick(fixture.tenant, "", "nosuch", "x".repeat(3000)));
        }
    }

    FuzzRequest list(Gen gen) {
        var query = new ArrayList<String>();
        var publisher = gen.chance(0.15);
        if (gen.chance(0.95)) {
            query.add("role=" + (publisher ? "publisher" : gen.chance(0.95) ? "subscriber" : gen.pick("", "Subscriber", "admin")));
        }
        if (gen.chance(0.5)) {
            query.add("pageIndex=" + paging(gen));
        }
        if (gen.chance(0.5)) {
            query.add("pageSize=" + paging(gen));
        }
        if (gen.chance(0.7)) {
            query.add("$filter=" + encodeLikeClients(gen, gen.chance(0.9) ? filter(gen, 0) : gen.hostileString()));
        }
        if (gen.chance(0.4)) {
            query.add(gen.pick("$orderBy=", "$orderby=") + encodeLikeClients(gen, orderBy(gen)));
        }
        java.util.Collections.shuffle(query, new java.util.Random(gen.between(0, 1 << 30)));
        var builder = new FuzzRequest.Builder("fileapi-list", "GET", gen.pick(PREFIXES) + "?" + String.join("&", query)).bearer(bearer(gen, publisher));
        tenantHeader(gen, builder);
        return builder.build();
    }

    /** Clients send filters unencoded except for spaces; some encode everything. */
    private static String encodeLikeClients(Gen gen, String value) {
        return gen.chance(0.5) ? value.replace(" ", "%20").replace("#", "%23").replace("&", "%26").replace("\r", "%0D").replace("\n", "%0A")
                : Fixture.enc(value);
    }

    private String paging(Gen gen) {
        return switch (gen.between(0, 5)) {
            case 0, 1 -> Integer.toString(gen.between(0, 5));
            case 2 -> Integer.toString(gen.between(1, 1001));
            case 3 -> gen.pick("-1", "0", "1000", "1001", "2147483647", "2147483648", "-2147483648", "99999999999999999999");
            case 4 -> gen.pick("", "abc", "1.5", "1e3", " 1", "0x10", "+1", "%00");
            default -> Integer.toString(gen.between(100_000, 100_000_000));
        };
    }

    /** A {@code $filter} expression from the File API's grammar, sometimes cut or spliced. */
    String filter(Gen gen, int depth) {
        var text = expression(gen, depth);
        if (gen.chance(0.1)) {
            var at = gen.between(0, text.length());
            text = switch (gen.between(0, 3)) {
                case 0 -> text.substring(0, at);
                case 1 -> text.substring(0, at) + gen.pick("(", ")", "'", " and ", " or ", ",", "''") + text.substring(at);
                case 2 -> "(".repeat(gen.between(50, 5000)) + text + ")".repeat(gen.between(0, 5000));
                default -> text + (" and " + text).repeat(gen.between(10, 300));
            };
        }
        return text;
    }

    private String expression(Gen gen, int depth) {
        if (depth < 4 && gen.chance(0.3)) {
            var left = expression(gen, depth + 1);
            var right = expression(gen, depth + 1);
            var joined = left + " " + gen.pick("and", "or", "AND", "Or", "xor", "") + " " + right;
            return gen.chance(0.4) ? "(" + joined + ")" : joined;
        }
        if (gen.chance(0.25)) {
            var call = gen.pick("startsWith", "endsWith", "contains", "startswith", "substringof", "nope") + "(" + gen.pick(FIELDS) + gen.pick(",", ", ", " ,") + literal(gen) + ")";
            return gen.chance(0.5) ? call + " eq " + gen.pick("true", "false", "1", "'x'") : call;
        }
        if (gen.chance(0.05)) {
            return gen.pick("not " + expression(gen, depth + 1), "true", "", "()", "eq", gen.pick(FIELDS));
        }
        return gen.pick(FIELDS) + " " + gen.pick(OPS) + " " + literal(gen);
    }

    private String literal(Gen gen) {
        return switch (gen.between(0, 8)) {
            case 0 -> gen.pick("'available'", "'downloaded'", "'deleted'", "'AVAILABLE'", "'nope'");
            case 1 -> Integer.toString(gen.pick(7100, 7101, 8003, 0, -1));
            case 2 -> gen.pick("2022-02-15T16:42:30.000Z", "2022-02-15", "2022-02-15T16:42:30Z", "2022-13-45T99:99:99Z", "'2022-02-15T16:42:30.000Z'", "0000-01-01T00:00:00Z");
            case 3 -> gen.pick("'fixture'", "'fixture-1.txt'", "'it''s'", "'%'", "'_'", "''", "'\\'");
            case 4 -> gen.pick("true", "false", "null");
            case 5 -> gen.pick("99999999999999999999", "1e400", "-9223372036854775809", "1.5", "0x1F");
            case 6 -> gen.pick("'unterminated", "unquoted", "'a'b'", "\"double\"");
            case 7 -> "'" + gen.hostileString().replace("'", "''") + "'";
            default -> "'" + "x".repeat(gen.between(100, 10_000)) + "'";
        };
    }

    private String orderBy(Gen gen) {
        var keys = new ArrayList<String>();
        for (int i = gen.between(0, 4); i > 0; i--) {
            keys.add(gen.pick(FIELDS) + gen.pick("", " asc", " desc", " DESC", " up", "  asc"));
        }
        return gen.chance(0.9) ? String.join(gen.pick(",", ", ", " , "), keys) : gen.hostileString();
    }

    FuzzRequest download(Gen gen) {
        var id = gen.chance(0.75) ? gen.pick(fixture.fileIds)
                : Fixture.enc(gen.pick("0", "-1", "abc", "99999999999999999999", "00000000-0000-0000-0000-000000000000", "..", gen.hostileString()));
        var role = gen.chance(0.9) ? "?role=subscriber" : gen.pick("", "?role=publisher", "?role=", "?role=x&role=subscriber");
        var builder = new FuzzRequest.Builder("fileapi-download", gen.chance(0.3) ? "HEAD" : "GET", gen.pick(PREFIXES) + "/" + id + role)
                .bearer(bearer(gen, gen.chance(0.1)));
        if (gen.chance(0.6)) {
            builder.header("Range", Ranges.range(gen));
        }
        if (gen.chance(0.3)) {
            builder.header("Accept", gen.pick("application/octet-stream", "*/*", "application/json", "text/html;q=0.1"));
        }
        tenantHeader(gen, builder);
        return builder.build();
    }

    FuzzRequest delete(Gen gen) {
        // Real ids rarely: a delete only hides a file from that subscriber, but it would empty the download pool.
        var id = gen.chance(0.05) ? gen.pick(fixture.fileIds) : Fixture.enc(gen.pick("0", "abc", "99999999999999999999", "", gen.hostileString()));
        return new FuzzRequest.Builder("fileapi-delete", "DELETE", gen.pick(PREFIXES) + "/" + id + (gen.chance(0.9) ? "?role=subscriber" : ""))
                .bearer(bearer(gen, gen.chance(0.2))).build();
    }

    FuzzRequest publish(Gen gen) {
        var resumable = gen.chance(0.3);
        if (resumable && gen.chance(0.5)) {
            return resume(gen);
        }
        var boundary = gen.chance(0.7) ? "related-" + gen.between(0, 1 << 30) : Multipart.boundary(gen);
        var metadata = new java.util.LinkedHashMap<String, Object>();
        if (gen.chance(0.9)) {
            metadata.put(gen.pick("name", "FileName", "fileName", "NAME"), gen.chance(0.7) ? "fuzz-" + gen.between(0, 99) + ".txt" : gen.anyValue(1));
        }
        if (gen.chance(0.9)) {
            metadata.put(gen.pick("businesstypeid", "BusinessTypeId", "businessTypeId"), gen.chance(0.7) ? gen.pick("7100", "7101", 7101, "8003") : gen.anyValue(1));
        }
        if (gen.chance(0.1)) {
            metadata.put(gen.pick("extra", "size", "uploadDate"), gen.anyValue(1));
        }
        var metadataText = Gen.json(metadata);
        if (gen.chance(0.15)) {
            metadataText = gen.breakJson(metadataText);
        }
        var parts = new ArrayList<Multipart.Part>();
        if (gen.chance(0.95)) {
            parts.add(Multipart.related(gen.pick("application/json", "application/json; charset=UTF-8", null, "text/plain"), metadataText.getBytes(StandardCharsets.UTF_8)));
        }
        if (gen.chance(0.9)) {
            parts.add(Multipart.related(gen.pick(null, null, "application/octet-stream", "text/plain"),
                    ("delivered by the fuzzer\n".repeat(gen.between(0, 2000))).getBytes(StandardCharsets.US_ASCII)));
        }
        if (gen.chance(0.05)) {
            parts.add(Multipart.related("application/octet-stream", new byte[10]));
        }
        var body = Multipart.formData(boundary, parts, gen.chance(0.85));
        if (gen.chance(0.3)) {
            body = Multipart.damage(gen, body, boundary);
        }
        var type = gen.chance(0.9) ? "multipart/related" : "multipart/form-data";
        var contentType = gen.chance(0.7) ? type + "; boundary=" + boundary : Multipart.contentType(gen, type, boundary);
        var uploadType = gen.chance(0.9) ? (resumable ? "resumable" : "multipart") : gen.pick("", "media", "RESUMABLE", "x");
        var builder = new FuzzRequest.Builder(resumable ? "fileapi-resumable" : "fileapi-publish", "POST", gen.pick(PREFIXES) + "?uploadType=" + uploadType)
                .bearer(bearer(gen, gen.chance(0.9))).body(contentType, body);
        tenantHeader(gen, builder);
        return builder.build();
    }

    private FuzzRequest resume(Gen gen) {
        var query = new ArrayList<String>();
        query.add("uploadType=" + (gen.chance(0.9) ? "resumable" : gen.pick("", "multipart")));
        if (gen.chance(0.9)) {
            query.add("uploadToken=" + (gen.chance(0.7) && fixture.uploadToken != null ? fixture.uploadToken : Fixture.enc(gen.pick("", "nosuch", gen.hostileString()))));
        }
        if (gen.chance(0.9)) {
            query.add("position=" + gen.pick("0", "1", "2", "1", "-1", "100000", "abc", "", "2147483648", "1.0"));
        }
        if (gen.chance(0.2)) {
            query.add("close=" + gen.pick("true", "false", "yes", ""));
        }
        var body = gen.chance(0.9) ? ("chunk " + gen.between(0, 3) + "\n").repeat(gen.between(0, 1000)).getBytes(StandardCharsets.US_ASCII) : new byte[0];
        return new FuzzRequest.Builder("fileapi-resumable", "PUT", gen.pick(PREFIXES) + "?" + String.join("&", query))
                .bearer(bearer(gen, gen.chance(0.9))).body(gen.pick("application/octet-stream", null, "text/plain"), body).build();
    }
}
