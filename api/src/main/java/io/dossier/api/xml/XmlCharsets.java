package io.dossier.api.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.regex.Pattern;

/**
 * Decodes an XML document's bytes by its byte-order mark or the encoding its XML declaration
 * names (XML 1.0 appendix F), UTF-8 otherwise. Done here rather than by the JDK's StAX parser
 * because that parser prints {@code [Fatal Error]} lines to standard error on malformed bytes;
 * a strict decoder fails instead with an exception the reader turns into {@link XmlException}.
 */
public final class XmlCharsets {

    /** The XML declaration, if any, lies within this many bytes. */
    private static final int HEAD = 1024;
    private static final Pattern DECLARED = Pattern.compile(
            "\\A<\\?xml\\s[^>]*?\\bencoding\\s*=\\s*([\"'])([A-Za-z][A-Za-z0-9._-]*)\\1");

    private XmlCharsets() {}

    /**
     * A strict reader over {@code in}'s characters, the byte-order mark consumed.
     *
     * @throws XmlException when the declaration names an encoding the JDK does not know
     */
    public static Reader reader(InputStream in) throws IOException {
        var head = in.readNBytes(HEAD);
        int bom;
        Charset charset;
        if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
            bom = 3;
            charset = StandardCharsets.UTF_8;
        } else if (startsWith(head, 0x00, 0x00, 0xFE, 0xFF)) {
            bom = 4;
            charset = Charset.forName("UTF-32BE");
        } else if (startsWith(head, 0xFF, 0xFE, 0x00, 0x00)) {
            bom = 4;
            charset = Charset.forName("UTF-32LE");
        } else if (startsWith(head, 0xFE, 0xFF)) {
            bom = 2;
            charset = StandardCharsets.UTF_16BE;
        } else if (startsWith(head, 0xFF, 0xFE)) {
            bom = 2;
            charset = StandardCharsets.UTF_16LE;
        } else if (startsWith(head, 0x00, '<', 0x00, '?')) {
            bom = 0;
            charset = StandardCharsets.UTF_16BE;
        } else if (startsWith(head, '<', 0x00, '?', 0x00)) {
            bom = 0;
            charset = StandardCharsets.UTF_16LE;
        } else {
            bom = 0;
            charset = declared(new String(head, StandardCharsets.ISO_8859_1));
        }
        var decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        var bytes = new SequenceInputStream(new ByteArrayInputStream(head, bom, head.length - bom), in);
        return new InputStreamReader(bytes, decoder);
    }

    /** The encoding an ASCII-compatible XML declaration names; UTF-8 without one. */
    private static Charset declared(String head) {
        var m = DECLARED.matcher(head);
        if (!m.find()) {
            return StandardCharsets.UTF_8;
        }
        var name = m.group(2);
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new XmlException("unsupported encoding '" + name + "'", e);
        }
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (var i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
