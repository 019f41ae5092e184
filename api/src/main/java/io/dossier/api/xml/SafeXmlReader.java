package io.dossier.api.xml;

import static javax.xml.stream.XMLStreamConstants.DTD;
import static javax.xml.stream.XMLStreamConstants.END_ELEMENT;
import static javax.xml.stream.XMLStreamConstants.ENTITY_REFERENCE;
import static javax.xml.stream.XMLStreamConstants.START_ELEMENT;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * A pull parser over one XML document from a client, hardened for input nobody vouches for: no
 * DOCTYPE (hence no entity expansion, internal or external, and no billion laughs), no external
 * resources, at most {@link Limits#maxBytes()} bytes and {@link Limits#maxDepth()} nested
 * elements, and the bytes decoded strictly by their byte-order mark or declared encoding
 * ({@link XmlCharsets}). Used by XML-RPC and meant for SOAP.
 *
 * <p>Read events from {@link #events()}; turn whatever it throws into a client-fit refusal with
 * {@link #explain(Exception)}. One instance reads one document; it does not close the stream.
 */
public final class SafeXmlReader implements AutoCloseable {

    /** @param maxBytes the most bytes read from the stream; @param maxDepth the most elements open at once */
    public record Limits(long maxBytes, int maxDepth) {
        public Limits {
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
            }
            if (maxDepth <= 0) {
                throw new IllegalArgumentException("maxDepth must be positive: " + maxDepth);
            }
        }
    }

    private final BoundedInputStream source;
    private final XMLStreamReader parser;
    private final Guarded events;

    private SafeXmlReader(BoundedInputStream source, XMLStreamReader parser, int maxDepth) {
        this.source = source;
        this.parser = parser;
        this.events = new Guarded(parser, maxDepth);
    }

    /**
     * Opens {@code in} for reading.
     *
     * @throws XmlException when the document cannot even be started (an unknown encoding, no bytes)
     */
    public static SafeXmlReader open(InputStream in, Limits limits) {
        var source = new BoundedInputStream(in, limits.maxBytes());
        try {
            return new SafeXmlReader(source, factory(limits.maxDepth()).createXMLStreamReader(XmlCharsets.reader(source)), limits.maxDepth());
        } catch (XmlException e) {
            throw e;
        } catch (XMLStreamException | IOException | RuntimeException e) {
            throw explain(source, e);
        }
    }

    /** The document's events. DOCTYPEs, entity references and too deep nesting throw {@link XmlException}. */
    public XMLStreamReader events() {
        return events;
    }

    /** Reads to the end of the document, so that XML that is not well-formed shows as such. */
    public void drain() throws XMLStreamException {
        while (events.hasNext()) {
            events.next();
        }
    }

    /**
     * What went wrong, fit for the client: {@code e} is what reading {@link #events()} threw — a
     * parse error, a read past the size limit, bytes invalid in the encoding, or an unchecked
     * exception a parser may throw on hostile bytes.
     */
    public XmlException explain(Exception e) {
        return e instanceof XmlException refused ? refused : explain(source, e);
    }

    private static XmlException explain(BoundedInputStream source, Exception cause) {
        if (source.exceeded()) {
            return new XmlException("the document is larger than " + source.limit() + " bytes", cause);
        }
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof CharacterCodingException) {
                return new XmlException("bytes that are not valid in the document's encoding", cause);
            }
        }
        var detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        var marker = detail.indexOf("Message: "); // the JDK's form: "ParseError at [row,col]:[1,13]\nMessage: …"
        if (marker >= 0) {
            detail = detail.substring(marker + "Message: ".length());
        }
        var where = "";
        if (cause instanceof XMLStreamException e && e.getLocation() != null && e.getLocation().getLineNumber() > 0) {
            where = " at line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber();
        }
        return new XmlException("not well-formed XML" + where + ": " + detail.replaceAll("\\s+", " ").strip(), cause);
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (XMLStreamException | RuntimeException ignored) {
            // closing a reader does not close the stream; nothing to release
        }
    }

    /** A fresh factory per document: factories are not promised to be thread-safe. */
    private static XMLInputFactory factory(int maxDepth) {
        var factory = XMLInputFactory.newDefaultFactory(); // the JDK's own parser, whatever is on the class path
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are refused: " + systemId);
        });
        try {
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        } catch (IllegalArgumentException unsupported) {
            // the settings above already keep every DTD out
        }
        try {
            // the parser's own limit bounds what it reads even when the caller skips events
            factory.setProperty("jdk.xml.maxElementDepth", String.valueOf(maxDepth));
        } catch (IllegalArgumentException unsupported) {
            // an older JDK without the limit: Guarded counts depth itself
        }
        return factory;
    }

    /** The parser's events, refusing what a hardened reader must not pass on. */
    private static final class Guarded extends StreamReaderDelegate {

        private final int maxDepth;
        private int depth;

        Guarded(XMLStreamReader parser, int maxDepth) {
            super(parser);
            this.maxDepth = maxDepth;
        }

        @Override
        public int next() throws XMLStreamException {
            var event = super.next();
            switch (event) {
                case START_ELEMENT -> {
                    if (++depth > maxDepth) {
                        throw new XmlException("the document nests elements deeper than " + maxDepth);
                    }
                }
                case END_ELEMENT -> depth--;
                case DTD -> throw new XmlException("a DOCTYPE is refused");
                case ENTITY_REFERENCE -> throw new XmlException("entity references are refused");
                default -> { }
            }
            return event;
        }

        /** As the interface says, but through {@link #next()} so that every event is checked. */
        @Override
        public int nextTag() throws XMLStreamException {
            var event = next();
            while (event == XMLStreamConstants.SPACE || event == XMLStreamConstants.COMMENT
                    || event == XMLStreamConstants.PROCESSING_INSTRUCTION
                    || (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) && isWhiteSpace()) {
                event = next();
            }
            if (event != START_ELEMENT && event != END_ELEMENT) {
                throw new XMLStreamException("expected a start or end tag", getLocation());
            }
            return event;
        }

        /** As the interface says, but through {@link #next()} so that every event is checked. */
        @Override
        public String getElementText() throws XMLStreamException {
            if (getEventType() != START_ELEMENT) {
                throw new XMLStreamException("not at a start tag", getLocation());
            }
            var text = new StringBuilder();
            while (true) {
                switch (next()) {
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text.append(getText());
                    case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> { }
                    case END_ELEMENT -> {
                        return text.toString();
                    }
                    default -> throw new XMLStreamException("an element with text only was expected", getLocation());
                }
            }
        }
    }
}
