package io.dossier.it.youforce;

import io.dossier.it.support.TestServer;
import java.util.ArrayList;
import java.util.List;

/** A small HR data set as import lines, and the admin import that loads it. */
final class HrData {

    private HrData() {
    }

    /** Persons 100020–100031 and 191166; even ones internal employees (type "Intern"), odd ones contractors ("Extern"). */
    static List<String> lines() {
        var out = new ArrayList<String>();
        out.add(upsert("hr.OrganizationUnit", "{\"id\":\"1010A\",\"shortName\":\"1010A\",\"fullName\":\"Financiën\",\"parentOrgUnit\":null,"
                + "\"organizationUnitType\":\"AFD\",\"isBlocked\":false,\"address\":{\"street\":\"Stationsplein\",\"houseNumber\":\"1\","
                + "\"postalCode\":\"3511 ED\",\"city\":\"Utrecht\",\"country\":\"NL\"},\"phoneNumber\":\"030-1234567\",\"costCenterCode\":\"K100\"}"));
        out.add(upsert("hr.OrganizationUnit", "{\"id\":\"2020B\",\"shortName\":\"2020B\",\"fullName\":\"ICT\",\"parentOrgUnit\":\"1010A\","
                + "\"organizationUnitType\":\"AFD\",\"isBlocked\":false,\"costCenterCode\":\"K200\"}"));
        out.add(upsert("hr.JobProfile", "{\"id\":\"1010A\",\"shortName\":\"1010A\",\"fullName\":\"Controller\",\"jobFamily\":\"FIN\"}"));
        out.add(upsert("hr.JobProfile", "{\"id\":\"DEV\",\"shortName\":\"DEV\",\"fullName\":\"Ontwikkelaar\",\"jobFamily\":\"ICT\"}"));
        out.add(upsert("hr.Company", "{\"id\":\"0100-01\",\"shortName\":\"0100-01\",\"fullName\":\"Gemeente Voorbeeld\"}"));
        out.add(upsert("hr.ContractType", "{\"id\":\"B\",\"shortName\":\"B\",\"fullName\":\"Bepaalde tijd\"}"));
        var codes = new ArrayList<String>();
        for (int i = 20; i <= 31; i++) {
            codes.add("1000" + i);
        }
        codes.add("191166");
        int n = 0;
        for (var code : codes) {
            var internal = n++ % 2 == 0;
            out.add(person(code, "Jan" + code, "Jansen"));
            out.add(employment(code, internal ? "Intern" : "Extern"));
            out.add(upsert("hr.CostAllocation", "{\"id\":\"" + code + " 1 0\",\"personCode\":\"" + code + "\",\"employmentCode\":\"1\","
                    + "\"sequenceNumber\":0,\"costTypeCode\":\"4000\",\"costTypeName\":\"Salaris\",\"costCenterCode\":\"K200\","
                    + "\"costCenterName\":\"ICT\",\"costUnitCode\":\"D1\",\"costUnitName\":\"Dienstverlening\",\"percentage\":100.0}"));
            out.add(upsert("hr.RoleAssignment", "{\"id\":\"RA" + code + "\",\"organizationUnitCode\":\"2020B\",\"shortName\":\""
                    + (code.equals("100020") ? "MGR" : "MDW") + "\",\"roleName\":\"" + (code.equals("100020") ? "Manager" : "Medewerker")
                    + "\",\"personCode\":\"" + code + "\",\"personId\":\"" + code + "\",\"startDate\":\"2019-01-01\",\"endDate\":null}"));
        }
        return out;
    }

    static String person(String code, String firstNames, String lastName) {
        return upsert("hr.Person", "{\"id\":\"" + code + "\",\"personCode\":\"" + code + "\",\"initials\":\"J.\",\"firstNames\":\"" + firstNames
                + "\",\"knownAs\":\"Jan\",\"lastNameAtBirth\":\"" + lastName + "\",\"lastNameAtBirthPrefix\":null,\"lastName\":\"" + lastName
                + "\",\"lastNamePrefix\":null,\"nameAssembleOrder\":\"E\",\"partnerName\":null,\"partnerNamePrefix\":null,\"titlePrefix\":null,"
                + "\"titleSuffix\":null,\"gender\":\"Male\",\"birthDate\":\"1980-02-29\",\"deceased\":false,\"userUid\":null,"
                + "\"emailAddresses\":[{\"type\":\"Business\",\"address\":\"" + code + "@werk.example\"},{\"type\":\"Private\",\"address\":\""
                + code + "@thuis.example\"}],"
                + "\"addresses\":[{\"type\":\"Home\",\"street\":\"Dorpsstraat\",\"houseNumber\":\"1\",\"houseNumberAdditional\":\"a\","
                + "\"locationDesignation\":null,\"postalCode\":\"1234 AB\",\"city\":\"Utrecht\",\"region\":\"UT\",\"country\":\"NL\","
                + "\"effectiveDate\":\"2019-01-01\"}],"
                + "\"phoneNumbers\":[{\"type\":\"Business\",\"number\":\"030-0000000\"},{\"type\":\"Mobile\",\"number\":\"06-12345678\"}]}");
    }

    /** The person's employment {@code <code>-1} of the given type ("Intern", "Extern"). */
    static String employment(String code, String type) {
        return upsert("hr.Employment", "{\"id\":\"" + code + "-1\",\"personId\":\"" + code + "\",\"personCode\":\"" + code
                + "\",\"employmentCode\":\"1\",\"hireDate\":\"2019-01-01\",\"dischargeDate\":null,\"originalHireDate\":\"2018-06-01\","
                + "\"employmentType\":\"" + type + "\",\"jobProfile\":\"DEV\",\"organizationUnit\":\"2020B\","
                + "\"workingAmount\":{\"amountOfWork\":36.0,\"unitOfWork\":\"hours\",\"periodOfWork\":\"week\"},\"contractType\":\"B\","
                + "\"classification\":\"C1\",\"payrollClientCode\":\"0100\",\"payrollInstitutionCode\":\"01\",\"company\":\"0100-01\","
                + "\"bigNumber\":null}");
    }

    static String upsert(String type, String record) {
        return "{\"type\":\"" + type + "\",\"op\":\"upsert\",\"record\":" + record + "}";
    }

    static String delete(String type, String id) {
        return "{\"type\":\"" + type + "\",\"op\":\"delete\",\"id\":\"" + id + "\"}";
    }

    /** Imports the lines through the admin API; fails unless every line was applied. */
    static void load(TestServer server, String tenant, List<String> lines) {
        var answer = server.http().bearer(server.adminToken()).post("/admin/api/tenants/" + tenant + "/hr/import", String.join("\n", lines));
        if (answer.status() != 200 || answer.json().path("failed").asLong() != 0) {
            throw new AssertionError(answer.body());
        }
    }
}
