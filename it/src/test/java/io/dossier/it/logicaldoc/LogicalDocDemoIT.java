package io.dossier.it.logicaldoc;

import static io.dossier.it.logicaldoc.LogicalDoc.child;
import static io.dossier.it.logicaldoc.LogicalDoc.elements;
import static io.dossier.it.logicaldoc.LogicalDoc.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.TestServer;
import io.dossier.server.demo.DemoLogicalDoc;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The demo tenant's LogicalDOC seed: its archivist logs in and finds the three templates, their options and grants. */
class LogicalDocDemoIT {

    @Test
    void theArchivistSeesTheDemoTemplates() {
        var server = TestServer.shared();
        var dossier = server.server().dossier();
        var slug = "ld-demo-" + UUID.randomUUID().toString().substring(0, 8);
        var tenant = dossier.tenants().create(slug, "Demo " + slug, List.of("en"), "en");
        var admin = dossier.identities().createUser(tenant.id(), slug + ".admin", null, "Admin", null);
        var credentials = DemoLogicalDoc.seed(dossier.identities(), dossier.metadata(), dossier.access(), tenant.id(), slug, admin.user().id());
        assertThat(credentials).containsKeys("username", "password", "apiKey");

        var ld = LogicalDoc.newTenant(server);   // only for its HTTP helpers
        var login = ld.soap("Auth", "login", "<ws:login><username>" + credentials.get("username") + "</username><password>"
                + LogicalDoc.xml((String) credentials.get("password")) + "</password></ws:login>");
        var sid = text(login, "return");
        // the archivist holds grants on the contract (through Legal) and the invoice; the personnel record is HR's
        var names = elements(ld.call("listTemplates", sid, ""), "template").stream().map(t -> child(t, "name")).toList();
        assertThat(names).containsExactlyInAnyOrder("contract", "invoice");
        var contract = (Element) elements(ld.call("getTemplate", sid, "<name>contract</name>"), "template").getFirst();
        var contractType = LogicalDoc.children(contract, "attributes").stream().filter(a -> "contractType".equals(child(a, "name"))).findFirst().orElseThrow();
        assertThat(child(contractType, "editor")).isEqualTo("1");
        var options = elements(ld.call("getAttributeOptions", sid, "<setId>" + child(contract, "id") + "</setId><attribute>contractType</attribute>"), "return");
        assertThat(options).extracting(Element::getTextContent).contains("customer", "supplier");
        assertThat(elements(ld.call("listAttributeSets", sid, ""), "attributeSet")).hasSize(3);

        var keySid = text(ld.soap("Auth", "loginApiKey", "<ws:loginApiKey><apiKey>" + credentials.get("apiKey") + "</apiKey></ws:loginApiKey>"), "return");
        assertThat(text(ld.call("isTemplateWritable", keySid, "<templateId>" + child(contract, "id") + "</templateId>"), "return")).isEqualTo("true");
    }
}
