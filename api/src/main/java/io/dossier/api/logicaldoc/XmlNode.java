package io.dossier.api.logicaldoc;

import io.dossier.api.xml.SafeXmlReader;
import io.dossier.api.xml.XmlException;
import io.dossier.core.Failure;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLStreamConstants;

/**
 * One element of a SOAP message read into a small tree: its namespace, local name, text and
 * children. Attributes ({@code xsi:type} and the like) are not kept: LogicalDOC's wire never needs
 * them. Read through the hardened {@link SafeXmlReader} (no DTD, no entities, bounded size and depth).
 */
record XmlNode(String namespace, String name, String text, List<XmlNode> children) {

    static final SafeXmlReader.Limits LIMITS = new SafeXmlReader.Limits(LogicalDocApi.MAX_REQUEST_BYTES, 32);
    private static final int MAX_ELEMENTS = 200_000;

    /** The document's root element; a document that is not well-formed, or refused, is {@code INVALID}. */
    static XmlNode parse(InputStream in) {
        try (var reader = SafeXmlReader.open(in, LIMITS)) {
            var events = reader.events();
            var stack = new ArrayList<Builder>();
            XmlNode root = null;
            int count = 0;
            try {
                while (events.hasNext()) {
                    switch (events.next()) {
                        case XMLStreamConstants.START_ELEMENT -> {
                            if (++count > MAX_ELEMENTS) {
                                throw Failure.invalid("the message has more than " + MAX_ELEMENTS + " elements");
                            }
                            stack.add(new Builder(events.getNamespaceURI(), events.getLocalName()));
                        }
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                            if (!stack.isEmpty()) {
                                stack.getLast().text.append(events.getText());
                            }
                        }
                        case XMLStreamConstants.END_ELEMENT -> {
                            var done = stack.removeLast().build();
                            if (stack.isEmpty()) {
                                root = done;
                            } else {
                                stack.getLast().children.add(done);
                            }
                        }
                        default -> { }
                    }
                }
            } catch (Failure failure) {
                throw failure;
            } catch (Exception e) {
                throw Failure.invalid(reader.explain(e).getMessage());
            }
            if (root == null) {
                throw Failure.invalid("the message has no root element");
            }
            return root;
        } catch (XmlException refused) {
            throw Failure.invalid(refused.getMessage());
        }
    }

    private static final class Builder {
        final String namespace;
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<XmlNode> children = new ArrayList<>();

        Builder(String namespace, String name) {
            this.namespace = namespace == null ? "" : namespace;
            this.name = name;
        }

        XmlNode build() {
            return new XmlNode(namespace, name, children.isEmpty() ? text.toString() : "", List.copyOf(children));
        }
    }

    Optional<XmlNode> child(String childName) {
        for (var child : children) {
            if (child.name.equals(childName)) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    List<XmlNode> all(String childName) {
        return children.stream().filter(c -> c.name.equals(childName)).toList();
    }

    /** The text of the first child so named, or null when there is none (an element marked xsi:nil reads as empty). */
    String text(String childName) {
        return child(childName).map(XmlNode::text).orElse(null);
    }

    /** The first element child, or null. */
    XmlNode first() {
        return children.isEmpty() ? null : children.getFirst();
    }
}
