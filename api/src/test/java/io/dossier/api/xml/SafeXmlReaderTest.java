package io.dossier.api.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLStreamConstants;
import org.junit.jupiter.api.Test;

class SafeXmlReaderTest {

    private static final SafeXmlReader.Limits LIMITS = new SafeXmlReader.Limits(64 * 1024, 20);

    /** All text of the document, or the refusal. */
    static String read(byte[] bytes, SafeXmlReader.Limits limits) {
        SafeXmlReader document;
        document = SafeXmlReader.open(new ByteArrayInputStream(bytes), limits);
        try (document) {
            var events = document.events();
            var text = new StringBuilder();
            while (events.hasNext()) {
                var event = events.next();
                if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    text.append(events.getText());
                }
            }
            return text.toString();
        } catch (Exception e) {
            throw document.explain(e);
        }
    }

    static String read(String xml) {
        return read(xml.getBytes(StandardCharsets.UTF_8), LIMITS);
    }

    @Test
    void readsAPlainDocument() {
        assertThat(read("<?xml version=\"1.0\"?><a><b>x &amp; y</b><c><![CDATA[<z>]]></c></a>")).isEqualTo("x & y<z>");
    }

    @Test
    void aDoctypeIsRefused() {
        assertThatThrownBy(() -> read("<?xml version=\"1.0\"?><!DOCTYPE a [<!ELEMENT a ANY>]><a>x</a>"))
                .isInstanceOf(XmlException.class);
    }

    @Test
    void anExternalEntityIsRefusedAndNothingIsFetched() {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><a>&xxe;</a>";
        assertThatThrownBy(() -> read(xml)).isInstanceOf(XmlException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("root:"));
    }

    @Test
    void anExternalDtdIsRefused() {
        assertThatThrownBy(() -> read("<?xml version=\"1.0\"?><!DOCTYPE a SYSTEM \"http://127.0.0.1:1/evil.dtd\"><a/>"))
                .isInstanceOf(XmlException.class);
    }

    @Test
    void billionLaughsAreRefused() {
        var dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        dtd.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
        for (int i = 2; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]><lolz>&lol9;</lolz>");
        assertThatThrownBy(() -> read(dtd.toString())).isInstanceOf(XmlException.class);
    }

    @Test
    void anUndeclaredEntityReferenceIsRefused() {
        assertThatThrownBy(() -> read("<a>&nope;</a>")).isInstanceOf(XmlException.class);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        var limits = new SafeXmlReader.Limits(64 * 1024, 5);
        assertThat(read(("<a>".repeat(5) + "x" + "</a>".repeat(5)).getBytes(StandardCharsets.UTF_8), limits)).isEqualTo("x");
        assertThatThrownBy(() -> read(("<a>".repeat(6) + "x" + "</a>".repeat(6)).getBytes(StandardCharsets.UTF_8), limits))
                .isInstanceOf(XmlException.class).hasMessageContaining("depth").hasMessageContaining("\"5\"");
    }

    @Test
    void aDocumentLargerThanTheLimitIsRefusedAfterReadingAtMostTheLimit() {
        var limits = new SafeXmlReader.Limits(100, 20);
        var exact = ("<a>" + "x".repeat(93) + "</a>").getBytes(StandardCharsets.UTF_8);
        assertThat(exact).hasSize(100);
        assertThat(read(exact, limits)).hasSize(93);
        var over = ("<a>" + "x".repeat(10_000) + "</a>").getBytes(StandardCharsets.UTF_8);
        var counting = new ByteArrayInputStream(over);
        assertThatThrownBy(() -> {
            var document = SafeXmlReader.open(counting, limits);
            try (document) {
                document.drain();
            } catch (Exception e) {
                throw document.explain(e);
            }
        }).isInstanceOf(XmlException.class).hasMessage("the document is larger than 100 bytes");
        assertThat(over.length - counting.available()).isLessThanOrEqualTo(101);
    }

    @Test
    void aUtf8ByteOrderMarkIsConsumed() {
        var bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "<a>é</a>".getBytes(StandardCharsets.UTF_8));
        assertThat(read(bytes, LIMITS)).isEqualTo("é");
    }

    @Test
    void utf16IsRecognisedByItsByteOrderMark() {
        var le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "<a>ü€</a>".getBytes(StandardCharsets.UTF_16LE));
        var be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "<a>ü€</a>".getBytes(StandardCharsets.UTF_16BE));
        assertThat(read(le, LIMITS)).isEqualTo("ü€");
        assertThat(read(be, LIMITS)).isEqualTo("ü€");
    }

    @Test
    void utf16WithoutAByteOrderMarkIsRecognisedByItsDeclaration() {
        var bytes = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>ü</a>".getBytes(StandardCharsets.UTF_16LE);
        assertThat(read(bytes, LIMITS)).isEqualTo("ü");
    }

    @Test
    void theDeclaredEncodingIsUsed() {
        var bytes = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>café</a>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(read(bytes, LIMITS)).isEqualTo("café");
        var windows = "<?xml version='1.0' encoding='windows-1252'?><a>€</a>".getBytes(Charset.forName("windows-1252"));
        assertThat(read(windows, LIMITS)).isEqualTo("€");
    }

    @Test
    void withoutADeclarationTheDocumentIsUtf8() {
        assertThat(read("<a>ñ</a>".getBytes(StandardCharsets.UTF_8), LIMITS)).isEqualTo("ñ");
    }

    @Test
    void bytesInvalidInTheEncodingAreRefused() {
        var bytes = concat("<a>".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3, (byte) 0x28}, "</a>".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> read(bytes, LIMITS)).isInstanceOf(XmlException.class).hasMessageContaining("not valid in the document's encoding");
    }

    @Test
    void anUnknownEncodingIsRefused() {
        assertThatThrownBy(() -> read("<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?><a/>"))
                .isInstanceOf(XmlException.class).hasMessageContaining("unsupported encoding 'x-no-such-charset'");
    }

    @Test
    void notWellFormedXmlSaysWhere() {
        assertThatThrownBy(() -> read("<a><b></a>")).isInstanceOf(XmlException.class).hasMessageStartingWith("not well-formed XML at line 1");
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
