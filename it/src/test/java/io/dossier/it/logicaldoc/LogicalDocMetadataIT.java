package io.dossier.it.logicaldoc;

import static io.dossier.it.logicaldoc.LogicalDoc.attribute;
import static io.dossier.it.logicaldoc.LogicalDoc.child;
import static io.dossier.it.logicaldoc.LogicalDoc.children;
import static io.dossier.it.logicaldoc.LogicalDoc.elements;
import static io.dossier.it.logicaldoc.LogicalDoc.text;
import static io.dossier.it.logicaldoc.LogicalDoc.ws;
import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.access.Caller;
import io.dossier.it.support.TestServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The eighteen methods of document-metadata-webservice.txt over SOAP, each in a test named after its
 * section, with the publication's two permission examples (decoded as its errata say), the
 * methods of later LogicalDOC versions, the Auth service, and the rules (in use, grants, tenants).
 */
class LogicalDocMetadataIT {

    private static LogicalDoc ld;
    private static String sid;

    @BeforeAll
    static void tenant() {
        ld = LogicalDoc.newTenant(TestServer.shared());
        sid = ld.login();
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long contractSet() {
        return ld.storeSet(sid, ws("attributeSet", 0, name("contract-set"), "Contract fields",
                attribute("party", 0, 1, 0, "<label>Party</label><position>0</position>"),
                attribute("kind", 0, 0, 1, "<label>Kind</label><position>1</position>"),
                attribute("amount", 2, 0, 0, null)));
    }

    private static long template(String name) {
        return ld.storeTemplate(sid, ws("template", 0, name, "Contracts",
                attribute("party", 0, 1, 0, "<label>Party</label>"),
                attribute("signed", 3, 0, 0, null),
                attribute("pages", 1, 0, 0, null)));
    }

    @Test
    void method1_getAttributeSetById() {
        var setId = contractSet();
        var set = (Element) elements(ld.call("getAttributeSetById", sid, "<setId>" + setId + "</setId>"), "attributeSet").getFirst();
        assertThat(child(set, "id")).isEqualTo(Long.toString(setId));
        assertThat(child(set, "description")).isEqualTo("Contract fields");
        assertThat(child(set, "lastModified")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        var attributes = children(set, "attributes");
        assertThat(attributes).extracting(a -> child(a, "name")).containsExactly("party", "kind", "amount");
        var party = attributes.getFirst();
        assertThat(child(party, "type")).isEqualTo("0");
        assertThat(child(party, "mandatory")).isEqualTo("1");
        assertThat(child(party, "label")).isEqualTo("Party");
        assertThat(child(attributes.get(1), "editor")).isEqualTo("1");
        assertThat(child(attributes.get(2), "type")).isEqualTo("2");
        // properties in alphabetical order, as CXF writes them
        var names = new java.util.ArrayList<String>();
        for (var node = party.getFirstChild(); node != null; node = node.getNextSibling()) {
            names.add(node.getLocalName());
        }
        assertThat(names).isSorted();
        // unqualified children in a wrapper of http://ws.logicaldoc.com
        var wrapper = (Element) elements(ld.call("getAttributeSetById", sid, "<setId>" + setId + "</setId>"), "getAttributeSetByIdResponse").getFirst();
        assertThat(wrapper.getNamespaceURI()).isEqualTo("http://ws.logicaldoc.com");
        assertThat(((Element) wrapper.getFirstChild()).getNamespaceURI()).isNull();
    }

    @Test
    void method2_setAttributeOptions() {
        var setId = contractSet();
        ld.call("setAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>kind</attribute><values>lease</values><values>sale</values>");
        assertThat(elements(ld.call("getAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>kind</attribute>"), "return"))
                .extracting(Element::getTextContent).containsExactly("lease", "sale");
        var unknown = ld.callFault("setAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>nope</attribute><values>x</values>");
        assertThat(unknown[1]).contains("nope");
        var wrongType = ld.callFault("setAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>amount</attribute><values>lots</values>");
        assertThat(wrongType[0]).isEqualTo("soap:Client");
        assertThat(wrongType[1]).contains("amount");
    }

    @Test
    void method3_getAttributeOptions() {
        var setId = contractSet();
        assertThat(elements(ld.call("getAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>kind</attribute>"), "return")).isEmpty();
        ld.call("setAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>kind</attribute><values>rent</values>");
        assertThat(text(ld.call("getAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>kind</attribute>"), "return")).isEqualTo("rent");
    }

    @Test
    void method4_grantUserToTemplate() {
        var id = template(name("grant-user"));
        var reader = ld.newUser("reader");
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + ld.userId + "</userId><permissions>2097151</permissions>");
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + reader.userId + "</userId><permissions>1</permissions>");
        var readerSid = reader.login();
        assertThat(text(reader.call("isTemplateReadable", readerSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("true");
        assertThat(text(reader.call("isTemplateWritable", readerSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("false");
        // the reader lacks Security: it cannot grant, not even to itself
        var refused = reader.callFault("grantUserToTemplate", readerSid, "<templateId>" + id + "</templateId><userId>" + reader.userId
                + "</userId><permissions>2097151</permissions>");
        assertThat(refused[0]).isEqualTo("soap:Server");
        assertThat(refused[1]).contains("security");
        // 0 removes the grant
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + reader.userId + "</userId><permissions>0</permissions>");
        assertThat(text(reader.call("isTemplateReadable", readerSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("false");
        // a mask beyond the 21 bits is bad input
        assertThat(ld.callFault("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + reader.userId
                + "</userId><permissions>4194304</permissions>")[0]).isEqualTo("soap:Client");
    }

    @Test
    void method5_grantGroupToTemplate() {
        var id = template(name("grant-group"));
        var member = ld.newUser("member");
        var readers = ld.newGroup("readers", member.userId);
        var writers = ld.newGroup("writers", member.userId);
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + ld.userId + "</userId><permissions>2097151</permissions>");
        ld.call("grantGroupToTemplate", sid, "<templateId>" + id + "</templateId><groupId>" + readers + "</groupId><permissions>1</permissions>");
        var memberSid = member.login();
        assertThat(text(member.call("isTemplateWritable", memberSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("false");
        ld.call("grantGroupToTemplate", sid, "<templateId>" + id + "</templateId><groupId>" + writers + "</groupId><permissions>4</permissions>");
        // the union of the member's groups: read from one, write from the other
        assertThat(text(member.call("isTemplateReadable", memberSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("true");
        assertThat(text(member.call("isTemplateWritable", memberSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("true");
    }

    /** Example B of the publication: 6421 for a group, decoded as the errata say (Read, Write, Security, Import, Archive, Workflow). */
    @Test
    void method6_getGrantedGroups() {
        var id = template(name("granted-groups"));
        var group = ld.newGroup("archivists");
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + ld.userId + "</userId><permissions>2097151</permissions>");
        ld.call("grantGroupToTemplate", sid, "<templateId>" + id + "</templateId><groupId>" + group + "</groupId><permissions>6421</permissions>");
        var rights = elements(ld.call("getGrantedGroups", sid, "<templateId>" + id + "</templateId>"), "return");
        assertThat(rights).hasSize(1);
        assertThat(child(rights.getFirst(), "id")).isEqualTo(Long.toString(group));
        assertThat(child(rights.getFirst(), "permissions")).isEqualTo("6421");
        var acl = elements(ld.call("getAccessControlList", sid, "<templateId>" + id + "</templateId>"), "return").stream()
                .filter(e -> child(e, "groupId") != null).findFirst().orElseThrow();
        assertThat(granted(acl)).containsExactlyInAnyOrder("read", "write", "security", "import", "archive", "workflow");
    }

    /** Example A of the publication: 2215 for a user, decoded as the errata say (Read, Download, Write, Immutable, Rename, Archive). */
    @Test
    void method7_getGrantedUsers() {
        var id = template(name("granted-users"));
        var user = ld.newUser("signer");
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + ld.userId + "</userId><permissions>2097151</permissions>");
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + user.userId + "</userId><permissions>2215</permissions>");
        var rights = elements(ld.call("getGrantedUsers", sid, "<templateId>" + id + "</templateId>"), "return");
        assertThat(rights).extracting(r -> child(r, "id") + ":" + child(r, "permissions"))
                .containsExactly(ld.userId + ":2097151", user.userId + ":2215");
        var acl = elements(ld.call("getAccessControlList", sid, "<templateId>" + id + "</templateId>"), "return").stream()
                .filter(e -> Long.toString(user.userId).equals(child(e, "userId"))).findFirst().orElseThrow();
        assertThat(granted(acl)).containsExactlyInAnyOrder("read", "download", "write", "immutable", "rename", "archive");
    }

    private static List<String> granted(Element entry) {
        var out = new java.util.ArrayList<String>();
        for (var node = entry.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && !e.getLocalName().endsWith("Id") && e.getTextContent().equals("1")) {
                out.add(e.getLocalName());
            }
        }
        return out;
    }

    @Test
    void method8_deleteTemplate() {
        var free = template(name("free"));
        ld.call("deleteTemplate", sid, "<templateId>" + free + "</templateId>");
        assertThat(ld.callFault("getTemplateById", sid, "<templateId>" + free + "</templateId>")[1]).contains("no template");
        // a template that describes a document cannot go
        var used = template(name("used"));
        var dossier = ld.server.server().dossier();
        dossier.metadata().describe(new Caller.Internal(ld.tenantId, "test"), "document:" + UUID.randomUUID(), used,
                Map.of("party", List.of("ACME")));
        var refused = ld.callFault("deleteTemplate", sid, "<templateId>" + used + "</templateId>");
        assertThat(refused[1]).contains("in use");
        assertThat(child((Element) elements(ld.call("getTemplateById", sid, "<templateId>" + used + "</templateId>"), "template").getFirst(),
                "docsCount")).isEqualTo("1");
    }

    @Test
    void method9_storeTemplate() {
        var name = name("invoice");
        var id = template(name);
        assertThat(id).isPositive();
        // an update (id given) replaces name, description and attributes
        var same = ld.storeTemplate(sid, ws("template", id, name + "-v2", "Invoices", attribute("number", 0, 1, 0, null)));
        assertThat(same).isEqualTo(id);
        var template = (Element) elements(ld.call("getTemplateById", sid, "<templateId>" + id + "</templateId>"), "template").getFirst();
        assertThat(child(template, "name")).isEqualTo(name + "-v2");
        assertThat(children(template, "attributes")).extracting(a -> child(a, "name")).containsExactly("number");
        // a duplicate name in the tenant, a wrong type, a type out of range: faults naming what is wrong
        assertThat(ld.fault("DocumentMetadata", "storeTemplate", "<ws:storeTemplate><sid>" + sid + "</sid>"
                + ws("template", 0, name + "-v2", null) + "</ws:storeTemplate>")[1]).contains(name + "-v2");
        var badType = ld.fault("DocumentMetadata", "storeTemplate", "<ws:storeTemplate><sid>" + sid + "</sid>"
                + ws("template", 0, name("x"), null, attribute("weird", 9, 0, 0, null)) + "</ws:storeTemplate>");
        assertThat(badType[0]).isEqualTo("soap:Client");
        assertThat(badType[1]).contains("weird");
        var badFlag = ld.fault("DocumentMetadata", "storeTemplate", "<ws:storeTemplate><sid>" + sid + "</sid>"
                + ws("template", 0, name("x"), null, attribute("flagged", 0, 7, 0, null)) + "</ws:storeTemplate>");
        assertThat(badFlag[1]).contains("flagged").contains("mandatory");
    }

    @Test
    void method10_storeAttributeSet() {
        var setId = contractSet();
        ld.call("setAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>kind</attribute><values>lease</values>");
        var name = name("renamed");
        assertThat(ld.storeSet(sid, ws("attributeSet", setId, name, null, attribute("kind", 0, 0, 1, null),
                attribute("extra", 5, 0, 0, "<readonly>1</readonly><parent>kind</parent><validation>v</validation><dependsOn>kind</dependsOn>"))))
                .isEqualTo(setId);
        var set = (Element) elements(ld.call("getAttributeSet", sid, "<name>" + name + "</name>"), "attributeSet").getFirst();
        var extra = children(set, "attributes").get(1);
        assertThat(child(extra, "readonly")).isEqualTo("1");
        assertThat(child(extra, "parent")).isEqualTo("kind");
        assertThat(child(extra, "validation")).isEqualTo("v");
        assertThat(child(extra, "dependsOn")).isEqualTo("kind");
        // storing keeps an attribute's options (a WSAttribute does not carry them)
        assertThat(text(ld.call("getAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>kind</attribute>"), "return")).isEqualTo("lease");
        // a template attribute taken from the set brings the set's options along
        var templateId = ld.storeTemplate(sid, ws("template", 0, name("from-set"), null, attribute("kind", 0, 0, 1, "<setId>" + setId + "</setId>")));
        assertThat(text(ld.call("getAttributeOptions", sid, "<setId>" + templateId + "</setId><attribute>kind</attribute>"), "return"))
                .isEqualTo("lease");
    }

    @Test
    void method11_getTemplateById() {
        var name = name("by-id");
        var id = template(name);
        var template = (Element) elements(ld.call("getTemplateById", sid, "<templateId>" + id + "</templateId>"), "template").getFirst();
        assertThat(child(template, "id")).isEqualTo(Long.toString(id));
        assertThat(child(template, "name")).isEqualTo(name);
        assertThat(child(template, "docsCount")).isEqualTo("0");
        assertThat(child(template, "lastModified")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(children(template, "attributes")).extracting(a -> child(a, "type")).containsExactly("0", "3", "1");
        // an attribute set's id is no template
        assertThat(ld.callFault("getTemplateById", sid, "<templateId>" + contractSet() + "</templateId>")[1]).contains("no template");
        assertThat(ld.callFault("getTemplateById", sid, "<templateId>abc</templateId>")[0]).isEqualTo("soap:Client");
    }

    @Test
    void method12_deleteAttributeSet() {
        var setId = contractSet();
        ld.call("deleteAttributeSet", sid, "<setId>" + setId + "</setId>");
        assertThat(ld.callFault("getAttributeSetById", sid, "<setId>" + setId + "</setId>")[1]).contains("no attribute set");
    }

    @Test
    void method13_isTemplateReadable() {
        var id = template(name("readable"));
        // without grants a template is open to the tenant's users
        assertThat(text(ld.call("isTemplateReadable", sid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("true");
        var other = ld.newUser("other");
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + ld.userId + "</userId><permissions>1</permissions>");
        var otherSid = other.login();
        assertThat(text(other.call("isTemplateReadable", otherSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("false");
        assertThat(text(other.call("isReadable", otherSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("false");
        assertThat(other.callFault("getTemplateById", otherSid, "<templateId>" + id + "</templateId>")[1]).contains("permission");
        assertThat(elements(other.call("listTemplates", otherSid, ""), "id")).extracting(Element::getTextContent)
                .doesNotContain(Long.toString(id));
    }

    @Test
    void method14_getTemplate() {
        var name = name("by-name");
        var id = template(name);
        assertThat(text(ld.call("getTemplate", sid, "<name>" + name + "</name>"), "id")).isEqualTo(Long.toString(id));
        assertThat(ld.callFault("getTemplate", sid, "<name>missing-" + name + "</name>")[1]).contains("missing-" + name);
    }

    @Test
    void method15_listAttributeSets() {
        var a = contractSet();
        var b = contractSet();
        var sets = elements(ld.call("listAttributeSets", sid, ""), "attributeSet");
        assertThat(sets).extracting(s -> child(s, "id")).contains(Long.toString(a), Long.toString(b));
    }

    @Test
    void method16_listTemplates() {
        var a = template(name("list-a"));
        var b = template(name("list-b"));
        var templates = elements(ld.call("listTemplates", sid, ""), "template");
        assertThat(templates).extracting(t -> child(t, "id")).contains(Long.toString(a), Long.toString(b));
        assertThat(templates).allSatisfy(t -> assertThat(child(t, "docsCount")).isNotNull());
    }

    @Test
    void method17_getAttributeSet() {
        var setId = contractSet();
        var name = child((Element) elements(ld.call("getAttributeSetById", sid, "<setId>" + setId + "</setId>"), "attributeSet").getFirst(), "name");
        assertThat(text(ld.call("getAttributeSet", sid, "<name>" + name + "</name>"), "id")).isEqualTo(Long.toString(setId));
    }

    @Test
    void method18_isTemplateWritable() {
        var id = template(name("writable"));
        assertThat(text(ld.call("isTemplateWritable", sid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("true");
        var reader = ld.newUser("ro");
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + ld.userId + "</userId><permissions>2097151</permissions>");
        ld.call("grantUserToTemplate", sid, "<templateId>" + id + "</templateId><userId>" + reader.userId + "</userId><permissions>1</permissions>");
        var readerSid = reader.login();
        assertThat(text(reader.call("isTemplateWritable", readerSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("false");
        assertThat(text(reader.call("isWritable", readerSid, "<templateId>" + id + "</templateId>"), "return")).isEqualTo("false");
        // and a write is refused, leaving the template as it was
        var refused = reader.fault("DocumentMetadata", "storeTemplate", "<ws:storeTemplate><sid>" + readerSid + "</sid>"
                + ws("template", id, "hijacked", null) + "</ws:storeTemplate>");
        assertThat(refused[1]).contains("permission");
        assertThat(child((Element) elements(ld.call("getTemplateById", sid, "<templateId>" + id + "</templateId>"), "template").getFirst(),
                "name")).startsWith("writable-");
    }

    @Test
    void laterVersions_optionsWithCategories() {
        var setId = contractSet();
        ld.call("addAttributeOption", sid, "<setId>" + setId + "</setId><attribute>kind</attribute><option><category>short</category><value>lease</value></option>");
        ld.call("addAttributeOption", sid, "<setId>" + setId + "</setId><attribute>kind</attribute><option><value>sale</value></option>");
        var options = elements(ld.call("getAttributeOptionsByCategory", sid, "<setId>" + setId + "</setId><attribute>kind</attribute><category>short</category>"),
                "return");
        assertThat(options).extracting(o -> child(o, "value") + "/" + child(o, "category")).containsExactly("lease/short");
        assertThat(elements(ld.call("getAttributeOptions", sid, "<setId>" + setId + "</setId><attribute>kind</attribute>"), "return"))
                .extracting(Element::getTextContent).containsExactly("lease", "sale");
    }

    @Test
    void laterVersions_accessControlList() {
        var id = template(name("acl"));
        var user = ld.newUser("acl");
        var group = ld.newGroup("acl");
        ld.call("setAccessControlList", sid, "<templateId>" + id + "</templateId>"
                + "<acl><userId>" + ld.userId + "</userId><read>1</read><security>1</security><write>1</write></acl>"
                + "<acl><userId>" + user.userId + "</userId><read>1</read><download>1</download></acl>"
                + "<acl><groupId>" + group + "</groupId><read>1</read><write>1</write></acl>");
        assertThat(elements(ld.call("getGrantedUsers", sid, "<templateId>" + id + "</templateId>"), "return"))
                .extracting(r -> child(r, "id") + ":" + child(r, "permissions")).containsExactly(ld.userId + ":21", user.userId + ":3");
        assertThat(text(ld.call("getGrantedGroups", sid, "<templateId>" + id + "</templateId>"), "permissions")).isEqualTo("5");
        // the list replaces the grants: the user and group left out lose theirs
        ld.call("setAccessControlList", sid, "<templateId>" + id + "</templateId>"
                + "<acl><userId>" + ld.userId + "</userId><read>1</read><security>1</security></acl>");
        assertThat(elements(ld.call("getAccessControlList", sid, "<templateId>" + id + "</templateId>"), "return")).hasSize(1);
    }

    @Test
    void auth_loginValidRenewLogout() {
        var session = ld.login();
        assertThat(text(ld.soap("Auth", "valid", "<ws:valid><sid>" + session + "</sid></ws:valid>"), "return")).isEqualTo("true");
        ld.soap("Auth", "renew", "<ws:renew><sid>" + session + "</sid></ws:renew>");
        ld.soap("Auth", "logout", "<ws:logout><sid>" + session + "</sid></ws:logout>");
        assertThat(text(ld.soap("Auth", "valid", "<ws:valid><sid>" + session + "</sid></ws:valid>"), "return")).isEqualTo("false");
        assertThat(ld.callFault("listTemplates", session, "")[1]).isEqualTo("Invalid session " + session);
        assertThat(ld.fault("Auth", "login", "<ws:login><username>" + ld.username + "</username><password>wrong</password></ws:login>")[1])
                .contains("wrong username or password");
        var keySid = text(ld.soap("Auth", "loginApiKey", "<ws:loginApiKey><apiKey>" + ld.apiKey + "</apiKey></ws:loginApiKey>"), "return");
        assertThat(elements(ld.call("listTemplates", keySid, ""), "listTemplatesResponse")).hasSize(1);
    }

    @Test
    void tenants_anotherTenantsSessionReachesNothing() {
        var name = name("secret");
        var id = template(name);
        var setId = contractSet();
        var other = LogicalDoc.newTenant(ld.server);
        var otherSid = other.login();
        assertThat(other.callFault("getTemplateById", otherSid, "<templateId>" + id + "</templateId>")[1]).contains("no template");
        assertThat(other.callFault("getTemplate", otherSid, "<name>" + name + "</name>")[1]).contains("no template");
        assertThat(elements(other.call("listTemplates", otherSid, ""), "template")).isEmpty();
        assertThat(elements(other.call("listAttributeSets", otherSid, ""), "attributeSet")).isEmpty();
        assertThat(other.callFault("getAttributeSetById", otherSid, "<setId>" + setId + "</setId>")[1]).contains("no attribute set");
        assertThat(other.callFault("deleteTemplate", otherSid, "<templateId>" + id + "</templateId>")[1]).contains("no template");
        assertThat(other.callFault("grantUserToTemplate", otherSid, "<templateId>" + id + "</templateId><userId>" + other.userId
                + "</userId><permissions>1</permissions>")[1]).contains("no template");
        assertThat(other.fault("DocumentMetadata", "storeTemplate", "<ws:storeTemplate><sid>" + otherSid + "</sid>"
                + ws("template", id, "taken", null) + "</ws:storeTemplate>")[1]).contains("no template");
        assertThat(other.callFault("setAttributeOptions", otherSid, "<setId>" + setId + "</setId><attribute>kind</attribute><values>x</values>")[1])
                .contains("attribute set " + setId);
        // nor can a tenant grant one of its templates to another tenant's user
        var own = other.storeTemplate(otherSid, ws("template", 0, name("own"), null));
        assertThat(other.callFault("grantUserToTemplate", otherSid, "<templateId>" + own + "</templateId><userId>" + ld.userId
                + "</userId><permissions>1</permissions>")[1]).contains("no user");
        // the same name is free in another tenant
        assertThat(other.storeTemplate(otherSid, ws("template", 0, name, null))).isPositive();
        assertThat(child((Element) elements(ld.call("getTemplateById", sid, "<templateId>" + id + "</templateId>"), "template").getFirst(),
                "name")).isEqualTo(name);
    }
}
