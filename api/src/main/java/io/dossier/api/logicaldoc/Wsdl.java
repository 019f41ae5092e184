package io.dossier.api.logicaldoc;

import io.dossier.core.access.Permission;
import java.util.List;
import java.util.TreeMap;

/**
 * The WSDL documents of the two SOAP services, shaped as Apache CXF generates LogicalDOC's: a root
 * document in the endpoint namespace with the binding and the service (its address is the URL the
 * client used), importing the portType document ({@code ?wsdl=<PortType>.wsdl}) that holds the
 * schema, the messages and the operations in {@code http://ws.logicaldoc.com}. Document/literal
 * wrapped; child elements unqualified; properties of the complex types in alphabetical order.
 */
final class Wsdl {

    static final String ENDPOINT_NS = "http://endpoint.soap.webservice.logicaldoc.com/";

    /** A parameter or result element: its name, its XSD type ({@code xs:…} or {@code tns:…}), and whether it repeats. */
    record Part(String name, String type, boolean many) {
    }

    record Operation(String name, List<Part> in, Part out) {
    }

    /** One SOAP service: CXF's names for it and its operations. */
    record Service(String portType, String serviceName, List<Operation> operations) {
        String binding() {
            return serviceName + "SoapBinding";
        }

        String port() {
            return serviceName.substring(0, serviceName.length() - "Service".length()) + "Port";
        }
    }

    private static Part p(String name, String type) {
        return new Part(name, type, false);
    }

    private static Part many(String name, String type) {
        return new Part(name, type, true);
    }

    private static final Part SID = p("sid", "xs:string");
    private static final Part TEMPLATE_ID = p("templateId", "xs:long");
    private static final Part SET_ID = p("setId", "xs:long");

    private static Operation op(String name, Part out, Part... in) {
        return new Operation(name, List.of(in), out);
    }

    static final Service DOCUMENT_METADATA = new Service("DocumentMetadata", "SoapDocumentMetadataServiceService", List.of(
            op("getAttributeSetById", p("attributeSet", "tns:WSAttributeSet"), SID, SET_ID),
            op("setAttributeOptions", null, SID, SET_ID, p("attribute", "xs:string"), many("values", "xs:string")),
            op("getAttributeOptions", many("return", "xs:string"), SID, SET_ID, p("attribute", "xs:string")),
            op("grantUserToTemplate", null, SID, TEMPLATE_ID, p("userId", "xs:long"), p("permissions", "xs:int")),
            op("grantGroupToTemplate", null, SID, TEMPLATE_ID, p("groupId", "xs:long"), p("permissions", "xs:int")),
            op("getGrantedGroups", many("return", "tns:WSRight"), SID, TEMPLATE_ID),
            op("getGrantedUsers", many("return", "tns:WSRight"), SID, TEMPLATE_ID),
            op("deleteTemplate", null, SID, TEMPLATE_ID),
            op("storeTemplate", p("templateId", "xs:long"), SID, p("template", "tns:WSTemplate")),
            op("storeAttributeSet", p("setId", "xs:long"), SID, p("attributeSet", "tns:WSAttributeSet")),
            op("getTemplateById", p("template", "tns:WSTemplate"), SID, TEMPLATE_ID),
            op("deleteAttributeSet", null, SID, SET_ID),
            op("isTemplateReadable", p("return", "xs:boolean"), SID, TEMPLATE_ID),
            op("getTemplate", p("template", "tns:WSTemplate"), SID, p("name", "xs:string")),
            op("listAttributeSets", many("attributeSet", "tns:WSAttributeSet"), SID),
            op("listTemplates", many("template", "tns:WSTemplate"), SID),
            op("getAttributeSet", p("attributeSet", "tns:WSAttributeSet"), SID, p("name", "xs:string")),
            op("isTemplateWritable", p("return", "xs:boolean"), SID, TEMPLATE_ID),
            op("addAttributeOption", null, SID, SET_ID, p("attribute", "xs:string"), p("option", "tns:WSAttributeOption")),
            op("getAttributeOptionsByCategory", many("return", "tns:WSAttributeOption"), SID, SET_ID, p("attribute", "xs:string"),
                    p("category", "xs:string")),
            op("isReadable", p("return", "xs:boolean"), SID, TEMPLATE_ID),
            op("isWritable", p("return", "xs:boolean"), SID, TEMPLATE_ID),
            op("setAccessControlList", null, SID, TEMPLATE_ID, many("acl", "tns:WSAccessControlEntry")),
            op("getAccessControlList", many("return", "tns:WSAccessControlEntry"), SID, TEMPLATE_ID)));

    static final Service AUTH = new Service("Auth", "SoapAuthServiceService", List.of(
            op("login", p("return", "xs:string"), p("username", "xs:string"), p("password", "xs:string")),
            op("loginApiKey", p("return", "xs:string"), p("apiKey", "xs:string")),
            op("logout", null, SID),
            op("valid", p("return", "xs:boolean"), SID),
            op("renew", null, SID)));

    /** The complex types of the Document Metadata service, each with its properties (sorted when written). */
    private static TreeMap<String, TreeMap<String, Part>> types() {
        var types = new TreeMap<String, TreeMap<String, Part>>();
        var attribute = new TreeMap<String, Part>();
        for (var text : List.of("dateValue", "dependsOn", "initialization", "label", "name", "parent", "stringValue", "stringValues",
                "validation")) {
            attribute.put(text, p(text, "xs:string"));
        }
        for (var number : List.of("editor", "hidden", "mandatory", "multiple", "position", "readonly", "type")) {
            attribute.put(number, p(number, "xs:int"));
        }
        attribute.put("doubleValue", p("doubleValue", "xs:double"));
        attribute.put("intValue", p("intValue", "xs:long"));
        attribute.put("setId", p("setId", "xs:long"));
        types.put("WSAttribute", attribute);
        var set = new TreeMap<String, Part>();
        set.put("attributes", many("attributes", "tns:WSAttribute"));
        set.put("description", p("description", "xs:string"));
        set.put("id", p("id", "xs:long"));
        set.put("lastModified", p("lastModified", "xs:string"));
        set.put("name", p("name", "xs:string"));
        types.put("WSAttributeSet", set);
        var template = new TreeMap<>(set);
        template.put("docsCount", p("docsCount", "xs:int"));
        types.put("WSTemplate", template);
        var right = new TreeMap<String, Part>();
        right.put("id", p("id", "xs:long"));
        right.put("permissions", p("permissions", "xs:int"));
        types.put("WSRight", right);
        var option = new TreeMap<String, Part>();
        option.put("category", p("category", "xs:string"));
        option.put("value", p("value", "xs:string"));
        types.put("WSAttributeOption", option);
        var acl = new TreeMap<String, Part>();
        acl.put("groupId", p("groupId", "xs:long"));
        acl.put("userId", p("userId", "xs:long"));
        for (var permission : Permission.values()) {
            var flag = MetadataMethods.flagName(permission);
            acl.put(flag, p(flag, "xs:int"));
        }
        types.put("WSAccessControlEntry", acl);
        return types;
    }

    /** The root document: binding and service, its address {@code endpoint}. */
    static String root(Service service, String endpoint) {
        var out = new StringBuilder(8192);
        out.append("<?xml version='1.0' encoding='UTF-8'?><wsdl:definitions xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" ")
                .append("xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" xmlns:tns=\"").append(ENDPOINT_NS).append("\" ")
                .append("xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\" xmlns:ns1=\"").append(Soap.WS_NS).append("\" ")
                .append("name=\"").append(service.serviceName()).append("\" targetNamespace=\"").append(ENDPOINT_NS).append("\">\n")
                .append("  <wsdl:import location=\"").append(Soap.escape(endpoint)).append("?wsdl=").append(service.portType())
                .append(".wsdl\" namespace=\"").append(Soap.WS_NS).append("\">\n    </wsdl:import>\n")
                .append("  <wsdl:binding name=\"").append(service.binding()).append("\" type=\"ns1:").append(service.portType()).append("\">\n")
                .append("    <soap:binding style=\"document\" transport=\"http://schemas.xmlsoap.org/soap/http\"/>\n");
        for (var operation : service.operations()) {
            out.append("    <wsdl:operation name=\"").append(operation.name()).append("\">\n")
                    .append("      <soap:operation soapAction=\"").append(operation.name()).append("\" style=\"document\"/>\n")
                    .append("      <wsdl:input name=\"").append(operation.name()).append("\">\n        <soap:body use=\"literal\"/>\n      </wsdl:input>\n")
                    .append("      <wsdl:output name=\"").append(operation.name()).append("Response\">\n        <soap:body use=\"literal\"/>\n      </wsdl:output>\n")
                    .append("    </wsdl:operation>\n");
        }
        out.append("  </wsdl:binding>\n  <wsdl:service name=\"").append(service.serviceName()).append("\">\n")
                .append("    <wsdl:port binding=\"tns:").append(service.binding()).append("\" name=\"").append(service.port()).append("\">\n")
                .append("      <soap:address location=\"").append(Soap.escape(endpoint)).append("\"/>\n    </wsdl:port>\n  </wsdl:service>\n")
                .append("</wsdl:definitions>");
        return out.toString();
    }

    /** The imported document: schema, messages and portType. */
    static String portType(Service service) {
        var out = new StringBuilder(16384);
        out.append("<?xml version='1.0' encoding='UTF-8'?><wsdl:definitions xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" ")
                .append("xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" xmlns:ns1=\"").append(Soap.WS_NS).append("\" ")
                .append("name=\"").append(service.portType()).append("\" targetNamespace=\"").append(Soap.WS_NS).append("\">\n")
                .append("  <wsdl:types>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:tns=\"").append(Soap.WS_NS)
                .append("\" elementFormDefault=\"unqualified\" targetNamespace=\"").append(Soap.WS_NS).append("\" version=\"1.0\">\n");
        for (var operation : service.operations()) {
            out.append("  <xs:element name=\"").append(operation.name()).append("\" type=\"tns:").append(operation.name()).append("\"/>\n")
                    .append("  <xs:element name=\"").append(operation.name()).append("Response\" type=\"tns:").append(operation.name())
                    .append("Response\"/>\n");
        }
        for (var operation : service.operations()) {
            complexType(out, operation.name(), operation.in());
            complexType(out, operation.name() + "Response", operation.out() == null ? List.of() : List.of(operation.out()));
        }
        if (service == DOCUMENT_METADATA) {
            types().forEach((name, properties) -> complexType(out, name, List.copyOf(properties.values())));
        }
        out.append("</xs:schema>\n  </wsdl:types>\n");
        for (var operation : service.operations()) {
            for (var message : List.of(operation.name(), operation.name() + "Response")) {
                out.append("  <wsdl:message name=\"").append(message).append("\">\n    <wsdl:part element=\"ns1:").append(message)
                        .append("\" name=\"parameters\">\n    </wsdl:part>\n  </wsdl:message>\n");
            }
        }
        out.append("  <wsdl:portType name=\"").append(service.portType()).append("\">\n");
        for (var operation : service.operations()) {
            out.append("    <wsdl:operation name=\"").append(operation.name()).append("\">\n")
                    .append("      <wsdl:input message=\"ns1:").append(operation.name()).append("\" name=\"").append(operation.name())
                    .append("\">\n    </wsdl:input>\n")
                    .append("      <wsdl:output message=\"ns1:").append(operation.name()).append("Response\" name=\"").append(operation.name())
                    .append("Response\">\n    </wsdl:output>\n    </wsdl:operation>\n");
        }
        out.append("  </wsdl:portType>\n</wsdl:definitions>");
        return out.toString();
    }

    private static void complexType(StringBuilder out, String name, List<Part> parts) {
        out.append("  <xs:complexType name=\"").append(name).append("\">\n    <xs:sequence>\n");
        for (var part : parts) {
            out.append("      <xs:element ");
            if (part.many()) {
                out.append("maxOccurs=\"unbounded\" ");
            }
            out.append("minOccurs=\"0\" name=\"").append(part.name()).append("\" type=\"").append(part.type()).append("\"/>\n");
        }
        out.append("    </xs:sequence>\n  </xs:complexType>\n");
    }
}
