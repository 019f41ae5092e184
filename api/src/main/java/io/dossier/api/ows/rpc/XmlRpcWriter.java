package io.dossier.api.ows.rpc;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Writes XML-RPC documents as UTF-8 text, by hand: the format is small and the escaping must be exact. */
final class XmlRpcWriter {

    private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HH:mm:ss");
    /** Far beyond any real response; reached only by a value that contains itself. */
    private static final int MAX_DEPTH = 256;

    private final Writer out;

    private XmlRpcWriter(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }

    static void writeResponse(OutputStream stream, Object value) throws IOException {
        var w = new XmlRpcWriter(stream);
        w.out.write(PROLOG + "<methodResponse><params><param>");
        w.value(value, 0);
        w.out.write("</param></params></methodResponse>");
        w.out.flush();
    }

    static void writeFault(OutputStream stream, int code, String message) throws IOException {
        var w = new XmlRpcWriter(stream);
        w.out.write(PROLOG + "<methodResponse><fault><value><struct>"
                + "<member><name>faultCode</name><value><int>" + code + "</int></value></member>"
                + "<member><name>faultString</name><value><string>");
        w.text(message == null ? "" : message);
        w.out.write("</string></value></member></struct></value></fault></methodResponse>");
        w.out.flush();
    }

    static void writeCall(OutputStream stream, String method, List<?> params) throws IOException {
        var w = new XmlRpcWriter(stream);
        w.out.write(PROLOG + "<methodCall><methodName>");
        w.text(method);
        w.out.write("</methodName><params>");
        for (var param : params) {
            w.out.write("<param>");
            w.value(param, 0);
            w.out.write("</param>");
        }
        w.out.write("</params></methodCall>");
        w.out.flush();
    }

    /** Writes {@code <value>…</value>}. */
    private void value(Object value, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("a value nested deeper than " + MAX_DEPTH + " (does it contain itself?)");
        }
        out.write("<value>");
        switch (value) {
            case null -> out.write("<nil/>");
            case String s -> scalar("string", s);
            case Boolean b -> scalar("boolean", b ? "1" : "0");
            case Integer i -> scalar("int", i.toString());
            case Short s -> scalar("int", s.toString());
            case Byte b -> scalar("int", b.toString());
            case Long l -> scalar(l == l.intValue() ? "int" : "i8", l.toString());
            case BigInteger i -> scalar(i.bitLength() < 32 ? "int" : i.bitLength() < 64 ? "i8" : "string", i.toString());
            case Double d -> decimal(d, () -> BigDecimal.valueOf(d));
            case Float f -> decimal(f, () -> new BigDecimal(f.toString())); // 0.1f is 0.1, not 0.100000001…
            case BigDecimal d -> scalar("double", d.toPlainString());
            case Instant i -> dateTime(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
            case OffsetDateTime t -> dateTime(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
            case ZonedDateTime t -> dateTime(t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime());
            case LocalDateTime t -> dateTime(t);
            case LocalDate d -> dateTime(d.atStartOfDay());
            // getTime, not toInstant: java.sql.Date refuses toInstant
            case Date d -> dateTime(LocalDateTime.ofInstant(Instant.ofEpochMilli(d.getTime()), ZoneOffset.UTC));
            case byte[] bytes -> scalar("base64", Base64.getEncoder().encodeToString(bytes));
            case Map<?, ?> map -> struct(map, depth);
            case Iterable<?> items -> {
                out.write("<array><data>");
                for (var item : items) {
                    value(item, depth + 1);
                }
                out.write("</data></array>");
            }
            case Object array when array.getClass().isArray() -> {
                out.write("<array><data>");
                for (int i = 0, n = Array.getLength(array); i < n; i++) {
                    value(Array.get(array, i), depth + 1);
                }
                out.write("</data></array>");
            }
            default -> scalar("string", value.toString());
        }
        out.write("</value>");
    }

    private void struct(Map<?, ?> map, int depth) throws IOException {
        out.write("<struct>");
        for (var entry : map.entrySet()) {
            out.write("<member><name>");
            text(String.valueOf(entry.getKey()));
            out.write("</name>");
            value(entry.getValue(), depth + 1);
            out.write("</member>");
        }
        out.write("</struct>");
    }

    /** XML-RPC has no NaN or infinity; those are written as strings rather than as a broken double. */
    private void decimal(double value, Supplier<BigDecimal> exact) throws IOException {
        if (Double.isFinite(value)) {
            var digits = exact.get().stripTrailingZeros();
            // plain notation with a decimal point: 1e20 → 100000000000000000000.0, 1e-7 → 0.0000001
            scalar("double", digits.scale() <= 0 ? digits.toPlainString() + ".0" : digits.toPlainString());
        } else {
            scalar("string", Double.toString(value));
        }
    }

    private void dateTime(LocalDateTime time) throws IOException {
        scalar("dateTime.iso8601", DATE_TIME.format(time));
    }

    private void scalar(String type, String text) throws IOException {
        out.write('<');
        out.write(type);
        out.write('>');
        text(text);
        out.write("</");
        out.write(type);
        out.write('>');
    }

    /**
     * Escapes character data. Characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE,
     * U+FFFF, unpaired surrogates) become U+FFFD; a carriage return is written as a reference so
     * that a parser's line-end normalisation keeps it.
     */
    private void text(String text) throws IOException {
        var n = text.length();
        for (var i = 0; i < n; i++) {
            var c = text.charAt(i);
            switch (c) {
                case '<' -> out.write("&lt;");
                case '>' -> out.write("&gt;");
                case '&' -> out.write("&amp;");
                case '\r' -> out.write("&#13;");
                case '\t', '\n' -> out.write(c);
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.write(c);
                        out.write(text.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
                        out.write('\uFFFD');
                    } else {
                        out.write(c);
                    }
                }
            }
        }
    }
}
