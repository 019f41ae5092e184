package io.dossier.server.demo;

import io.dossier.core.access.AccessService;
import io.dossier.core.access.Caller;
import io.dossier.core.access.Permissions;
import io.dossier.core.access.Resource;
import io.dossier.core.access.Subject;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.metadata.Attribute;
import io.dossier.core.metadata.AttributeType;
import io.dossier.core.metadata.MetadataSchema;
import io.dossier.core.metadata.MetadataService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo tenant's LogicalDOC side: three templates (contract, invoice, personnel record), each
 * with an attribute set of its fields and preset options, two groups with grants on them, and an
 * archivist who logs in with a password or an API key.
 */
public final class DemoLogicalDoc {

    private DemoLogicalDoc() {
    }

    /**
     * Seeds them and answers the {@code "logicaldoc"} entry of demo-credentials.json.
     *
     * @param tenantSlug the archivist is {@code <tenantSlug>.archivist} (usernames are unique across tenants)
     */
    public static Map<String, Object> seed(IdentityService identities, MetadataService metadata, AccessService access, long tenantId,
                                           String tenantSlug, long adminUserId) {
        return seed(identities, metadata, access, tenantId, tenantSlug, adminUserId, io.dossier.core.identity.PasswordHasher.standard()::generate);
    }

    /** @param password the archivist's password, generated and hashed (perhaps ahead, on another thread) */
    public static Map<String, Object> seed(IdentityService identities, MetadataService metadata, AccessService access, long tenantId,
                                           String tenantSlug, long adminUserId,
                                           java.util.function.Supplier<io.dossier.core.identity.PasswordHasher.Hashed> password) {
        var seed = new Caller.Internal(tenantId, "demo seed");
        var archivist = identities.createUserHashed(tenantId, tenantSlug + ".archivist", "archivist@" + tenantSlug + ".example", "Demo Archivist", password);
        var apiKey = identities.createClient(tenantId, ClientKind.USER_API_KEY, "demo LogicalDOC client", archivist.user().id(), Set.of());
        var legal = identities.createGroup(tenantId, "Legal");
        var hr = identities.createGroup(tenantId, "HR");
        identities.addMember(tenantId, legal.id(), archivist.user().id());
        identities.addMember(tenantId, hr.id(), adminUserId);

        var contract = template(metadata, seed, "contract", "Contracts with customers and suppliers", List.of(
                preset("contractType", "Contract type", List.of("customer", "supplier", "employment", "lease")),
                text("party", "Party", true),
                new Attribute("startDate", "Start date", AttributeType.DATE, true, false, false, 2, false, List.of()),
                new Attribute("value", "Value", AttributeType.DOUBLE, false, false, false, 3, false, List.of())));
        var invoice = template(metadata, seed, "invoice", "Incoming and outgoing invoices", List.of(
                text("invoiceNumber", "Invoice number", true),
                preset("currency", "Currency", List.of("EUR", "USD", "GBP")),
                new Attribute("amount", "Amount", AttributeType.DOUBLE, true, false, false, 2, false, List.of()),
                new Attribute("paid", "Paid", AttributeType.BOOLEAN, false, false, false, 3, false, List.of())));
        var personnel = template(metadata, seed, "personnel record", "Documents of an employee's personal file", List.of(
                text("employeeNumber", "Employee number", true),
                preset("documentKind", "Kind", List.of("contract", "payslip", "appraisal", "certificate")),
                new Attribute("owner", "Employee", AttributeType.USER, false, false, false, 2, false, List.of())));

        var all = Permissions.ALL;
        var readWrite = new Permissions(2215);   // the publication's example A: read, download, write, immutable, rename, archive
        for (var template : List.of(contract, invoice, personnel)) {
            access.grant(seed, Resource.template(template), new Subject.User(adminUserId), all);
        }
        access.grant(seed, Resource.template(contract), new Subject.Group(legal.id()), readWrite);
        access.grant(seed, Resource.template(invoice), new Subject.User(archivist.user().id()), readWrite);
        access.grant(seed, Resource.template(personnel), new Subject.Group(hr.id()), all);

        var out = new LinkedHashMap<String, Object>();
        out.put("username", archivist.user().username());
        out.put("password", archivist.password());
        out.put("apiKey", apiKey.secret());
        out.put("soap", List.of("/logicaldoc/services/Auth?wsdl", "/logicaldoc/services/DocumentMetadata?wsdl"));
        out.put("rest", "/logicaldoc/services/rest/documentMetadata/listTemplates");
        return out;
    }

    /** A template and the attribute set of the same fields (set attributes carry their set's id in the template). */
    private static long template(MetadataService metadata, Caller seed, String name, String description, List<Attribute> attributes) {
        var set = metadata.create(seed, MetadataSchema.Kind.ATTRIBUTE_SET, name + " fields", null, description, attributes);
        var fromSet = attributes.stream().map(a -> new Attribute(a.name(), a.label(), a.type(), a.mandatory(), a.hidden(), a.multiple(),
                a.position(), a.preset(), a.options(), a.readonly(), a.parent(), set.id(), a.validation(), a.initialization(), a.dependsOn(),
                a.optionCategories())).toList();
        return metadata.create(seed, MetadataSchema.Kind.TEMPLATE, name, null, description, fromSet).id();
    }

    private static Attribute text(String name, String label, boolean mandatory) {
        return new Attribute(name, label, AttributeType.STRING, mandatory, false, false, 0, false, List.of());
    }

    private static Attribute preset(String name, String label, List<String> options) {
        return new Attribute(name, label, AttributeType.STRING, false, false, false, 1, true, options);
    }
}
