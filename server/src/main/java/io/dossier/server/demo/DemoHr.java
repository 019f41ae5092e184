package io.dossier.server.demo;

import io.dossier.core.access.Caller;
import io.dossier.core.record.CollectionEdit;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.Schemas;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo tenant's HR data, read through the Youforce dialect: 100 persons (Dutch names, made up)
 * with an employment each, their cost allocations and roles, six organisation units, job profiles,
 * companies and contract types. Small on purpose: a fresh {@code dossier dev} starts quickly.
 * Even persons are employees ("Intern"), odd ones contractors ("Extern"), which the demo's filtered
 * client tells apart.
 */
public final class DemoHr {

    public static final int PERSONS = 100;
    static final String[] FIRST = {"Jan", "Sanne", "Pieter", "Lotte", "Daan", "Emma", "Bram", "Julia", "Thijs", "Fleur", "Ruben", "Anouk",
            "Lars", "Iris", "Sem", "Noor", "Jesse", "Eva", "Milan", "Sophie"};
    static final String[] LAST = {"de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
            "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits"};
    static final String[] CITIES = {"Amsterdam", "Utrecht", "Rotterdam", "Den Haag", "Eindhoven", "Groningen", "Zwolle", "Amersfoort"};
    static final String[][] UNITS = {{"1000", "Gemeente Voorbeeld", null}, {"1010A", "Financiën", "1000"}, {"1020", "Burgerzaken", "1000"},
            {"1030", "ICT", "1000"}, {"1040", "Personeel en Organisatie", "1000"}, {"1050", "Openbare Ruimte", "1000"}};
    static final String[][] PROFILES = {{"1010A", "Controller", "FIN"}, {"ADV", "Adviseur", "BED"}, {"BAL", "Baliemedewerker", "PUB"},
            {"DEV", "Softwareontwikkelaar", "ICT"}, {"HRA", "HR-adviseur", "P&O"}, {"MGR", "Teamleider", "LEI"},
            {"OPZ", "Opzichter", "BOR"}, {"SEC", "Secretaresse", "ONDST"}};

    private DemoHr() {
    }

    public static void seed(RecordService records, Schemas schemas, long tenantId) {
        var caller = new Caller.Internal(tenantId, "demo seed");
        var random = new Random(13);
        // written together, as the HR import writes (a few statements a table, not a few a record)
        var writes = new java.util.ArrayList<RecordService.Upsert>();
        for (var unit : UNITS) {
            var values = map("shortName", unit[0], "fullName", unit[1], "parentOrgUnit", unit[2], "organizationUnitType", "AFD",
                    "isBlocked", false, "phoneNumber", "030-" + (2000000 + unit[0].hashCode() % 1000), "costCenterCode", "K" + unit[0]);
            values.put("address", map("street", "Stadhuisplein", "houseNumber", "1", "postalCode", "3511 AA", "city", "Utrecht", "country", "NL"));
            writes.add(new RecordService.Upsert(type(schemas, "hr.OrganizationUnit"), unit[0], values));
        }
        for (var profile : PROFILES) {
            writes.add(new RecordService.Upsert(type(schemas, "hr.JobProfile"), profile[0], map("shortName", profile[0], "fullName", profile[1],
                    "jobFamily", profile[2])));
        }
        writes.add(new RecordService.Upsert(type(schemas, "hr.Company"), "0100-01", map("shortName", "0100-01", "fullName", "Gemeente Voorbeeld")));
        writes.add(new RecordService.Upsert(type(schemas, "hr.Company"), "0100-02", map("shortName", "0100-02", "fullName", "Werkbedrijf Voorbeeld")));
        writes.add(new RecordService.Upsert(type(schemas, "hr.ContractType"), "B", map("shortName", "B", "fullName", "Bepaalde tijd")));
        writes.add(new RecordService.Upsert(type(schemas, "hr.ContractType"), "O", map("shortName", "O", "fullName", "Onbepaalde tijd")));
        for (int i = 0; i < PERSONS; i++) {
            var code = Integer.toString(100001 + i);
            var first = FIRST[random.nextInt(FIRST.length)];
            var last = LAST[random.nextInt(LAST.length)];
            var prefix = last.contains(" ") ? last.substring(0, last.lastIndexOf(' ')) : null;
            var name = last.contains(" ") ? last.substring(last.lastIndexOf(' ') + 1) : last;
            var female = List.of("Sanne", "Lotte", "Emma", "Julia", "Fleur", "Anouk", "Iris", "Noor", "Eva", "Sophie").contains(first);
            var city = CITIES[random.nextInt(CITIES.length)];
            var mail = first.toLowerCase() + "." + name.toLowerCase() + i;
            var person = map("personCode", code, "initials", first.charAt(0) + ".", "firstNames", first, "knownAs", first,
                    "lastNameAtBirth", name, "lastNameAtBirthPrefix", prefix, "lastName", name, "lastNamePrefix", prefix,
                    "nameAssembleOrder", "E", "gender", female ? "Female" : "Male",
                    "birthDate", LocalDate.of(1960 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28)), "deceased", false);
            person.put("emailAddresses", items(map("type", "Business", "address", mail + "@gemeente-voorbeeld.example"),
                    map("type", "Private", "address", mail + "@thuis.example")));
            person.put("addresses", items(map("type", "Home", "street", "Kerkstraat", "houseNumber", Integer.toString(1 + random.nextInt(200)),
                    "postalCode", (1000 + random.nextInt(8999)) + " AB", "city", city, "country", "NL", "effectiveDate", LocalDate.of(2015, 1, 1))));
            person.put("phoneNumbers", items(map("type", "Business", "number", "030-" + (2100000 + i)),
                    map("type", "Mobile", "number", "06-" + (10000000 + random.nextInt(89999999)))));
            writes.add(new RecordService.Upsert(type(schemas, "hr.Person"), code, person));
            var unit = UNITS[1 + random.nextInt(UNITS.length - 1)][0];
            var profile = PROFILES[random.nextInt(PROFILES.length)][0];
            var internal = i % 2 == 0;
            var employment = map("personId", code, "personCode", code, "employmentCode", "1",
                    "hireDate", LocalDate.of(2005 + random.nextInt(20), 1 + random.nextInt(12), 1), "originalHireDate", LocalDate.of(2004, 1, 1),
                    "employmentType", internal ? "Intern" : "Extern", "jobProfile", profile, "organizationUnit", unit,
                    "contractType", random.nextBoolean() ? "B" : "O", "classification", internal ? "REG" : "INH",
                    "payrollClientCode", "0100", "payrollInstitutionCode", internal ? "01" : "02", "company", internal ? "0100-01" : "0100-02",
                    "selection", internal ? "A" : "B");
            employment.put("workingAmount", map("amountOfWork", (double) (16 + 4 * random.nextInt(6)), "unitOfWork", "hours", "periodOfWork", "week"));
            writes.add(new RecordService.Upsert(type(schemas, "hr.Employment"), code + "-1", employment));
            writes.add(new RecordService.Upsert(type(schemas, "hr.CostAllocation"), code + " 1 0", map("personCode", code, "employmentCode", "1",
                    "sequenceNumber", 0L, "costTypeCode", "4000", "costTypeName", "Salarissen", "costCenterCode", "K" + unit,
                    "costCenterName", unitName(unit), "costUnitCode", "P1", "costUnitName", "Dienstverlening", "percentage", 100.0)));
            var manager = i % 10 == 0;
            writes.add(new RecordService.Upsert(type(schemas, "hr.RoleAssignment"), "RA" + code, map("organizationUnitCode", unit,
                    "shortName", manager ? "MGR" : "MDW", "roleName", manager ? "Leidinggevende" : "Medewerker", "personCode", code,
                    "personId", code, "startDate", LocalDate.of(2020, 1, 1))));
        }
        DemoRecords.writeAll(records, caller, writes, null);
    }

    private static String unitName(String code) {
        for (var unit : UNITS) {
            if (unit[0].equals(code)) {
                return unit[1];
            }
        }
        return code;
    }

    private static io.dossier.core.schema.RecordType type(Schemas schemas, String name) {
        return schemas.type(name).orElseThrow();
    }

    @SafeVarargs
    private static CollectionEdit items(Map<String, Object>... items) {
        var keyed = new LinkedHashMap<String, Map<String, Object>>();
        for (int i = 0; i < items.length; i++) {
            keyed.put(Integer.toString(i + 1), items[i]);
        }
        return CollectionEdit.of(keyed);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        var out = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
