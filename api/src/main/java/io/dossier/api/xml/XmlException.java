package io.dossier.api.xml;

/**
 * A document {@link SafeXmlReader} refuses: not well-formed, larger or deeper than allowed, in an
 * unknown or violated encoding, or carrying a DOCTYPE or an entity reference. The message says which,
 * in words fit for the client that sent it.
 */
public final class XmlException extends RuntimeException {

    public XmlException(String message) {
        super(message);
    }

    public XmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
