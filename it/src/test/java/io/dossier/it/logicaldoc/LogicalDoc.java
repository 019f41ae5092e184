package io.dossier.it.logicaldoc;

import io.dossier.core.identity.ClientKind;
import io.dossier.it.support.Http;
import io.dossier.it.support.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** A tenant with a user (and an API key) speaking LogicalDOC's SOAP and REST to a test server. */
final class LogicalDoc {

    static final String ENVELOPE = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
            + "xmlns:ws=\"http://ws.logicaldoc.com\"><soapenv:Header/><soapenv:Body>%s</soapenv:Body></soapenv:Envelope>";

    final TestServer server;
    final long tenantId;
    final long userId;
    final String username;
    final String password;
    final String apiKey;

    private LogicalDoc(TestServer server, long tenantId, long userId, String username, String password, String apiKey) {
        this.server = server;
        this.tenantId = tenantId;
        this.userId = userId;
        this.username = username;
        this.password = password;
        this.apiKey = apiKey;
    }

    static LogicalDoc newTenant(TestServer server) {
        var dossier = server.server().dossier();
        var slug = "ld-" + UUID.randomUUID().toString().substring(0, 8);
        var tenant = dossier.tenants().create(slug, "Archive " + slug, List.of("en"), "en");
        var user = dossier.identities().createUser(tenant.id(), slug + ".admin", slug + "@example.com", "Admin " + slug, null);
        var key = dossier.identities().createClient(tenant.id(), ClientKind.USER_API_KEY, "ld", user.user().id(), Set.of());
        return new LogicalDoc(server, tenant.id(), user.user().id(), user.user().username(), user.password(), key.secret());
    }

    /** Another user of this tenant: [id, username, password]. */
    LogicalDoc newUser(String name) {
        var dossier = server.server().dossier();
        var user = dossier.identities().createUser(tenantId, name + "-" + UUID.randomUUID().toString().substring(0, 6), null, name, null);
        return new LogicalDoc(server, tenantId, user.user().id(), user.user().username(), user.password(), null);
    }

    long newGroup(String name, long... members) {
        var dossier = server.server().dossier();
        var group = dossier.identities().createGroup(tenantId, name + "-" + UUID.randomUUID().toString().substring(0, 6));
        for (var member : members) {
            dossier.identities().addMember(tenantId, group.id(), member);
        }
        return group.id();
    }

    String login() {
        var reply = soap("Auth", "login", "<ws:login><username>" + username + "</username><password>" + xml(password)
                + "</password></ws:login>");
        return text(reply, "return");
    }

    Http http() {
        return server.http();
    }

    String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Posts the envelope around {@code body} with SOAPAction = the operation; the answer must be 200. */
    Document soap(String service, String operation, String body) {
        var response = post(service, "\"" + operation + "\"", ENVELOPE.formatted(body));
        if (response.status() != 200) {
            throw new AssertionError(operation + " answered " + response.status() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** The fault of a call that must fail: [faultcode, faultstring]; the HTTP status is 500 for every fault, as SOAP 1.1 and CXF have it. */
    String[] fault(String service, String operation, String body) {
        return faultOf(post(service, "\"" + operation + "\"", ENVELOPE.formatted(body)));
    }

    static String[] faultOf(Http.Response response) {
        if (response.status() != 500) {
            throw new AssertionError("expected a fault, got " + response.status() + ": " + response.body());
        }
        var doc = parse(response.body());
        return new String[]{text(doc, "faultcode"), text(doc, "faultstring")};
    }

    Http.Response post(String service, String soapAction, String envelope) {
        var request = http().builder("/logicaldoc/services/" + service).header("Content-Type", "text/xml;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(envelope));
        if (soapAction != null) {
            request.header("SOAPAction", soapAction);
        }
        return http().send(request);
    }

    static Document parse(String xml) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not XML: " + xml, e);
        }
    }

    /** The text of the first element with this local name, or null. */
    static String text(Node doc, String localName) {
        var found = elements(doc, localName);
        return found.isEmpty() ? null : found.getFirst().getTextContent();
    }

    /** The elements with this local name under {@code node}, children of the response wrapper or deeper. */
    static List<Element> elements(Node node, String localName) {
        var list = node instanceof Document d ? d.getElementsByTagNameNS("*", localName) : ((Element) node).getElementsByTagNameNS("*", localName);
        var out = new ArrayList<Element>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    /** The direct children of {@code parent} with this local name. */
    static List<Element> children(Element parent, String localName) {
        var out = new ArrayList<Element>();
        for (var child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    static String child(Element parent, String localName) {
        var found = children(parent, localName);
        return found.isEmpty() ? null : found.getFirst().getTextContent();
    }

    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A WSTemplate (or WSAttributeSet) element named {@code element}: id, name, description and attributes. */
    static String ws(String element, long id, String name, String description, String... attributes) {
        return "<" + element + "><id>" + id + "</id><name>" + xml(name) + "</name>"
                + (description == null ? "" : "<description>" + xml(description) + "</description>")
                + String.join("", attributes) + "</" + element + ">";
    }

    /** A WSAttribute. */
    static String attribute(String name, int type, int mandatory, int editor, String more) {
        return "<attributes><name>" + name + "</name><type>" + type + "</type><mandatory>" + mandatory + "</mandatory><hidden>0</hidden>"
                + "<editor>" + editor + "</editor><multiple>0</multiple>" + (more == null ? "" : more) + "</attributes>";
    }

    long storeTemplate(String sid, String template) {
        return Long.parseLong(text(soap("DocumentMetadata", "storeTemplate", "<ws:storeTemplate><sid>" + sid + "</sid>" + template
                + "</ws:storeTemplate>"), "templateId"));
    }

    long storeSet(String sid, String set) {
        return Long.parseLong(text(soap("DocumentMetadata", "storeAttributeSet", "<ws:storeAttributeSet><sid>" + sid + "</sid>" + set
                + "</ws:storeAttributeSet>"), "setId"));
    }

    Document call(String operation, String sid, String arguments) {
        return soap("DocumentMetadata", operation, "<ws:" + operation + "><sid>" + sid + "</sid>" + arguments + "</ws:" + operation + ">");
    }

    String[] callFault(String operation, String sid, String arguments) {
        return fault("DocumentMetadata", operation, "<ws:" + operation + "><sid>" + sid + "</sid>" + arguments + "</ws:" + operation + ">");
    }
}
