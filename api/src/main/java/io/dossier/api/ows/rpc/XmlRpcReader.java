package io.dossier.api.ows.rpc;

import static io.dossier.api.ows.rpc.XmlRpc.INVALID_PARAMS;
import static io.dossier.api.ows.rpc.XmlRpc.INVALID_REQUEST;
import static io.dossier.api.ows.rpc.XmlRpc.MAX_DEPTH;
import static io.dossier.api.ows.rpc.XmlRpc.MAX_VALUES;
import static io.dossier.api.ows.rpc.XmlRpc.PARSE_ERROR;
import static javax.xml.stream.XMLStreamConstants.CDATA;
import static javax.xml.stream.XMLStreamConstants.CHARACTERS;
import static javax.xml.stream.XMLStreamConstants.COMMENT;
import static javax.xml.stream.XMLStreamConstants.DTD;
import static javax.xml.stream.XMLStreamConstants.END_DOCUMENT;
import static javax.xml.stream.XMLStreamConstants.END_ELEMENT;
import static javax.xml.stream.XMLStreamConstants.ENTITY_REFERENCE;
import static javax.xml.stream.XMLStreamConstants.PROCESSING_INSTRUCTION;
import static javax.xml.stream.XMLStreamConstants.SPACE;
import static javax.xml.stream.XMLStreamConstants.START_ELEMENT;

import io.dossier.api.ows.rpc.XmlRpc.MalformedException;
import io.dossier.api.xml.SafeXmlReader;
import io.dossier.api.xml.XmlException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads one XML-RPC document with a pull parser, by recursive descent over values. Each instance
 * reads one document. Positions: a {@code read…} method is entered on its element's start tag and
 * returns on its end tag.
 */
final class XmlRpcReader {

    private static final Pattern METHOD_NAME = Pattern.compile("[A-Za-z0-9_.:/]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    /** {@code 19980717T14:08:55} or {@code 1998-07-17T14:08:55}, optional fraction and {@code Z}/offset. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "([0-9]{4})(-?)([0-9]{2})\\2([0-9]{2})T([0-9]{2})(:?)([0-9]{2})\\6([0-9]{2})"
                    + "(?:[.,]([0-9]{1,9}))?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?");

    /**
     * {@code <methodCall><params><param><value>} is four deep, each further value three more
     * ({@code <array><data><value>} or {@code <struct><member><value>}): the parser lets through
     * one value more than MAX_DEPTH, for readValue to refuse with a message that says why.
     */
    private static final int MAX_ELEMENT_DEPTH = 4 + 3 * MAX_DEPTH;

    private final XMLStreamReader xml;
    private int values;

    private XmlRpcReader(XMLStreamReader xml) {
        this.xml = xml;
    }

    static RpcCall readCall(InputStream in, long maxBytes) {
        return read(in, maxBytes, XmlRpcReader::call);
    }

    static RpcResponse readResponse(InputStream in, long maxBytes) {
        return read(in, maxBytes, XmlRpcReader::response);
    }

    private interface Body<T> {
        T read(XmlRpcReader reader) throws XMLStreamException;
    }

    /** Runs {@code body} over the hardened reader and turns every failure into a {@link MalformedException}. */
    private static <T> T read(InputStream in, long maxBytes, Body<T> body) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        SafeXmlReader document;
        try {
            document = SafeXmlReader.open(in, new SafeXmlReader.Limits(maxBytes, MAX_ELEMENT_DEPTH));
        } catch (XmlException refused) {
            throw new MalformedException(PARSE_ERROR, refused.getMessage(), refused);
        }
        try (document) {
            var reader = new XmlRpcReader(document.events());
            try {
                return body.read(reader);
            } catch (MalformedException refused) {
                if (refused.faultCode() != PARSE_ERROR) {
                    document.drain(); // XML that is not well-formed is a parse error, whatever else is wrong
                }
                throw refused;
            }
        } catch (MalformedException e) {
            throw e;
        } catch (XMLStreamException | RuntimeException e) {
            // RuntimeException: a parser may fail on hostile bytes with an unchecked exception of its own.
            var refused = document.explain(e);
            throw new MalformedException(PARSE_ERROR, refused.getMessage(), refused.getCause() == null ? refused : refused.getCause());
        }
    }

    // --- documents -------------------------------------------------------------------------

    private RpcCall call() throws XMLStreamException {
        expectStart("methodCall");
        expectStart("methodName");
        var method = textOnly().strip();
        if (!METHOD_NAME.matcher(method).matches()) {
            throw invalid(method.isEmpty() ? "the <methodName> is empty"
                    : "the <methodName> holds characters other than A-Z a-z 0-9 _ . : /");
        }
        var params = new ArrayList<Object>();
        if (nextTag("<params>") == START_ELEMENT) {
            requireStart("params");
            while (nextTag("<param>") == START_ELEMENT) {
                requireStart("param");
                expectStart("value");
                params.add(readValue(1));
                expectEnd("param");
            }
            expectEnd("methodCall");
        }
        expectEndOfDocument();
        return new RpcCall(method, params);
    }

    private RpcResponse response() throws XMLStreamException {
        expectStart("methodResponse");
        if (nextTag("<params> or <fault>") != START_ELEMENT) {
            throw invalid("a <methodResponse> needs <params> or <fault>");
        }
        RpcResponse response;
        if (is("params")) {
            expectStart("param");
            expectStart("value");
            response = new RpcResponse.Value(readValue(1));
            expectEnd("param");
            expectEnd("params");
        } else {
            requireStart("fault");
            expectStart("value");
            response = fault(readValue(1));
            expectEnd("fault");
        }
        expectEnd("methodResponse");
        expectEndOfDocument();
        return response;
    }

    private static RpcResponse.Fault fault(Object value) {
        if (value instanceof java.util.Map<?, ?> struct
                && struct.get("faultCode") instanceof Integer code
                && struct.get("faultString") instanceof String message) {
            return new RpcResponse.Fault(code, message);
        }
        throw invalid("a <fault> needs a struct with an int faultCode and a string faultString");
    }

    // --- values ----------------------------------------------------------------------------

    /** On {@code <value>}; returns on {@code </value>}. */
    private Object readValue(int depth) throws XMLStreamException {
        if (depth > MAX_DEPTH) {
            throw new MalformedException(PARSE_ERROR, "values are nested deeper than " + MAX_DEPTH);
        }
        if (++values > MAX_VALUES) {
            throw new MalformedException(PARSE_ERROR, "the document holds more than " + MAX_VALUES + " values");
        }
        var text = new StringBuilder();
        while (true) {
            switch (xml.next()) {
                case CHARACTERS, CDATA, SPACE -> text.append(xml.getText());
                case START_ELEMENT -> {
                    if (!isBlank(text)) {
                        throw invalid("text before <" + xml.getLocalName() + "> in a <value>");
                    }
                    var value = readTyped(depth);
                    if (nextTag("</value>") != END_ELEMENT) {
                        throw invalid("a <value> holds more than one value");
                    }
                    return value;
                }
                case END_ELEMENT -> {
                    return text.toString(); // a bare <value>text</value> is a string, whitespace and all
                }
                default -> skipOrRefuse();
            }
        }
    }

    /** On a type element such as {@code <int>}; returns on its end tag. */
    private Object readTyped(int depth) throws XMLStreamException {
        var type = xml.getLocalName();
        var namespace = xml.getNamespaceURI();
        // <nil/> and <i8> are extensions, often written with a prefix such as ex:
        if (type.equals("nil")) {
            if (!isBlank(textOnly())) {
                throw invalid("<nil/> must be empty");
            }
            return null;
        }
        if (type.equals("i8")) {
            return integer(textOnly(), "i8", true);
        }
        if (namespace != null && !namespace.isEmpty()) {
            throw invalid("unknown value type <" + qualifiedName() + ">");
        }
        return switch (type) {
            case "string" -> textOnly();
            case "int", "i4" -> integer(textOnly(), type, false);
            case "boolean" -> bool(textOnly());
            case "double" -> decimal(textOnly());
            case "dateTime.iso8601" -> dateTime(textOnly());
            case "base64" -> base64(textOnly());
            case "struct" -> readStruct(depth);
            case "array" -> readArray(depth);
            default -> throw invalid("unknown value type <" + type + ">");
        };
    }

    private LinkedHashMap<String, Object> readStruct(int depth) throws XMLStreamException {
        var struct = new LinkedHashMap<String, Object>();
        while (nextTag("<member>") == START_ELEMENT) {
            requireStart("member");
            String name = null;
            Object value = null;
            var hasValue = false;
            while (nextTag("<name> or <value>") == START_ELEMENT) {
                if (is("name") && name == null) {
                    name = textOnly();
                } else if (is("value") && !hasValue) {
                    value = readValue(depth + 1);
                    hasValue = true;
                } else {
                    throw invalid("a <member> holds one <name> and one <value>, not <" + qualifiedName() + ">");
                }
            }
            if (name == null || !hasValue) {
                throw invalid("a <member> needs a <name> and a <value>");
            }
            if (struct.containsKey(name)) {
                throw invalid("the <struct> has the member '" + name + "' twice");
            }
            struct.put(name, value);
        }
        return struct;
    }

    private ArrayList<Object> readArray(int depth) throws XMLStreamException {
        var array = new ArrayList<Object>();
        if (nextTag("<data>") == END_ELEMENT) {
            return array; // <array/>: lenient, an empty array
        }
        requireStart("data");
        while (nextTag("<value>") == START_ELEMENT) {
            requireStart("value");
            array.add(readValue(depth + 1));
        }
        expectEnd("array");
        return array;
    }

    // --- scalars ---------------------------------------------------------------------------

    private static Number integer(String text, String type, boolean wide) {
        var digits = text.strip();
        if (!INTEGER.matcher(digits).matches()) {
            throw badScalar(type, text);
        }
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            throw new MalformedException(INVALID_PARAMS, "<" + type + "> out of range: " + shorten(text));
        }
        if (!wide && value == (int) value) {
            return (int) value;
        }
        return value;
    }

    private static Boolean bool(String text) {
        return switch (text.strip()) {
            case "1" -> Boolean.TRUE;
            case "0" -> Boolean.FALSE;
            default -> throw badScalar("boolean", text);
        };
    }

    private static Double decimal(String text) {
        var digits = text.strip();
        if (!DECIMAL.matcher(digits).matches()) {
            throw badScalar("double", text);
        }
        var value = Double.parseDouble(digits);
        if (!Double.isFinite(value)) {
            throw new MalformedException(INVALID_PARAMS, "<double> out of range: " + shorten(text));
        }
        return value;
    }

    private static Object dateTime(String text) {
        var m = DATE_TIME.matcher(text.strip());
        if (!m.matches()) {
            throw badScalar("dateTime.iso8601", text);
        }
        try {
            var fraction = m.group(9) == null ? "" : m.group(9);
            var nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
            var local = LocalDateTime.of(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), Integer.parseInt(m.group(7)), Integer.parseInt(m.group(8)),
                    nanos);
            var offset = m.group(10);
            if (offset == null) {
                return local;
            }
            return local.atOffset(offset.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(offset));
        } catch (DateTimeException impossible) {
            throw badScalar("dateTime.iso8601", text);
        }
    }

    private static byte[] base64(String text) {
        var compact = new StringBuilder(text.length());
        for (var i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            if (!isXmlWhitespace(c)) {
                compact.append(c); // line breaks are allowed in base64 text; nothing else is skipped
            }
        }
        try {
            return Base64.getDecoder().decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw badScalar("base64", text);
        }
    }

    private static MalformedException badScalar(String type, String text) {
        return new MalformedException(INVALID_PARAMS, "not a valid <" + type + ">: '" + shorten(text) + "'");
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    // --- events ----------------------------------------------------------------------------

    /**
     * Moves to the next start tag, end tag or end of document, skipping comments, processing
     * instructions and whitespace. Other text is refused: {@code expected} names what belongs there.
     */
    private int nextTag(String expected) throws XMLStreamException {
        while (true) {
            var event = xml.next();
            switch (event) {
                case START_ELEMENT, END_ELEMENT, END_DOCUMENT -> {
                    return event;
                }
                case CHARACTERS, CDATA, SPACE -> {
                    if (!isBlank(xml.getText())) {
                        throw invalid("text where " + expected + " belongs: '" + shorten(xml.getText().strip()) + "'");
                    }
                }
                default -> skipOrRefuse();
            }
        }
    }

    /** The text of an element that may hold only text (and comments); returns on its end tag. */
    private String textOnly() throws XMLStreamException {
        var element = xml.getLocalName();
        var text = new StringBuilder();
        while (true) {
            switch (xml.next()) {
                case CHARACTERS, CDATA, SPACE -> text.append(xml.getText());
                case END_ELEMENT -> {
                    return text.toString();
                }
                case START_ELEMENT -> throw invalid("<" + element + "> may hold only text, not <" + qualifiedName() + ">");
                default -> skipOrRefuse();
            }
        }
    }

    /** For events between tags other than text: comments and processing instructions pass, the rest fails. */
    private void skipOrRefuse() {
        switch (xml.getEventType()) {
            case COMMENT, PROCESSING_INSTRUCTION -> { }
            case DTD -> throw new MalformedException(PARSE_ERROR, "a DOCTYPE is refused");
            case ENTITY_REFERENCE -> throw new MalformedException(PARSE_ERROR, "entity references are refused");
            case END_DOCUMENT -> throw new MalformedException(PARSE_ERROR, "the document ends too early");
            default -> { }
        }
    }

    private void expectStart(String name) throws XMLStreamException {
        var event = nextTag("<" + name + ">");
        if (event != START_ELEMENT) {
            throw invalid("expected <" + name + ">, found " + describe(event));
        }
        requireStart(name);
    }

    private void requireStart(String name) {
        if (!is(name)) {
            throw invalid("expected <" + name + ">, found <" + qualifiedName() + ">");
        }
    }

    /** A well-formed document closes what it opens, so any end tag here is {@code name}'s. */
    private void expectEnd(String name) throws XMLStreamException {
        var event = nextTag("</" + name + ">");
        if (event != END_ELEMENT) {
            throw invalid("expected </" + name + ">, found " + describe(event));
        }
    }

    private void expectEndOfDocument() throws XMLStreamException {
        var event = nextTag("the end of the document");
        if (event != END_DOCUMENT) {
            throw invalid("expected the end of the document, found " + describe(event));
        }
    }

    private boolean is(String name) {
        var namespace = xml.getNamespaceURI();
        return (namespace == null || namespace.isEmpty()) && xml.getLocalName().equals(name);
    }

    private String qualifiedName() {
        var prefix = xml.getPrefix();
        return prefix == null || prefix.isEmpty() ? xml.getLocalName() : prefix + ":" + xml.getLocalName();
    }

    private String describe(int event) {
        return switch (event) {
            case START_ELEMENT -> "<" + qualifiedName() + ">";
            case END_ELEMENT -> "</" + qualifiedName() + ">";
            default -> "the end of the document";
        };
    }

    private static MalformedException invalid(String message) {
        return new MalformedException(INVALID_REQUEST, message);
    }

    private static boolean isBlank(CharSequence text) {
        for (var i = 0; i < text.length(); i++) {
            if (!isXmlWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isXmlWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
