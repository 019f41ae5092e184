package io.dossier.api.ows.rpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The XML-RPC codec of the OWS dialect, on the JDK's StAX only.
 *
 * <p>Values read become plain Java objects: {@code <string>} and a bare {@code <value>text</value>}
 * → {@link String}; {@code <int>}/{@code <i4>} → {@link Integer} ({@link Long} beyond the int
 * range); {@code <i8>} → {@link Long}; {@code <boolean>} → {@link Boolean}; {@code <double>} →
 * {@link Double}; {@code <dateTime.iso8601>} → {@link java.time.LocalDateTime}, or
 * {@link java.time.OffsetDateTime} when the text carries {@code Z} or an offset; {@code <base64>}
 * → {@code byte[]}; {@code <struct>} → {@link java.util.LinkedHashMap} in document order;
 * {@code <array>} → {@link java.util.ArrayList}; {@code <nil/>} (any namespace) → {@code null}.
 *
 * <p>Reading is hostile-input safe: no DTD of any kind, no entities beyond the five predefined
 * ones and character references, at most {@code maxBytes} bytes read, values nested at most
 * {@link #MAX_DEPTH} deep and at most {@link #MAX_VALUES} values per document. Every refusal is a
 * {@link MalformedException} carrying a JSON-RPC-like fault code; nothing else escapes. Bytes are
 * decoded by their byte-order mark or the encoding the XML declaration names, UTF-8 otherwise.
 *
 * <p>Writing maps values the other way; see {@link #writeResponse}.
 */
public final class XmlRpc {

    /** Not well-formed XML, a DTD, or a document over a size, depth or value-count limit. */
    public static final int PARSE_ERROR = -32700;
    /** Well-formed XML that is not an XML-RPC document (wrong element, unknown value type). */
    public static final int INVALID_REQUEST = -32600;
    /** A typed scalar whose text is not of its type ({@code <int>abc</int>}, {@code <boolean>2</boolean>}). */
    public static final int INVALID_PARAMS = -32602;

    /** The deepest nesting of values (a top-level parameter is depth 1). */
    public static final int MAX_DEPTH = 64;
    /** The most values (scalars, structs and arrays) in one document. */
    public static final int MAX_VALUES = 100_000;

    private XmlRpc() {}

    /** A document the codec refuses to read, with the fault code to answer it with. */
    public static final class MalformedException extends RuntimeException {
        private final int faultCode;

        public MalformedException(int faultCode, String message) {
            super(message);
            this.faultCode = faultCode;
        }

        MalformedException(int faultCode, String message, Throwable cause) {
            super(message, cause);
            this.faultCode = faultCode;
        }

        public int faultCode() {
            return faultCode;
        }
    }

    /**
     * Reads a {@code <methodCall>} from {@code in}, reading at most {@code maxBytes} bytes.
     * The stream is not closed.
     *
     * @throws MalformedException for any document that is not a valid, acceptable method call
     */
    public static RpcCall parseCall(InputStream in, long maxBytes) {
        return XmlRpcReader.readCall(in, maxBytes);
    }

    /**
     * Reads a {@code <methodResponse>} (a value or a fault) from {@code in}, reading at most
     * {@code maxBytes} bytes. For clients and tests; the same limits as {@link #parseCall} apply.
     *
     * @throws MalformedException for any document that is not a valid method response
     */
    public static RpcResponse parseResponse(InputStream in, long maxBytes) {
        return XmlRpcReader.readResponse(in, maxBytes);
    }

    /**
     * Writes a {@code <methodResponse>} carrying {@code value} as UTF-8, and flushes (does not close)
     * {@code out}. Mapping: {@link CharSequence}, {@link Character}, enums and any other object
     * (by {@code toString}) → {@code <string>}; Integer, Short, Byte and Long/BigInteger within the
     * int range → {@code <int>}; Long/BigInteger beyond it → {@code <i8>} (or {@code <string>} beyond
     * the long range); Boolean → {@code <boolean>}; Double, Float, BigDecimal → {@code <double>} in
     * plain decimal notation (NaN and infinities, which XML-RPC cannot carry, → {@code <string>});
     * Instant, OffsetDateTime, ZonedDateTime, {@link java.util.Date} (converted to UTC),
     * LocalDateTime and LocalDate (as they are) → {@code <dateTime.iso8601>} as
     * {@code yyyyMMdd'T'HH:mm:ss}; byte[] → {@code <base64>}; Map → {@code <struct>} (keys by
     * {@code toString}, iteration order kept); Iterable and arrays → {@code <array>}; null →
     * {@code <nil/>}. Characters XML 1.0 cannot carry are written as U+FFFD.
     *
     * @throws IllegalArgumentException if {@code value} nests deeper than 256 (a cycle); part of the
     *     document may have been written by then ({@link #responseBytes} writes all or nothing)
     */
    public static void writeResponse(OutputStream out, Object value) throws IOException {
        XmlRpcWriter.writeResponse(out, value);
    }

    /** Writes a {@code <methodResponse><fault>} with {@code faultCode} and {@code faultString}. */
    public static void writeFault(OutputStream out, int code, String message) throws IOException {
        XmlRpcWriter.writeFault(out, code, message);
    }

    /** Writes a {@code <methodCall>}, mapping parameters as {@link #writeResponse} does. For clients and tests. */
    public static void writeCall(OutputStream out, String method, List<?> params) throws IOException {
        XmlRpcWriter.writeCall(out, method, params);
    }

    /** {@link #writeResponse} into a byte array. */
    public static byte[] responseBytes(Object value) {
        var bytes = new ByteArrayOutputStream();
        try {
            writeResponse(bytes, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** {@link #writeFault} into a byte array. */
    public static byte[] faultBytes(int code, String message) {
        var bytes = new ByteArrayOutputStream();
        try {
            writeFault(bytes, code, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
