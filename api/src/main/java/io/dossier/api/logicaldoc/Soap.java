package io.dossier.api.logicaldoc;

import io.dossier.core.Failure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** SOAP 1.1 as LogicalDOC's CXF endpoints write it: responses, and faults. */
final class Soap {

    static final String ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String WS_NS = "http://ws.logicaldoc.com";
    static final String CONTENT_TYPE = "text/xml;charset=UTF-8";

    private Soap() {
    }

    /** The body's first element: the call (its local name is the operation); {@code INVALID} when the message is no SOAP envelope. */
    static XmlNode call(XmlNode envelope) {
        if (!envelope.name().equals("Envelope")) {
            throw Failure.invalid("the message is not a SOAP envelope (its root is " + envelope.name() + ")");
        }
        var body = envelope.child("Body").orElseThrow(() -> Failure.invalid("the SOAP envelope has no Body"));
        var call = body.first();
        if (call == null) {
            throw Failure.invalid("the SOAP Body is empty");
        }
        return call;
    }

    static byte[] response(String operation, MetadataMethods.Result result) {
        // a list (of templates, say) is sized for a few KB an item, so that it is not copied while it grows
        var out = new StringBuilder(result.value() instanceof List<?> list ? 512 + 4096 * Math.min(list.size(), 10_000) : 512);
        out.append("<soap:Envelope xmlns:soap=\"").append(ENVELOPE_NS).append("\"><soap:Body><ns2:").append(operation)
                .append("Response xmlns:ns2=\"").append(WS_NS).append("\">");
        if (result.value() != null) {
            value(out, result.element(), result.value());
        }
        out.append("</ns2:").append(operation).append("Response></soap:Body></soap:Envelope>");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A list that keeps its XML once written, for parts of answers that do not change between calls
     * (a template's attributes at its version): written again, it is copied, not rendered.
     */
    static final class Rendered<T> extends java.util.AbstractList<T> {

        private record Written(String element, String xml) {
        }

        private final List<T> items;
        private volatile Written written;

        Rendered(List<T> items) {
            this.items = List.copyOf(items);
        }

        @Override
        public T get(int index) {
            return items.get(index);
        }

        @Override
        public int size() {
            return items.size();
        }

        String xml(String as) {
            var held = written;
            if (held == null || !held.element().equals(as)) {
                var out = new StringBuilder(256 * items.size() + 16);
                items.forEach(item -> value(out, as, item));
                held = new Written(as, out.toString());
                written = held;
            }
            return held.xml();
        }
    }

    @SuppressWarnings("unchecked")
    private static void value(StringBuilder out, String element, Object value) {
        switch (value) {
            case null -> { }
            case Rendered<?> rendered -> out.append(rendered.xml(element));
            case List<?> list -> list.forEach(item -> value(out, element, item));
            case Map<?, ?> map -> {
                out.append('<').append(element).append('>');
                ((Map<String, Object>) map).forEach((name, property) -> value(out, name, property));
                out.append("</").append(element).append('>');
            }
            default -> {
                out.append('<').append(element).append('>');
                escape(out, value.toString());
                out.append("</").append(element).append('>');
            }
        }
    }

    /** Whether the failure is the client's: bad input, a message too large. */
    static boolean isClientFault(Failure failure) {
        return failure.kind() == Failure.Kind.INVALID || failure.kind() == Failure.Kind.TOO_LARGE;
    }

    /** A fault: {@code soap:Client} for bad input, {@code soap:Server} otherwise. */
    static byte[] fault(Failure failure) {
        var client = isClientFault(failure);
        var out = new StringBuilder(256);
        out.append("<soap:Envelope xmlns:soap=\"").append(ENVELOPE_NS).append("\"><soap:Body><soap:Fault><faultcode>")
                .append(client ? "soap:Client" : "soap:Server").append("</faultcode><faultstring>");
        escape(out, failure.getMessage() == null ? failure.kind().name() : failure.getMessage());
        out.append("</faultstring></soap:Fault></soap:Body></soap:Envelope>");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Escapes text for XML 1.0, dropping the characters it cannot hold. */
    static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        if (c == 0xFFFE || c == 0xFFFF) {
                            continue;
                        }
                        out.append(c);
                    }
                }
            }
        }
    }

    static String escape(String text) {
        var out = new StringBuilder(text.length() + 16);
        escape(out, text);
        return out.toString();
    }
}
