package io.dossier.it.youforce;

import static io.dossier.it.youforce.YouforceClient.json;
import static io.dossier.it.youforce.YouforceClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.it.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Youforce dialect against the knowledge base's examples (each test named after its section),
 * the real clients' requests (README), scopes, authorization filters, delta sync and tenants.
 */
class YouforceIT {

    static TestServer server;
    static String tenant;
    static YouforceClient all;
    static YouforceClient basic;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        server = TestServer.shared();
        long t1 = System.nanoTime();
        tenant = YouforceClient.newTenant(server);
        HrData.load(server, tenant, HrData.lines());
        System.out.printf("YouforceIT: server %d ms, data %d ms%n", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        all = YouforceClient.app(server, tenant, "Get_Basic", "Upload_documents", "GetPrivateContactDetails");
        basic = YouforceClient.app(server, tenant, "Get_Basic");
    }

    @AfterAll
    static void stop() {
        // the shared server stays for the other classes
    }

    static List<String> ids(JsonNode page) {
        var out = new ArrayList<String>();
        page.path("value").forEach(item -> out.add(item.path("id").asText()));
        return out;
    }

    /** Walks every page as real clients do: the query string of nextLink appended to their own URL. */
    static List<JsonNode> walk(YouforceClient client, String path, String firstQuery) {
        var out = new ArrayList<JsonNode>();
        var query = firstQuery;
        for (int pages = 0; pages < 1000; pages++) {
            var page = client.getOk(path + query);
            page.path("value").forEach(out::add);
            var next = page.path("nextLink").asText("");
            if (next.isEmpty()) {
                return out;
            }
            query = next.substring(next.indexOf('?'));
        }
        throw new AssertionError("no last page");
    }

    // ---- "Account aanmaken" / tokens

    @Test
    void tokens_currentEndpointWithTenantId() {
        var answer = all.tokenCall("/youforce/connect/token", "grant_type=client_credentials&client_id=" + q(all.clientId)
                + "&client_secret=" + q(all.secret) + "&tenant_id=" + tenant);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer.body()).path("token_type").asText()).isEqualTo("Bearer");
        var token = json(answer.body()).path("access_token").asText();
        var persons = YouforceClient.send(HttpRequest.newBuilder(server.uri("/youforce/learning/v1.0/persons"))
                .header("Authorization", "Bearer " + token).GET());
        assertThat(persons.statusCode()).isEqualTo(200);
    }

    @Test
    void tokens_legacyEndpointAndTheTenantHeaderOnEveryCall() {
        var answer = all.tokenCall("/youforce/authentication/token", "client_id=" + q(all.clientId) + "&client_secret=" + q(all.secret)
                + "&grant_type=client_credentials");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("\n").startsWith("{\"access_token\":\"")
                .endsWith("\"token_type\":\"BearerToken\",\"expires_in\":\"7200\"}");
        var token = json(answer.body()).path("access_token").asText();
        var withHeader = YouforceClient.send(HttpRequest.newBuilder(server.uri("/youforce/learning/v1.0/persons?take=1"))
                .header("Authorization", "Bearer " + token).header("X-Raet-Tenant-Id", tenant).GET());
        assertThat(withHeader.statusCode()).isEqualTo(200);
        var without = YouforceClient.send(HttpRequest.newBuilder(server.uri("/youforce/learning/v1.0/persons?take=1"))
                .header("Authorization", "Bearer " + token).GET());
        assertThat(without.statusCode()).isEqualTo(401);
    }

    @Test
    void errorsSeenByClients_401InYouforcesShape() {
        var answer = YouforceClient.send(HttpRequest.newBuilder(server.uri("/youforce/learning/v1.0/persons"))
                .header("Authorization", "Bearer nonsense").GET());
        assertThat(answer.statusCode()).isEqualTo(401);
        var body = json(answer.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("message", "correlationId", "issuedAt", "errorCode", "statusCode");
        assertThat(body.path("message").asText()).isEqualTo("Authentication Error");
        assertThat(body.path("errorCode").asText()).isEqualTo("unauthorized");
        assertThat(body.path("statusCode").asInt()).isEqualTo(401);
        var badSecret = all.tokenCall("/youforce/connect/token", "grant_type=client_credentials&client_id=" + q(all.clientId)
                + "&client_secret=wrong&tenant_id=" + tenant);
        assertThat(badSecret.statusCode()).isEqualTo(401);
        assertThat(json(badSecret.body()).path("message").asText()).isEqualTo("Authentication Error");
        var unknown = all.get("/youforce/learning/v1.0/nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).path("statusCode").asInt()).isEqualTo(404);
    }

    // ---- "Filters": the person endpoint

    @Test
    void filtersPersonEndpoint_changedAfterAndChangedUntil() {
        var example = all.getOk("/youforce/learning/v1.0/persons?changedAfter=2020-06-01T00:00:01.000Z&changedUntil=2020-06-30T00:00:01.000Z");
        assertThat(example.path("value").size()).isZero();
        assertThat(example.has("nextLink")).isFalse();
        var sinceThen = all.getOk("/youforce/learning/v1.0/persons?changedAfter=2020-06-01T00:00:01.000Z");
        assertThat(ids(sinceThen)).contains("100020", "191166");
        var records = new ArrayList<String>();
        sinceThen.path("value").forEach(n -> {
            if (!n.path("isDeleted").asBoolean()) {
                records.add(n.path("id").asText());
            }
        });
        assertThat(records).hasSize(13);
        var person = sinceThen.path("value").get(0);
        assertThat(person.fieldNames()).toIterable().startsWith("id", "personId", "personCode", "initials", "firstNames", "knownAs",
                "lastNameAtBirth", "lastNameAtBirthPrefix", "lastName", "lastNamePrefix", "nameAssembleOrder", "partnerName",
                "partnerNamePrefix", "titlePrefix", "titleSuffix", "gender", "birthDate", "deceased", "userUid", "emailAddresses",
                "addresses", "phoneNumbers");
        assertThat(person.path("birthDate").asText()).isEqualTo("1980-02-29");
        assertThat(person.path("nameAssembleOrder").asText()).isEqualTo("E");
    }

    @Test
    void filtersEmploymentEndpoint_personCodeAndPersonId() {
        var byCode = all.getOk("/youforce/learning/v1.0/employments?personCode=191166");
        assertThat(ids(byCode)).containsExactly("191166-1");
        var employment = byCode.path("value").get(0);
        assertThat(employment.path("personCode").asText()).isEqualTo("191166");
        assertThat(employment.path("workingAmount").path("amountOfWork").asDouble()).isEqualTo(36.0);
        assertThat(employment.path("workingAmount").path("unitOfWork").asText()).isEqualTo("hours");
        assertThat(employment.path("hireDate").asText()).isEqualTo("2019-01-01");
        assertThat(employment.has("selection")).isFalse();
        assertThat(ids(all.getOk("/youforce/learning/v1.0/employments?personId=191166"))).containsExactly("191166-1");
        assertThat(all.getOk("/youforce/learning/v1.0/employments?changedAfter=2020-06-01T00:00:01.000Z&changedUntil=2020-06-30T00:00:01.000Z")
                .path("value").size()).isZero();
    }

    @Test
    void filtersCostAllocationEndpoint_idWithSpaces() {
        var allocation = all.getOk("/youforce/learning/v1.0/costAllocations/100028%201%200");
        assertThat(allocation.path("id").asText()).isEqualTo("100028 1 0");
        assertThat(allocation.path("percentage").asDouble()).isEqualTo(100.0);
        assertThat(allocation.path("costCenterName").asText()).isEqualTo("ICT");
        assertThat(all.get("/youforce/learning/v1.0/costAllocations/999999%201%200").statusCode()).isEqualTo(404);
    }

    @Test
    void filtersOrganizationUnitEndpoint_shortName() {
        var units = all.getOk("/youforce/learning/v1.0/organizationUnits?shortName=1010A");
        assertThat(ids(units)).containsExactly("1010A");
        var unit = units.path("value").get(0);
        assertThat(unit.path("fullName").asText()).isEqualTo("Financiën");
        assertThat(unit.path("address").path("city").asText()).isEqualTo("Utrecht");
        assertThat(unit.path("isBlocked").asBoolean(true)).isFalse();
        assertThat(all.getOk("/youforce/learning/v1.0/organizationUnits/2020B").path("parentOrgUnit").asText()).isEqualTo("1010A");
    }

    @Test
    void filtersRoleAssignmentEndpoint_personIdAndShortName() {
        assertThat(all.getOk("/youforce/learning/v1.0/roleAssignments?personId=1010A").path("value").size()).isZero();
        assertThat(ids(all.getOk("/youforce/learning/v1.0/roleAssignments?personId=100021"))).containsExactly("RA100021");
        var managers = all.getOk("/youforce/learning/v1.0/roleAssignments?shortName=MGR");
        assertThat(ids(managers)).containsExactly("RA100020");
        assertThat(managers.path("value").get(0).path("roleName").asText()).isEqualTo("Manager");
    }

    @Test
    void filtersJobProfileEndpoint_shortName() {
        var profiles = all.getOk("/youforce/learning/v1.0/jobProfiles?shortName=1010A");
        assertThat(profiles.path("value").size()).isEqualTo(1);
        assertThat(profiles.path("value").get(0).path("fullName").asText()).isEqualTo("Controller");
        assertThat(profiles.path("value").get(0).path("jobFamily").asText()).isEqualTo("FIN");
    }

    @Test
    void employeeEndpoint_deprecatedButServed() {
        var employee = all.getOk("/youforce/learning/v1.0/employees/191166");
        assertThat(employee.path("personCode").asText()).isEqualTo("191166");
        assertThat(employee.path("employments").size()).isEqualTo(1);
        assertThat(all.getOk("/youforce/learning/v1.0/employees?take=2").path("value").get(0).path("employments").size()).isEqualTo(1);
        assertThat(all.getOk("/youforce/learning/v1.0/companies").path("value").get(0).path("fullName").asText()).isEqualTo("Gemeente Voorbeeld");
        assertThat(all.getOk("/youforce/learning/v1.0/contractTypes").path("value").get(0).path("shortName").asText()).isEqualTo("B");
    }

    // ---- "Pagination of the result set"

    @Test
    void paginationOfTheResultSet_takeCarriedIntoNextLink() {
        var first = all.get("/youforce/iam/v1.0/persons?take=5");
        assertThat(first.statusCode()).isEqualTo(200);
        var body = json(first.body());
        assertThat(body.path("value").size()).isEqualTo(5);
        var next = body.path("nextLink").asText();
        assertThat(next).contains("?").contains("take=5").contains("pageToken=");
        assertThat(first.headers().firstValue("x-nextlink")).contains(next);
        var walked = walk(all, "/youforce/iam/v1.0/persons", "?take=5");
        assertThat(walked).extracting(n -> n.path("id").asText()).doesNotHaveDuplicates().hasSize(13);
        assertThat(ids(all.getOk("/youforce/learning/v1.0/persons"))).hasSize(13);
        for (var bad : List.of("0", "-1", "1001", "x")) {
            var refused = all.get("/youforce/learning/v1.0/persons?take=" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(refused.body()).path("message").asText()).contains("take");
        }
        var tampered = all.get("/youforce/learning/v1.0/persons?pageToken=" + next.substring(next.indexOf("pageToken=") + 10, next.length() - 12) + "xx.persons");
        assertThat(tampered.statusCode()).isEqualTo(400);
        var otherResource = all.get("/youforce/learning/v1.0/employments?" + next.substring(next.indexOf('?') + 1));
        assertThat(otherResource.statusCode()).isEqualTo(400);
    }

    @Test
    void windowsRefuseMalformedTimesNamingTheParameter() {
        var malformed = all.get("/youforce/learning/v1.0/persons?changedAfter=2020-06-01");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed.body()).path("message").asText()).contains("changedAfter");
        var until = all.get("/youforce/learning/v1.0/persons?changedUntil=2020-13-01T00:00:01.000Z");
        assertThat(until.statusCode()).isEqualTo(400);
        assertThat(json(until.body()).path("message").asText()).contains("changedUntil");
        var backwards = all.get("/youforce/learning/v1.0/persons?changedAfter=2020-06-30T00:00:01.000Z&changedUntil=2020-06-01T00:00:01.000Z");
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(json(backwards.body()).path("message").asText()).contains("changedUntil");
    }

    // ---- "Delete a record"

    @Test
    void deleteARecord_comesBackOnceAsATombstone() {
        var since = Instant.now().minusMillis(1).toString();
        HrData.load(server, tenant, List.of(HrData.person("907624", "Piet", "Pietersen")));
        HrData.load(server, tenant, List.of(HrData.delete("hr.Person", "907624")));
        var page = all.getOk("/youforce/learning/v1.0/persons?changedAfter=" + since);
        var tombstones = new ArrayList<JsonNode>();
        page.path("value").forEach(n -> {
            if (n.path("isDeleted").asBoolean()) {
                tombstones.add(n);
            }
        });
        assertThat(tombstones).hasSize(1);
        assertThat(tombstones.getFirst().toString()).isEqualTo("{\"id\":\"907624\",\"isDeleted\":true,\"shortName\":\"907624\"}");
        assertThat(all.get("/youforce/learning/v1.0/persons/907624").statusCode()).isEqualTo(404);
    }

    // ---- the real clients (README): PascalCase, both prefixes, the tenant header with a current token

    @Test
    void realClients_pascalCasePathsBothPrefixesAndTheTenantHeader() {
        for (var path : List.of("/youforce/iam/v1.0/Employees?take=1000", "/youforce/learning/v1.0/RoleAssignments?take=1000",
                "/youforce/iam/v1.0/JobProfiles?take=1000", "/youforce/learning/v1.0/OrganizationUnits?take=1000",
                "/youforce/Learning/V1.0/Persons?take=1000")) {
            var answer = YouforceClient.send(all.request(path).header("X-Raet-Tenant-Id", tenant).header("Accept", "application/json").GET());
            assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
            assertThat(json(answer.body()).path("value").size()).as(path).isPositive();
            assertThat(json(answer.body()).has("nextLink")).as(path).isFalse();
        }
    }

    /** Visma's Postman collection of the Learning API, request by request (its form order, headers and paths). */
    @Test
    void realClients_theLearningPostmanCollection() {
        var token = all.tokenCall("/youforce/connect/token", "client_id=" + q(all.clientId) + "&client_secret=" + q(all.secret)
                + "&grant_type=client_credentials&tenant_id=" + q(tenant));
        assertThat(token.statusCode()).isEqualTo(200);
        var accessToken = json(token.body()).path("access_token").asText();
        for (var path : List.of("/youforce/learning/v1.0/Employees", "/youforce/learning/v1.0/Assignments",
                "/youforce/learning/v1.0/CostAllocation", "/youforce/iam/v1.0/OrganizationUnits", "/youforce/learning/v1.0/RoleAssignments",
                "/youforce/learning/v1.0/JobProfiles")) {
            var answer = YouforceClient.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + accessToken)
                    .header("Accept", "application/json").GET());
            assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
            assertThat(json(answer.body()).path("value").size()).as(path).isPositive();
        }
        assertThat(ids(all.getOk("/youforce/learning/v1.0/Assignments?personCode=191166"))).containsExactly("191166-1");
    }

    // ---- scopes

    @Test
    void scopes_getBasicUploadDocumentsAndPrivateContactDetails() {
        var none = YouforceClient.app(server, tenant);
        var refused = none.get("/youforce/learning/v1.0/persons");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused.body()).path("errorCode").asText()).isEqualTo("forbidden");
        assertThat(basic.get("/youforce/learning/v1.0/employees/documents/" + java.util.UUID.randomUUID() + "/status").statusCode())
                .isEqualTo(403);
        var withPrivate = all.getOk("/youforce/learning/v1.0/persons/100020");
        assertThat(withPrivate.path("emailAddresses").toString()).contains("Private").contains("Business");
        assertThat(withPrivate.path("addresses").size()).isEqualTo(1);
        assertThat(withPrivate.path("phoneNumbers").toString()).contains("Mobile");
        var without = basic.getOk("/youforce/learning/v1.0/persons/100020");
        assertThat(without.path("emailAddresses").size()).isEqualTo(1);
        assertThat(without.path("emailAddresses").toString()).contains("Business").doesNotContain("Private").doesNotContain("thuis");
        assertThat(without.path("addresses").size()).isZero();
        assertThat(without.path("phoneNumbers").toString()).doesNotContain("Mobile").doesNotContain("06-");
        var employees = basic.getOk("/youforce/learning/v1.0/employees/100020");
        assertThat(employees.toString()).doesNotContain("thuis").doesNotContain("Dorpsstraat");
    }

    // ---- authorization filters

    /** Gives {@code client} the administrator's filter "employmentType = Intern" on hr.Employment. */
    private void internsOnly(String tenantSlug, YouforceClient client) {
        var admin = server.http().bearer(server.adminToken());
        var set = admin.send(admin.builder("/admin/api/tenants/" + tenantSlug + "/clients/" + client.id + "/filters/hr.Employment")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"field\":\"employmentType\",\"op\":\"EQ\",\"value\":\"Intern\"}")));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    @Test
    void authorizationFilters_anEmployeeOutsideTheFilterDoesNotExistOnAnyEndpoint() {
        var internalOnly = YouforceClient.app(server, tenant, "Get_Basic", "Upload_documents");
        internsOnly(tenant, internalOnly);
        var persons = ids(internalOnly.getOk("/youforce/learning/v1.0/persons"));
        assertThat(persons).contains("100020", "100022").doesNotContain("100021", "100023").hasSize(7);
        assertThat(ids(internalOnly.getOk("/youforce/learning/v1.0/employees"))).isEqualTo(persons);
        assertThat(ids(internalOnly.getOk("/youforce/learning/v1.0/employments"))).doesNotContain("100021-1").hasSize(7);
        assertThat(ids(internalOnly.getOk("/youforce/learning/v1.0/costAllocations"))).doesNotContain("100021 1 0").hasSize(7);
        assertThat(ids(internalOnly.getOk("/youforce/learning/v1.0/roleAssignments"))).doesNotContain("RA100021").hasSize(7);
        assertThat(internalOnly.get("/youforce/learning/v1.0/persons/100021").statusCode()).isEqualTo(404);
        assertThat(internalOnly.get("/youforce/learning/v1.0/employees/100021").statusCode()).isEqualTo(404);
        assertThat(internalOnly.get("/youforce/learning/v1.0/costAllocations/100021%201%200").statusCode()).isEqualTo(404);
        assertThat(internalOnly.getOk("/youforce/learning/v1.0/employments?personCode=100021").path("value").size()).isZero();
        assertThat(internalOnly.getOk("/youforce/learning/v1.0/persons?changedAfter=2020-06-01T00:00:01.000Z").toString())
                .doesNotContain("100021");
        var upload = YouforceDocumentsIT.uploadForm(internalOnly, "100021", "diploma", "Diploma", null, YouforceDocumentsIT.PDF);
        assertThat(upload.statusCode()).isEqualTo(404);
        // units and job profiles are not about employees: the filter does not touch them
        assertThat(ids(internalOnly.getOk("/youforce/learning/v1.0/organizationUnits"))).hasSize(2);
    }

    @Test
    void authorizationFilters_aFilteredClientIsToldOfDeletionsInsideItsFilterOnly() {
        var own = YouforceClient.newTenant(server);
        HrData.load(server, own, List.of(HrData.person("800001", "Iris", "Intern"), HrData.employment("800001", "Intern"),
                HrData.person("800002", "Erik", "Extern"), HrData.employment("800002", "Extern")));
        var internalOnly = YouforceClient.app(server, own, "Get_Basic");
        var everything = YouforceClient.app(server, own, "Get_Basic");
        internsOnly(own, internalOnly);
        var since = Instant.now().minusMillis(1).toString();
        HrData.load(server, own, List.of(HrData.delete("hr.Person", "800001"), HrData.delete("hr.Person", "800002"),
                HrData.delete("hr.Employment", "800002-1")));

        var filtered = internalOnly.getOk("/youforce/learning/v1.0/persons?changedAfter=" + since);
        assertThat(filtered.toString()).contains("800001").doesNotContain("800002");
        assertThat(ids(everything.getOk("/youforce/learning/v1.0/persons?changedAfter=" + since))).containsExactlyInAnyOrder("800001", "800002");
        assertThat(internalOnly.getOk("/youforce/learning/v1.0/employments?changedAfter=" + since).path("value").size())
                .as("the deleted contractor's employment was never the filtered client's").isZero();
        assertThat(ids(everything.getOk("/youforce/learning/v1.0/employments?changedAfter=" + since))).containsExactly("800002-1");
    }

    // ---- tenants

    @Test
    void tenants_aTokenForOneTenantReachesNoOther() {
        var other = YouforceClient.newTenant(server);
        HrData.load(server, other, List.of(HrData.person("555001", "Other", "Tenant")));
        var foreignHeader = YouforceClient.send(all.request("/youforce/learning/v1.0/persons").header("X-Raet-Tenant-Id", other).GET());
        assertThat(foreignHeader.statusCode()).isIn(401, 403);
        assertThat(foreignHeader.body()).doesNotContain("555001");
        var notGranted = all.tokenCall("/youforce/connect/token", "grant_type=client_credentials&client_id=" + q(all.clientId)
                + "&client_secret=" + q(all.secret) + "&tenant_id=" + other);
        assertThat(notGranted.statusCode()).isIn(401, 403);
        var legacy = json(all.tokenCall("/youforce/authentication/token", "client_id=" + q(all.clientId) + "&client_secret=" + q(all.secret)
                + "&grant_type=client_credentials").body()).path("access_token").asText();
        var legacyOther = YouforceClient.send(HttpRequest.newBuilder(server.uri("/youforce/learning/v1.0/persons"))
                .header("Authorization", "Bearer " + legacy).header("X-Raet-Tenant-Id", other).GET());
        assertThat(legacyOther.statusCode()).isIn(401, 403);
        assertThat(all.get("/youforce/learning/v1.0/persons/555001").statusCode()).isEqualTo(404);
        // a page token of one tenant is nothing in another
        var otherClient = YouforceClient.app(server, other, "Get_Basic");
        var next = all.getOk("/youforce/learning/v1.0/persons?take=1").path("nextLink").asText();
        assertThat(otherClient.get("/youforce/learning/v1.0/persons" + next.substring(next.indexOf('?'))).statusCode()).isEqualTo(400);
        // a client granted the other tenant may choose it with its token
        var dossier = server.server().dossier();
        var client = dossier.identities().clientById(all.id).orElseThrow();
        dossier.tokens().grantTenant(client, dossier.tenants().bySlug(other).id());
        var granted = all.tokenCall("/youforce/connect/token", "grant_type=client_credentials&client_id=" + q(all.clientId)
                + "&client_secret=" + q(all.secret) + "&tenant_id=" + other);
        assertThat(granted.statusCode()).isEqualTo(200);
        var otherPersons = YouforceClient.send(HttpRequest.newBuilder(server.uri("/youforce/learning/v1.0/persons"))
                .header("Authorization", "Bearer " + json(granted.body()).path("access_token").asText()).GET());
        assertThat(ids(json(otherPersons.body()))).containsExactly("555001");
    }

    // ---- rate limit

    @Test
    void rateLimit_100CallsAMinuteAnd3AtOnceThen429InYouforcesShape() {
        var dossier = server.server().dossier();
        var limited = YouforceClient.app(server, tenant, "Get_Basic");
        var tenantId = dossier.tenants().bySlug(tenant).id();
        dossier.rateLimits().reset(tenantId, limited.id, "youforce");
        assertThat(dossier.rateLimits().limit(limited.id, "youforce")).isEqualTo(new io.dossier.core.ratelimit.RateLimit(100, 3));
        // the default is what the limiter counts against; ten calls a minute keep the test short
        dossier.rateLimits().set(tenantId, limited.id, "youforce", 10, 3);
        limited.token();
        int ok = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 11 && refused == null; i++) {
            var answer = limited.get("/youforce/learning/v1.0/jobProfiles?take=1");
            if (answer.statusCode() == 200) {
                ok++;
            } else {
                refused = answer;
            }
        }
        assertThat(ok).isEqualTo(10);
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        var body = json(refused.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("message", "correlationId", "issuedAt", "errorCode", "statusCode");
        assertThat(body.path("message").asText()).contains("Too Many Requests");
        assertThat(body.path("statusCode").asInt()).isEqualTo(429);
    }

    // ---- the HR import in bulk

    /**
     * More lines than one chunk of the import (1,000), with a bad record, a line that is not JSON
     * and a bad update among them, an update of a person stored before, a person written twice in one chunk and
     * an employment of a person added in the same chunk: every good line is stored, each bad one is
     * reported by number, and delta sync (also a filtered client's) sees every imported record.
     */
    @Test
    void hrImport_linesAcrossChunksAreStoredReportedAndInTheFeed() {
        var own = YouforceClient.newTenant(server);
        HrData.load(server, own, HrData.lines().subList(0, 6));   // units, job profiles, company, contract type
        HrData.load(server, own, List.of(HrData.person("700000", "Oud", "Bestaand")));
        var client = YouforceClient.app(server, own, "Get_Basic", "GetPrivateContactDetails");
        var internalOnly = YouforceClient.app(server, own, "Get_Basic");
        var admin = server.http().bearer(server.adminToken());
        internsOnly(own, internalOnly);
        var since = Instant.now().minusMillis(1).toString();

        var lines = new ArrayList<String>();
        var added = new ArrayList<String>();
        for (int i = 0; i < 1200; i++) {
            var code = Integer.toString(710_000 + i);
            added.add(code);
            lines.add(HrData.person(code, "Nr" + i, "Bulk"));
            if (i == 600) {
                lines.add(HrData.upsert("hr.Person", "{\"id\":\"719999\",\"lastName\":\"Fout\",\"shoeSize\":44}"));
                lines.add(HrData.employment("710000", "Intern"));
            }
            if (i == 1100) {
                lines.add(HrData.upsert("hr.Person", "{\"id\":\"700000\",\"firstNames\":\"Nieuw\","
                        + "\"emailAddresses\":[{\"type\":\"Business\",\"address\":\"nieuw@werk.example\"}]}"));
                lines.add(HrData.person("710005", "Weer", "Bulk"));
                lines.add("{not json");
                // refused after its chunk's writes began: the chunk is rolled back and applied line by line
                lines.add(HrData.upsert("hr.Person", "{\"id\":\"700000\",\"hatSize\":7}"));
            }
            if (i == 1150) {
                lines.add(HrData.person(code, "Tweede", "Keer"));
            }
        }
        var answer = admin.post("/admin/api/tenants/" + own + "/hr/import", String.join("\n", lines));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        var body = answer.json();
        assertThat(body.path("applied").asLong()).as(answer.body()).isEqualTo(lines.size() - 3);
        assertThat(body.path("failed").asLong()).isEqualTo(3);
        var errors = body.path("errors");
        assertThat(errors.size()).isEqualTo(3);
        assertThat(errors.get(0).path("line").asLong()).isEqualTo(lines.indexOf(lines.stream().filter(l -> l.contains("shoeSize")).findFirst()
                .orElseThrow()) + 1);
        assertThat(errors.get(0).path("message").asText()).contains("shoeSize");
        assertThat(errors.get(1).path("line").asLong()).isEqualTo(lines.indexOf("{not json") + 1);
        assertThat(errors.get(1).path("message").asText()).contains("not JSON");
        assertThat(errors.get(2).path("line").asLong()).isEqualTo(lines.indexOf("{not json") + 2);
        assertThat(errors.get(2).path("message").asText()).contains("hatSize");

        // what is stored
        assertThat(client.getOk("/youforce/learning/v1.0/persons/710000").path("firstNames").asText()).isEqualTo("Nr0");
        assertThat(client.getOk("/youforce/learning/v1.0/persons/711199").path("addresses").size()).isEqualTo(1);
        assertThat(client.getOk("/youforce/learning/v1.0/persons/711199").path("emailAddresses").size()).isEqualTo(2);
        assertThat(client.getOk("/youforce/learning/v1.0/persons/711199").path("phoneNumbers").size()).isEqualTo(2);
        assertThat(client.getOk("/youforce/learning/v1.0/persons/710005").path("firstNames").asText()).isEqualTo("Weer");
        assertThat(client.getOk("/youforce/learning/v1.0/persons/711150").path("firstNames").asText()).isEqualTo("Tweede");
        var updated = client.getOk("/youforce/learning/v1.0/persons/700000");
        assertThat(updated.path("firstNames").asText()).isEqualTo("Nieuw");
        assertThat(updated.path("lastName").asText()).isEqualTo("Bestaand");
        assertThat(updated.path("emailAddresses").toString()).contains("nieuw@werk.example").doesNotContain("thuis");
        assertThat(client.get("/youforce/learning/v1.0/persons/719999").statusCode()).isEqualTo(404);
        assertThat(ids(client.getOk("/youforce/learning/v1.0/employments?personCode=710000"))).containsExactly("710000-1");

        // delta sync: every imported record, no tombstone; a filtered client sees the intern only
        var expected = new HashSet<>(added);
        expected.add("700000");
        var delta = walk(client, "/youforce/learning/v1.0/persons", "?changedAfter=" + since + "&take=1000");
        assertThat(delta).noneMatch(n -> n.path("isDeleted").asBoolean());
        assertThat(new HashSet<>(delta.stream().map(n -> n.path("id").asText()).toList())).isEqualTo(expected);
        assertThat(ids(client.getOk("/youforce/learning/v1.0/employments?changedAfter=" + since))).containsExactly("710000-1");
        assertThat(ids(internalOnly.getOk("/youforce/learning/v1.0/persons?changedAfter=" + since + "&take=1000")))
                .containsExactly("710000");
    }

    // ---- delta sync under change

    @Test
    void deltaSync_concurrentWritersNeitherSkippedNorRepeated() throws Exception {
        var syncTenant = YouforceClient.newTenant(server);
        var client = YouforceClient.app(server, syncTenant, "Get_Basic");
        var start = Instant.now().minusSeconds(1).toString();
        var initial = new ArrayList<String>();
        var lines = new ArrayList<String>();
        for (int i = 0; i < 20; i++) {
            initial.add("30" + (1000 + i));
            lines.add(HrData.person("30" + (1000 + i), "Eerste", "Golf"));
        }
        HrData.load(server, syncTenant, lines);
        var created = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        var deleted = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        var counter = new AtomicInteger();
        var writers = java.util.concurrent.Executors.newFixedThreadPool(3);
        var futures = new ArrayList<java.util.concurrent.Future<?>>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            futures.add(writers.submit(() -> {
                int n;
                while ((n = counter.incrementAndGet()) <= 30) {
                    var code = "40" + (1000 + n);
                    HrData.load(server, syncTenant, List.of(HrData.person(code, "Nieuw", "Schrijver" + writer)));
                    created.add(code);
                    if (n % 3 == 0) {
                        var gone = "30" + (1000 + n / 3 - 1);
                        HrData.load(server, syncTenant, List.of(HrData.delete("hr.Person", gone)));
                        deleted.add(gone);
                    }
                }
                return null;
            }));
        }
        // the first walk runs while the writers write
        var seen = new ArrayList<String>();
        var tombstones = new ArrayList<String>();
        for (var item : walk(client, "/youforce/learning/v1.0/persons", "?changedAfter=" + start + "&take=3")) {
            (item.path("isDeleted").asBoolean() ? tombstones : seen).add(item.path("id").asText());
        }
        for (var future : futures) {
            future.get();
        }
        writers.shutdown();
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(tombstones).doesNotHaveDuplicates();
        for (var code : initial) {
            // a person that was there when the walk began comes once: as a record, or as a tombstone if deleted meanwhile
            assertThat(seen.contains(code) || tombstones.contains(code)).as(code).isTrue();
            if (!deleted.contains(code)) {
                assertThat(seen).contains(code);
            }
        }
        // after the writers: a walk of the same window holds exactly what is there, and a tombstone for each delete
        var live = new HashSet<>(initial);
        deleted.forEach(live::remove);
        live.addAll(created);
        var after = walk(client, "/youforce/learning/v1.0/persons", "?changedAfter=" + start + "&take=7");
        var records = after.stream().filter(n -> !n.path("isDeleted").asBoolean()).map(n -> n.path("id").asText()).toList();
        var gone = after.stream().filter(n -> n.path("isDeleted").asBoolean()).map(n -> n.path("id").asText()).toList();
        assertThat(records).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(live);
        assertThat(gone).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(deleted);
    }
}
