package io.dossier.api.ows.rpc;

import static io.dossier.api.ows.rpc.XmlRpc.INVALID_PARAMS;
import static io.dossier.api.ows.rpc.XmlRpc.INVALID_REQUEST;
import static io.dossier.api.ows.rpc.XmlRpc.PARSE_ERROR;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dossier.api.ows.rpc.XmlRpc.MalformedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

class XmlRpcTest {

    private static final long LIMIT = 1 << 20;

    // --- reading: every type -----------------------------------------------------------------

    @Test
    void readsStringsTypedAndBare() {
        assertThat(param("<string>a b</string>")).isEqualTo("a b");
        assertThat(param("<string>  spaced\n\t</string>")).isEqualTo("  spaced\n\t");
        assertThat(param("hello")).isEqualTo("hello");
        assertThat(param("  bare keeps its spaces ")).isEqualTo("  bare keeps its spaces ");
        assertThat(param("<string/>")).isEqualTo("");
        assertThat(param("")).isEqualTo("");
        assertThat(param("<string>&lt;&amp;&gt;&quot;&apos;&#x41;&#66;</string>")).isEqualTo("<&>\"'AB");
        assertThat(param("<string><![CDATA[<not a tag> & ]]>tail</string>")).isEqualTo("<not a tag> & tail");
        assertThat(param("<string>a<!-- note -->b</string>")).isEqualTo("ab");
        assertThat(param("<string>zoë 😀 漢字</string>")).isEqualTo("zoë 😀 漢字");
        assertThat(call(callOf("<value/>")).params()).containsExactly("");
    }

    @Test
    void readsIntegers() {
        assertThat(param("<int>42</int>")).isEqualTo(42);
        assertThat(param("<i4>-7</i4>")).isEqualTo(-7);
        assertThat(param("<int>+5</int>")).isEqualTo(5);
        assertThat(param("<int> 12\n</int>")).isEqualTo(12);
        assertThat(param("<int>2147483647</int>")).isEqualTo(Integer.MAX_VALUE);
        assertThat(param("<int>-2147483648</int>")).isEqualTo(Integer.MIN_VALUE);
        assertThat(param("<int>3000000000</int>")).isEqualTo(3_000_000_000L);
        assertThat(param("<i8>5</i8>")).isEqualTo(5L);
        assertThat(param("<i8>-9223372036854775808</i8>")).isEqualTo(Long.MIN_VALUE);
        assertThat(param("<ex:i8 xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'>9</ex:i8>"))
                .isEqualTo(9L);
    }

    @Test
    void readsBooleans() {
        assertThat(param("<boolean>1</boolean>")).isEqualTo(true);
        assertThat(param("<boolean>0</boolean>")).isEqualTo(false);
        assertThat(param("<boolean> 1 </boolean>")).isEqualTo(true);
    }

    @Test
    void readsDoubles() {
        assertThat(param("<double>1.5</double>")).isEqualTo(1.5);
        assertThat(param("<double>-0.25</double>")).isEqualTo(-0.25);
        assertThat(param("<double>7</double>")).isEqualTo(7.0);
        assertThat(param("<double>.5</double>")).isEqualTo(0.5);
        assertThat(param("<double>1e3</double>")).isEqualTo(1000.0);
        assertThat(param("<double>+2.5E-2</double>")).isEqualTo(0.025);
    }

    @Test
    void readsDateTimesInBothFormsWithOptionalOffset() {
        var local = LocalDateTime.of(1998, 7, 17, 14, 8, 55);
        assertThat(param("<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>")).isEqualTo(local);
        assertThat(param("<dateTime.iso8601>1998-07-17T14:08:55</dateTime.iso8601>")).isEqualTo(local);
        assertThat(param("<dateTime.iso8601>19980717T140855</dateTime.iso8601>")).isEqualTo(local);
        assertThat(param("<dateTime.iso8601>1998-07-17T14:08:55.250</dateTime.iso8601>"))
                .isEqualTo(local.withNano(250_000_000));
        assertThat(param("<dateTime.iso8601>19980717T14:08:55Z</dateTime.iso8601>"))
                .isEqualTo(local.atOffset(ZoneOffset.UTC));
        assertThat(param("<dateTime.iso8601>1998-07-17T14:08:55+02:00</dateTime.iso8601>"))
                .isEqualTo(local.atOffset(ZoneOffset.ofHours(2)));
        assertThat(param("<dateTime.iso8601>19980717T14:08:55-0530</dateTime.iso8601>"))
                .isEqualTo(local.atOffset(ZoneOffset.ofHoursMinutes(-5, -30)));
    }

    @Test
    void readsBase64IncludingLineBreaks() {
        assertThat(param("<base64>aGVsbG8gd29ybGQ=</base64>")).isEqualTo("hello world".getBytes(UTF_8));
        assertThat(param("<base64>\n  aGVsbG8g\r\n  d29ybGQ=\n</base64>")).isEqualTo("hello world".getBytes(UTF_8));
        assertThat(param("<base64></base64>")).isEqualTo(new byte[0]);
    }

    @Test
    void readsStructsInDocumentOrder() {
        var value = param("""
                <struct>
                  <member><name>zeta</name><value><int>1</int></value></member>
                  <member><value>two</value><name>alpha</name></member>
                  <member><name>mid</name><value><struct/></value></member>
                  <member><name></name><value><nil/></value></member>
                </struct>""");
        assertThat(value).isInstanceOf(LinkedHashMap.class);
        var struct = struct(value);
        assertThat(struct.keySet()).containsExactly("zeta", "alpha", "mid", "");
        assertThat(struct.get("zeta")).isEqualTo(1);
        assertThat(struct.get("alpha")).isEqualTo("two");
        assertThat(struct.get("mid")).isEqualTo(Map.of());
        assertThat(struct.containsKey("")).isTrue();
        assertThat(struct.get("")).isNull();
    }

    @Test
    void readsArraysNestedAndEmpty() {
        var value = param("""
                <array><data>
                  <value><int>1</int></value>
                  <value>x</value>
                  <value><array><data><value><boolean>1</boolean></value></data></array></value>
                  <value><array><data/></array></value>
                  <value><array/></value>
                  <value><nil/></value>
                </data></array>""");
        assertThat(value).isInstanceOf(ArrayList.class);
        assertThat(list(value)).containsExactly(1, "x", List.of(true), List.of(), List.of(), null);
    }

    @Test
    void readsNilPlainAndNamespaced() {
        assertThat(param("<nil/>")).isNull();
        assertThat(param("<nil></nil>")).isNull();
        assertThat(param("<ex:nil xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'/>")).isNull();
        var call = call("""
                <methodCall xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions">
                  <methodName>m</methodName>
                  <params><param><value><ex:nil/></value></param><param><value><ex:i8>1</ex:i8></value></param></params>
                </methodCall>""");
        assertThat(call.params()).containsExactly(null, 1L);
    }

    @Test
    void readsCallsWithoutParams() {
        assertThat(call("<methodCall><methodName>Otys.Services.Ping</methodName></methodCall>"))
                .isEqualTo(new RpcCall("Otys.Services.Ping", List.of()));
        assertThat(call("<methodCall><methodName> a.b </methodName><params/></methodCall>"))
                .isEqualTo(new RpcCall("a.b", List.of()));
    }

    @Test
    void ignoresWhitespaceCommentsAndProcessingInstructionsBetweenElements() {
        var call = call("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- a client's comment -->
                <methodCall>
                  <?some-instruction here?>
                  <methodName>m</methodName>
                  <params>
                    <!-- first -->
                    <param>
                      <value>
                        <int>1</int>
                      </value>
                    </param>
                    <param><value>
                        <struct>
                          <member>
                            <name>k</name>
                            <value><string> v </string></value>
                          </member>
                        </struct>
                    </value></param>
                  </params>
                </methodCall>
                """);
        assertThat(call.params()).containsExactly(1, Map.of("k", " v "));
    }

    @Test
    void honoursTheEncodingDeclaredInTheProlog() {
        var xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + callOf("<value><string>café</string></value>");
        var call = XmlRpc.parseCall(new ByteArrayInputStream(xml.getBytes(ISO_8859_1)), LIMIT);
        assertThat(call.params()).containsExactly("café");

        var bom = new ByteArrayOutputStream();
        bom.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bom.writeBytes(callOf("<value>é</value>").getBytes(UTF_8));
        assertThat(XmlRpc.parseCall(new ByteArrayInputStream(bom.toByteArray()), LIMIT).params()).containsExactly("é");

        var utf16 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + callOf("<value>ĳ 😀</value>");
        for (var charset : List.of(java.nio.charset.StandardCharsets.UTF_16, java.nio.charset.StandardCharsets.UTF_16LE)) {
            var bytes = utf16.getBytes(charset); // UTF_16 writes a byte-order mark, UTF_16LE none
            assertThat(XmlRpc.parseCall(new ByteArrayInputStream(bytes), LIMIT).params()).as(charset.name())
                    .containsExactly("ĳ 😀");
        }
    }

    @Test
    void leavesTheCallersStreamOpenAndWritesNothingToStandardError() {
        var closed = new boolean[1];
        var in = new ByteArrayInputStream(callOf("<value/>").getBytes(UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        XmlRpc.parseCall(in, LIMIT);
        assertThat(closed[0]).isFalse();

        // the JDK's StAX parser prints "[Fatal Error] …" on malformed bytes when it decodes them itself
        var err = System.err;
        var captured = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, UTF_8));
        try {
            var random = new Random(7);
            for (var i = 0; i < 50; i++) {
                var noise = new byte[64];
                random.nextBytes(noise);
                catchThrowable(() -> XmlRpc.parseCall(new ByteArrayInputStream(concat("<methodCall>", noise, "")), LIMIT));
            }
            catchThrowable(() -> XmlRpc.parseCall(new ByteArrayInputStream(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '<', 0}), LIMIT));
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(UTF_8)).isEmpty();
    }

    @Test
    void readsAnOwsGetListExCallAsAClientWritesIt() {
        var call = call("""
                <?xml version="1.0"?>
                <methodCall>
                  <methodName>Otys.Services.CandidateService.getListEx</methodName>
                  <params>
                    <param><value><string>[sessiontoken]</string></value></param>
                    <param><value><struct>
                      <member><name>what</name><value><struct>
                        <member><name>uid</name><value><int>1</int></value></member>
                        <member><name>Person</name><value><struct>
                          <member><name>firstName</name><value><int>1</int></value></member>
                          <member><name>lastName</name><value><int>1</int></value></member>
                        </struct></value></member>
                      </struct></value></member>
                      <member><name>condition</name><value><struct>
                        <member><name>type</name><value><string>AND</string></value></member>
                        <member><name>items</name><value><array><data>
                          <value><struct>
                            <member><name>type</name><value><string>COND</string></value></member>
                            <member><name>field</name><value><string>userId</string></value></member>
                            <member><name>op</name><value><string>EQ</string></value></member>
                            <member><name>param</name><value><string>[userid]</string></value></member>
                          </struct></value>
                          <value><struct>
                            <member><name>type</name><value><string>COND</string></value></member>
                            <member><name>field</name><value><string>statusId</string></value></member>
                            <member><name>op</name><value><string>NE</string></value></member>
                            <member><name>param</name><value><string>[statusid]</string></value></member>
                          </struct></value>
                        </data></array></value></member>
                      </struct></value></member>
                      <member><name>sort</name><value><struct>
                        <member><name>Person.lastName</name><value><string>ASC</string></value></member>
                        <member><name>Person.firstName</name><value><string>ASC</string></value></member>
                      </struct></value></member>
                      <member><name>limit</name><value><int>100</int></value></member>
                      <member><name>offset</name><value><int>0</int></value></member>
                      <member><name>getTotalCount</name><value><int>1</int></value></member>
                    </struct></value></param>
                  </params>
                </methodCall>""");
        assertThat(call).isEqualTo(getListEx());
        var query = struct(call.params().get(1));
        assertThat(query.keySet()).containsExactly("what", "condition", "sort", "limit", "offset", "getTotalCount");
        assertThat(struct(query.get("sort")).keySet()).containsExactly("Person.lastName", "Person.firstName");
    }

    // --- writing: every type -----------------------------------------------------------------

    @Test
    void writesTheDocumentShapeExactly() {
        assertThat(response("x")).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodResponse><params>"
                + "<param><value><string>x</string></value></param></params></methodResponse>");
        assertThat(new String(XmlRpc.faultBytes(-32601, "no such method <x> & co"), UTF_8)).isEqualTo(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodResponse><fault><value><struct>"
                        + "<member><name>faultCode</name><value><int>-32601</int></value></member>"
                        + "<member><name>faultString</name><value><string>no such method &lt;x&gt; &amp; co"
                        + "</string></value></member></struct></value></fault></methodResponse>");
    }

    @Test
    void writesStrings() {
        assertThat(written("a<b&c>d]]>\"'")).isEqualTo("<string>a&lt;b&amp;c&gt;d]]&gt;\"'</string>");
        assertThat(written("")).isEqualTo("<string></string>");
        assertThat(written("zoë 😀")).isEqualTo("<string>zoë 😀</string>");
        assertThat(written('c')).isEqualTo("<string>c</string>");
        assertThat(written(new StringBuilder("sb"))).isEqualTo("<string>sb</string>");
        assertThat(written(Thread.State.NEW)).isEqualTo("<string>NEW</string>");
        var uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(written(uuid)).isEqualTo("<string>123e4567-e89b-12d3-a456-426614174000</string>");
    }

    @Test
    void replacesCharactersXmlCannotCarryAndKeepsCarriageReturns() {
        var nasty = "a\u0000b\u0001c\uD800d\uFFFEe\uDC00\u001Ff\tg\nh\ri";
        assertThat(written(nasty)).isEqualTo("<string>a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD\uFFFDf\tg\nh&#13;i</string>");
        assertThat(roundTrip(nasty)).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD\uFFFDf\tg\nh\ri");
        assertThat(roundTrip("line\r\nnext")).isEqualTo("line\r\nnext");
        assertThat(roundTrip(Map.of("k\u0000ey", "v"))).isEqualTo(Map.of("k\uFFFDey", "v"));
        var fault = parseResponse(XmlRpc.faultBytes(1, "bad\u0000"));
        assertThat(fault).isEqualTo(new RpcResponse.Fault(1, "bad\uFFFD"));
    }

    @Test
    void writesIntegers() {
        assertThat(written(42)).isEqualTo("<int>42</int>");
        assertThat(written((short) -3)).isEqualTo("<int>-3</int>");
        assertThat(written((byte) 7)).isEqualTo("<int>7</int>");
        assertThat(written(5L)).isEqualTo("<int>5</int>");
        assertThat(written((long) Integer.MIN_VALUE)).isEqualTo("<int>-2147483648</int>");
        assertThat(written(3_000_000_000L)).isEqualTo("<i8>3000000000</i8>");
        assertThat(written(Long.MIN_VALUE)).isEqualTo("<i8>-9223372036854775808</i8>");
        assertThat(written(BigInteger.valueOf(12))).isEqualTo("<int>12</int>");
        assertThat(written(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo("<i8>9223372036854775807</i8>");
        assertThat(written(BigInteger.TWO.pow(70))).isEqualTo("<string>1180591620717411303424</string>");
    }

    @Test
    void writesBooleans() {
        assertThat(written(true)).isEqualTo("<boolean>1</boolean>");
        assertThat(written(false)).isEqualTo("<boolean>0</boolean>");
    }

    @Test
    void writesDecimalsInPlainNotation() {
        assertThat(written(1.5)).isEqualTo("<double>1.5</double>");
        assertThat(written(-0.25)).isEqualTo("<double>-0.25</double>");
        assertThat(written(1e20)).isEqualTo("<double>100000000000000000000.0</double>");
        assertThat(written(1e-7)).isEqualTo("<double>0.0000001</double>");
        assertThat(written(3.0)).isEqualTo("<double>3.0</double>");
        assertThat(written(0.0)).isEqualTo("<double>0.0</double>");
        assertThat(written(0.1f)).isEqualTo("<double>0.1</double>");
        assertThat(written(new BigDecimal("1E+3"))).isEqualTo("<double>1000</double>");
        assertThat(written(new BigDecimal("12.340"))).isEqualTo("<double>12.340</double>");
        assertThat(written(Double.NaN)).isEqualTo("<string>NaN</string>");
        assertThat(written(Float.NEGATIVE_INFINITY)).isEqualTo("<string>-Infinity</string>");
        assertThat(roundTrip(1e-7)).isEqualTo(1e-7);
        assertThat(roundTrip(Double.MAX_VALUE)).isEqualTo(Double.MAX_VALUE);
        assertThat(roundTrip(Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
    }

    @Test
    void writesDateTimesInUtcForInstantsAndAsTheyAreForLocalValues() {
        var tag = "<dateTime.iso8601>%s</dateTime.iso8601>";
        assertThat(written(LocalDateTime.of(1998, 7, 17, 14, 8, 55, 999_000_000))).isEqualTo(tag.formatted("19980717T14:08:55"));
        assertThat(written(LocalDate.of(2024, 2, 29))).isEqualTo(tag.formatted("20240229T00:00:00"));
        assertThat(written(Instant.parse("1998-07-17T14:08:55Z"))).isEqualTo(tag.formatted("19980717T14:08:55"));
        assertThat(written(OffsetDateTime.parse("1998-07-17T16:08:55+02:00"))).isEqualTo(tag.formatted("19980717T14:08:55"));
        assertThat(written(ZonedDateTime.of(LocalDateTime.of(1998, 1, 17, 15, 8, 55), ZoneId.of("Europe/Amsterdam"))))
                .isEqualTo(tag.formatted("19980117T14:08:55"));
        assertThat(written(java.util.Date.from(Instant.parse("1998-07-17T14:08:55Z")))).isEqualTo(tag.formatted("19980717T14:08:55"));
        assertThat(written(java.sql.Date.valueOf("1998-07-17"))).startsWith("<dateTime.iso8601>1998071");
        assertThat(roundTrip(LocalDateTime.of(2001, 2, 3, 4, 5, 6))).isEqualTo(LocalDateTime.of(2001, 2, 3, 4, 5, 6));
    }

    @Test
    void writesBase64() {
        assertThat(written("hello world".getBytes(UTF_8))).isEqualTo("<base64>aGVsbG8gd29ybGQ=</base64>");
        assertThat(written(new byte[0])).isEqualTo("<base64></base64>");
        var bytes = new byte[1000];
        new Random(1).nextBytes(bytes);
        assertThat((byte[]) roundTrip(bytes)).isEqualTo(bytes);
    }

    @Test
    void writesStructsInIterationOrder() {
        var map = new LinkedHashMap<Object, Object>();
        map.put("z", 1);
        map.put(7, "seven");
        map.put("a", null);
        assertThat(written(map)).isEqualTo("<struct>"
                + "<member><name>z</name><value><int>1</int></value></member>"
                + "<member><name>7</name><value><string>seven</string></value></member>"
                + "<member><name>a</name><value><nil/></value></member></struct>");
        assertThat(written(Map.of())).isEqualTo("<struct></struct>");
    }

    @Test
    void writesListsCollectionsAndArraysAsArrays() {
        var array = "<array><data><value><int>1</int></value><value><string>b</string></value></data></array>";
        assertThat(written(List.of(1, "b"))).isEqualTo(array);
        assertThat(written(new LinkedHashSet<>(List.of(1, "b")))).isEqualTo(array);
        assertThat(written(new Object[] {1, "b"})).isEqualTo(array);
        assertThat(written(new int[] {1, 2})).isEqualTo(
                "<array><data><value><int>1</int></value><value><int>2</int></value></data></array>");
        assertThat(written(new double[] {0.5})).isEqualTo("<array><data><value><double>0.5</double></value></data></array>");
        assertThat(written(List.of())).isEqualTo("<array><data></data></array>");
        assertThat(written(Arrays.asList(null, "x"))).isEqualTo(
                "<array><data><value><nil/></value><value><string>x</string></value></data></array>");
    }

    @Test
    void writesNullAsNil() {
        assertThat(written(null)).isEqualTo("<nil/>");
        assertThat(roundTrip(null)).isNull();
    }

    @Test
    void refusesToWriteAValueThatContainsItself() {
        var list = new ArrayList<Object>();
        list.add(list);
        assertThatThrownBy(() -> XmlRpc.responseBytes(list)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- round trips -------------------------------------------------------------------------

    @Test
    void roundTripsAGetListExCall() throws Exception {
        var expected = getListEx();
        var out = new ByteArrayOutputStream();
        XmlRpc.writeCall(out, expected.method(), expected.params());
        var read = XmlRpc.parseCall(new ByteArrayInputStream(out.toByteArray()), LIMIT);
        assertThat(read).isEqualTo(expected);
        var query = struct(read.params().get(1));
        assertThat(query).isInstanceOf(LinkedHashMap.class);
        assertThat(query.keySet()).containsExactly("what", "condition", "sort", "limit", "offset", "getTotalCount");
        assertThat(struct(query.get("condition")).get("items")).isInstanceOf(ArrayList.class);
    }

    @Test
    void roundTripsEveryTypeThroughAResponse() {
        var value = new LinkedHashMap<String, Object>();
        value.put("string", "  text \n with <markup> & ünïcödé ");
        value.put("int", -12);
        value.put("i8", 1L << 40);
        value.put("boolean", true);
        value.put("double", -1234.5678);
        value.put("dateTime", LocalDateTime.of(2024, 12, 31, 23, 59, 59));
        value.put("base64", new byte[] {0, 1, 2, (byte) 255});
        value.put("nil", null);
        value.put("array", Arrays.asList(1, "two", null, List.of(), Map.of()));
        value.put("struct", Map.of("inner", Map.of("deeper", List.of(false))));
        var read = struct(roundTrip(value));
        assertThat(read.keySet()).containsExactlyElementsOf(value.keySet());
        assertThat(read.get("base64")).isEqualTo(value.get("base64"));
        read.remove("base64");
        value.remove("base64");
        assertThat(read).isEqualTo(value);
    }

    @Test
    void faultsParseBack() {
        assertThat(parseResponse(XmlRpc.faultBytes(-32602, "invalid params"))).isEqualTo(new RpcResponse.Fault(-32602, "invalid params"));
        assertThat(parseResponse(XmlRpc.faultBytes(3, null))).isEqualTo(new RpcResponse.Fault(3, ""));
    }

    @Test
    void outputParsesWithASafelyConfiguredDomParser() throws Exception {
        var response = dom(XmlRpc.responseBytes(getListEx().params()));
        assertThat(response.getDocumentElement().getTagName()).isEqualTo("methodResponse");
        assertThat(response.getElementsByTagName("param").getLength()).isEqualTo(1);
        var names = response.getElementsByTagName("name");
        var seen = new ArrayList<String>();
        for (var i = 0; i < names.getLength(); i++) {
            seen.add(names.item(i).getTextContent());
        }
        assertThat(seen).startsWith("what", "uid", "Person", "firstName", "lastName", "condition", "type", "items");

        var fault = dom(XmlRpc.faultBytes(-32700, "bad <xml> & \u0000 \r\n"));
        var members = fault.getElementsByTagName("member");
        assertThat(members.getLength()).isEqualTo(2);
        var code = (Element) ((Element) members.item(0)).getElementsByTagName("int").item(0);
        var message = (Element) ((Element) members.item(1)).getElementsByTagName("string").item(0);
        assertThat(code.getTextContent()).isEqualTo("-32700");
        assertThat(message.getTextContent()).isEqualTo("bad <xml> & \uFFFD \r\n");
    }

    // --- security ----------------------------------------------------------------------------

    @Test
    void refusesExternalEntities() {
        var xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE methodCall [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <methodCall><methodName>m</methodName><params><param><value><string>&xxe;</string></value></param></params></methodCall>""";
        var refused = refused(xxe);
        assertThat(refused.faultCode()).isEqualTo(PARSE_ERROR);
        assertThat(refused.getMessage()).doesNotContain("root:");

        var parameterEntity = """
                <?xml version="1.0"?>
                <!DOCTYPE methodCall [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>
                <methodCall><methodName>m</methodName></methodCall>""";
        assertThat(refused(parameterEntity).faultCode()).isEqualTo(PARSE_ERROR);
    }

    @Test
    void neverFetchesAnExternalDtd() throws Exception {
        try (var server = new ServerSocket(0)) {
            server.setSoTimeout(300);
            var xml = "<?xml version=\"1.0\"?><!DOCTYPE methodCall SYSTEM \"http://127.0.0.1:" + server.getLocalPort()
                    + "/evil.dtd\"><methodCall><methodName>m</methodName></methodCall>";
            assertThat(refused(xml).faultCode()).isEqualTo(PARSE_ERROR);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void refusesBillionLaughs() {
        var lol = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++) {
            lol.append("<!ENTITY lol").append(i).append(" \"");
            lol.append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10));
            lol.append("\">");
        }
        lol.append("]><methodCall><methodName>m</methodName><params><param><value><string>&lol9;</string>"
                + "</value></param></params></methodCall>");
        var refused = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(lol.toString()));
        assertThat(refused.faultCode()).isEqualTo(PARSE_ERROR);
    }

    @Test
    void refusesAnyDoctype() {
        for (var doctype : List.of("<!DOCTYPE methodCall>", "<!DOCTYPE methodCall []>",
                "<!DOCTYPE methodCall PUBLIC \"-//x//y\" \"x.dtd\">",
                "<!DOCTYPE methodCall [<!ELEMENT methodCall ANY>]>")) {
            var refused = refused("<?xml version=\"1.0\"?>" + doctype + "<methodCall><methodName>m</methodName></methodCall>");
            assertThat(refused.faultCode()).as(doctype).isEqualTo(PARSE_ERROR);
        }
    }

    @Test
    void refusesDocumentsOverTheSizeLimitWhileReading() {
        var bytes = callOf("<value><string>" + "x".repeat(1000) + "</string></value>").getBytes(UTF_8);
        assertThat(XmlRpc.parseCall(new ByteArrayInputStream(bytes), bytes.length).params()).hasSize(1);
        var refused = catchThrowable(() -> XmlRpc.parseCall(new ByteArrayInputStream(bytes), bytes.length - 1));
        assertThat(refused).isInstanceOf(MalformedException.class).hasMessageContaining("larger than");
        assertThat(((MalformedException) refused).faultCode()).isEqualTo(PARSE_ERROR);

        // an endless document: reading stops just past the limit
        var endless = new EndlessString();
        var tooBig = catchThrowable(() -> XmlRpc.parseCall(endless, 100_000));
        assertThat(tooBig).isInstanceOf(MalformedException.class);
        assertThat(((MalformedException) tooBig).faultCode()).isEqualTo(PARSE_ERROR);
        assertThat(endless.served).isLessThanOrEqualTo(100_001);
    }

    @Test
    void refusesValuesNestedTooDeep() {
        assertThat(call(callOf(nested(XmlRpc.MAX_DEPTH))).params()).hasSize(1);
        var refused = refused(callOf(nested(XmlRpc.MAX_DEPTH + 1)));
        assertThat(refused.faultCode()).isEqualTo(PARSE_ERROR);
        assertThat(refused).hasMessageContaining("deeper");
        // far deeper than any limit: refused, no StackOverflowError
        assertThat(refused(callOf(nested(5000)), 10 * LIMIT).faultCode()).isEqualTo(PARSE_ERROR);
    }

    @Test
    void refusesTooManyValues() {
        var many = "<value><array><data>" + "<value/>".repeat(XmlRpc.MAX_VALUES) + "</data></array></value>";
        var refused = refused(callOf(many), 10 * LIMIT);
        assertThat(refused.faultCode()).isEqualTo(PARSE_ERROR);
        assertThat(refused).hasMessageContaining("values");
    }

    // --- malformed input ---------------------------------------------------------------------

    static Stream<Arguments> malformed() {
        var random = new Random(20240717);
        var noise = new byte[512];
        random.nextBytes(noise);
        return Stream.of(
                bad("empty input", new byte[0], PARSE_ERROR),
                bad("whitespace only", "   \n", PARSE_ERROR),
                bad("not XML", "hello world", PARSE_ERROR),
                bad("JSON", "{\"method\":\"m\",\"params\":[]}", PARSE_ERROR),
                bad("unclosed methodCall", "<methodCall>", PARSE_ERROR),
                bad("unclosed after methodName", "<methodCall><methodName>m</methodName>", PARSE_ERROR),
                bad("truncated end tag", callOf("<value><int>1</int></value>").replaceFirst(">$", ""), PARSE_ERROR),
                bad("mismatched end tag", "<methodCall></methodResponse>", PARSE_ERROR),
                bad("second root", "<methodCall><methodName>m</methodName></methodCall><methodCall/>", PARSE_ERROR),
                bad("undeclared prefix", callOf("<value><ex:nil/></value>"), PARSE_ERROR),
                bad("undeclared entity", callOf("<value>&nbsp;</value>"), PARSE_ERROR),
                bad("NUL reference", callOf("<value>&#0;</value>"), PARSE_ERROR),
                bad("unknown encoding", "<?xml version=\"1.0\" encoding=\"NOPE-8\"?><methodCall/>", PARSE_ERROR),
                bad("broken UTF-8", concat("<methodCall><methodName>m", new byte[] {(byte) 0xC3, (byte) 0x28},
                        "</methodName></methodCall>"), PARSE_ERROR),
                bad("random bytes", noise, PARSE_ERROR),
                bad("wrong root, then not well-formed", "<foo><bar>", PARSE_ERROR),
                bad("wrong root", "<foo/>", INVALID_REQUEST),
                bad("a response, not a call", "<methodResponse><params/></methodResponse>", INVALID_REQUEST),
                bad("no methodName", "<methodCall/>", INVALID_REQUEST),
                bad("empty methodName", "<methodCall><methodName> </methodName></methodCall>", INVALID_REQUEST),
                bad("methodName with a space", "<methodCall><methodName>a b</methodName></methodCall>", INVALID_REQUEST),
                bad("methodName with markup", "<methodCall><methodName>a<b/></methodName></methodCall>", INVALID_REQUEST),
                bad("text where params must be", "<methodCall><methodName>m</methodName>hello<params/></methodCall>",
                        INVALID_REQUEST),
                bad("text between params", "<methodCall><methodName>m</methodName><params>x<param/></params></methodCall>",
                        INVALID_REQUEST),
                bad("param without value", "<methodCall><methodName>m</methodName><params><param/></params></methodCall>",
                        INVALID_REQUEST),
                bad("unknown value type", callOf("<value><float>1</float></value>"), INVALID_REQUEST),
                bad("namespaced type", callOf("<value><x:int xmlns:x='urn:x'>1</x:int></value>"), INVALID_REQUEST),
                bad("text before a type", callOf("<value>x<int>1</int></value>"), INVALID_REQUEST),
                bad("two types in a value", callOf("<value><int>1</int><int>2</int></value>"), INVALID_REQUEST),
                bad("markup inside int", callOf("<value><int><b>1</b></int></value>"), INVALID_REQUEST),
                bad("text in nil", callOf("<value><nil>x</nil></value>"), INVALID_REQUEST),
                bad("array without data", callOf("<value><array><value/></array></value>"), INVALID_REQUEST),
                bad("text in data", callOf("<value><array><data>x</data></array></value>"), INVALID_REQUEST),
                bad("member without value", callOf("<value><struct><member><name>a</name></member></struct></value>"),
                        INVALID_REQUEST),
                bad("member without name", callOf("<value><struct><member><value/></member></struct></value>"),
                        INVALID_REQUEST),
                bad("member with two names",
                        callOf("<value><struct><member><name>a</name><name>b</name><value/></member></struct></value>"),
                        INVALID_REQUEST),
                bad("duplicate member", callOf("<value><struct><member><name>a</name><value/></member>"
                        + "<member><name>a</name><value/></member></struct></value>"), INVALID_REQUEST),
                bad("struct holding a value", callOf("<value><struct><value/></struct></value>"), INVALID_REQUEST),
                bad("int abc", callOf("<value><int>abc</int></value>"), INVALID_PARAMS),
                bad("int empty", callOf("<value><int></int></value>"), INVALID_PARAMS),
                bad("int decimal", callOf("<value><int>1.5</int></value>"), INVALID_PARAMS),
                bad("int beyond long", callOf("<value><int>99999999999999999999</int></value>"), INVALID_PARAMS),
                bad("int in Arabic-Indic digits", callOf("<value><int>١٢</int></value>"), INVALID_PARAMS),
                bad("i8 abc", callOf("<value><i8>0x10</i8></value>"), INVALID_PARAMS),
                bad("boolean 2", callOf("<value><boolean>2</boolean></value>"), INVALID_PARAMS),
                bad("boolean true", callOf("<value><boolean>true</boolean></value>"), INVALID_PARAMS),
                bad("double NaN", callOf("<value><double>NaN</double></value>"), INVALID_PARAMS),
                bad("double overflow", callOf("<value><double>1e999</double></value>"), INVALID_PARAMS),
                bad("double hex", callOf("<value><double>0x1p3</double></value>"), INVALID_PARAMS),
                bad("double with suffix", callOf("<value><double>1.0d</double></value>"), INVALID_PARAMS),
                bad("date in words", callOf("<value><dateTime.iso8601>yesterday</dateTime.iso8601></value>"),
                        INVALID_PARAMS),
                bad("month 13", callOf("<value><dateTime.iso8601>1998-13-01T00:00:00</dateTime.iso8601></value>"),
                        INVALID_PARAMS),
                bad("30 February", callOf("<value><dateTime.iso8601>19980230T10:00:00</dateTime.iso8601></value>"),
                        INVALID_PARAMS),
                bad("offset 25 hours", callOf("<value><dateTime.iso8601>19980717T10:00:00+25:00</dateTime.iso8601></value>"),
                        INVALID_PARAMS),
                bad("base64 !!!", callOf("<value><base64>!!!</base64></value>"), INVALID_PARAMS),
                bad("base64 one char", callOf("<value><base64>a</base64></value>"), INVALID_PARAMS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedInputWithTheRightFaultCode(String what, byte[] input, int code) {
        var thrown = catchThrowable(() -> XmlRpc.parseCall(new ByteArrayInputStream(input), LIMIT));
        assertThat(thrown).as(what).isExactlyInstanceOf(MalformedException.class);
        var refused = (MalformedException) thrown;
        assertThat(refused.faultCode()).as(what + ": " + refused.getMessage()).isEqualTo(code);
        assertThat(refused.getMessage()).as(what).isNotBlank().doesNotContain("\n");
    }

    @Test
    void refusesMalformedResponses() {
        assertThat(refusedResponse("<methodResponse/>").faultCode()).isEqualTo(INVALID_REQUEST);
        assertThat(refusedResponse("<methodResponse><fault><value><struct/></value></fault></methodResponse>").faultCode())
                .isEqualTo(INVALID_REQUEST);
        assertThat(refusedResponse("<methodResponse><params><param><value/></param><param><value/></param></params>"
                + "</methodResponse>").faultCode()).isEqualTo(INVALID_REQUEST);
        assertThat(refusedResponse("<methodResponse><params>").faultCode()).isEqualTo(PARSE_ERROR);
    }

    @Test
    void everyTruncationOfAValidCallIsRefusedWithTheCodecsException() throws Exception {
        var out = new ByteArrayOutputStream();
        XmlRpc.writeCall(out, getListEx().method(), getListEx().params());
        var whole = out.toByteArray();
        for (var length = 0; length < whole.length; length++) {
            var prefix = Arrays.copyOf(whole, length);
            assertThat(catchThrowable(() -> XmlRpc.parseCall(new ByteArrayInputStream(prefix), LIMIT)))
                    .as("first %d bytes", length)
                    .isExactlyInstanceOf(MalformedException.class);
        }
    }

    @Test
    void corruptedAndRandomInputNeverEscapesAsAnotherException() throws Exception {
        var out = new ByteArrayOutputStream();
        XmlRpc.writeCall(out, getListEx().method(), List.of("s", 1, true, 2.5, new byte[] {1}, LocalDateTime.now(),
                Arrays.asList(null, Map.of("a", List.of()))));
        var valid = out.toByteArray();
        var random = new Random(42);
        for (var round = 0; round < 3000; round++) {
            var input = valid.clone();
            for (var flips = 1 + random.nextInt(4); flips > 0; flips--) {
                input[random.nextInt(input.length)] = (byte) (round % 2 == 0 ? random.nextInt(256) : "<>/&;!?x \"'".charAt(random.nextInt(11)));
            }
            assertParsesOrIsRefused(input);
        }
        for (var round = 0; round < 500; round++) {
            var noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            assertParsesOrIsRefused(noise);
            assertParsesOrIsRefused(concat("<methodCall><methodName>m</methodName><params><param><value>", noise, ""));
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> struct(Object value) {
        assertThat(value).isInstanceOf(LinkedHashMap.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(ArrayList.class);
        return (List<Object>) value;
    }

    private static void assertParsesOrIsRefused(byte[] input) {
        try {
            XmlRpc.parseCall(new ByteArrayInputStream(input), LIMIT);
        } catch (MalformedException expected) {
            assertThat(expected.faultCode()).isIn(PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS);
        } catch (Throwable other) {
            throw new AssertionError("escaped as " + other + " for input " + new String(input, ISO_8859_1), other);
        }
    }

    private static RpcCall getListEx() {
        var person = new LinkedHashMap<String, Object>();
        person.put("firstName", 1);
        person.put("lastName", 1);
        var what = new LinkedHashMap<String, Object>();
        what.put("uid", 1);
        what.put("Person", person);
        var condition = new LinkedHashMap<String, Object>();
        condition.put("type", "AND");
        condition.put("items", List.of(cond("userId", "EQ", "[userid]"), cond("statusId", "NE", "[statusid]")));
        var sort = new LinkedHashMap<String, Object>();
        sort.put("Person.lastName", "ASC");
        sort.put("Person.firstName", "ASC");
        var query = new LinkedHashMap<String, Object>();
        query.put("what", what);
        query.put("condition", condition);
        query.put("sort", sort);
        query.put("limit", 100);
        query.put("offset", 0);
        query.put("getTotalCount", 1);
        return new RpcCall("Otys.Services.CandidateService.getListEx", List.of("[sessiontoken]", query));
    }

    private static Map<String, Object> cond(String field, String op, String param) {
        var cond = new LinkedHashMap<String, Object>();
        cond.put("type", "COND");
        cond.put("field", field);
        cond.put("op", op);
        cond.put("param", param);
        return cond;
    }

    private static String callOf(String valueXml) {
        return "<methodCall><methodName>m</methodName><params><param>" + valueXml + "</param></params></methodCall>";
    }

    private static Object param(String valueContent) {
        var params = call(callOf("<value>" + valueContent + "</value>")).params();
        assertThat(params).hasSize(1);
        return params.getFirst();
    }

    private static RpcCall call(String xml) {
        return XmlRpc.parseCall(new ByteArrayInputStream(xml.getBytes(UTF_8)), LIMIT);
    }

    private static MalformedException refused(String xml) {
        return refused(xml, LIMIT);
    }

    private static MalformedException refused(String xml, long limit) {
        var thrown = catchThrowable(() -> XmlRpc.parseCall(new ByteArrayInputStream(xml.getBytes(UTF_8)), limit));
        assertThat(thrown).isExactlyInstanceOf(MalformedException.class);
        return (MalformedException) thrown;
    }

    private static MalformedException refusedResponse(String xml) {
        var thrown = catchThrowable(() -> XmlRpc.parseResponse(new ByteArrayInputStream(xml.getBytes(UTF_8)), LIMIT));
        assertThat(thrown).isExactlyInstanceOf(MalformedException.class);
        return (MalformedException) thrown;
    }

    private static RpcResponse parseResponse(byte[] bytes) {
        return XmlRpc.parseResponse(new ByteArrayInputStream(bytes), LIMIT);
    }

    private static String response(Object value) {
        return new String(XmlRpc.responseBytes(value), UTF_8);
    }

    /** What writeResponse puts inside {@code <value>…</value>}. */
    private static String written(Object value) {
        var prefix = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodResponse><params><param><value>";
        var suffix = "</value></param></params></methodResponse>";
        var document = response(value);
        assertThat(document).startsWith(prefix).endsWith(suffix);
        return document.substring(prefix.length(), document.length() - suffix.length());
    }

    private static Object roundTrip(Object value) {
        var response = parseResponse(XmlRpc.responseBytes(value));
        assertThat(response).isInstanceOf(RpcResponse.Value.class);
        return ((RpcResponse.Value) response).value();
    }

    private static String nested(int depth) {
        return "<value><array><data>".repeat(depth - 1) + "<value><int>1</int></value>" + "</data></array></value>".repeat(depth - 1);
    }

    private static Document dom(byte[] xml) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setExpandEntityReferences(false);
        factory.setXIncludeAware(false);
        var builder = factory.newDocumentBuilder();
        builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
        return builder.parse(new ByteArrayInputStream(xml));
    }

    private static Arguments bad(String what, String input, int code) {
        return Arguments.of(what, input.getBytes(UTF_8), code);
    }

    private static Arguments bad(String what, byte[] input, int code) {
        return Arguments.of(what, input, code);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(UTF_8));
        return out.toByteArray();
    }

    /** A call whose one string never ends. */
    private static final class EndlessString extends InputStream {
        private final byte[] head = "<methodCall><methodName>m</methodName><params><param><value><string>".getBytes(UTF_8);
        long served;

        @Override
        public int read() {
            return served < head.length ? head[(int) served++] : (int) (served++ % 26) + 'a';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            for (var i = 0; i < length; i++) {
                buffer[offset + i] = (byte) read();
            }
            return length;
        }
    }
}
