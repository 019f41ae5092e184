package io.dossier.api.youforce;

import java.util.List;
import java.util.Map;

/**
 * One Youforce list resource and the HR record type behind it: its path segment, the query
 * parameters that filter it (parameter → field of the type) and the fields never shown on the wire.
 */
record HrResource(String path, String recordType, Map<String, String> parameters) {

    /** Fields Dossier keeps that Youforce does not show: its own bookkeeping, and the filter-only selection field. */
    static final List<String> HIDDEN = List.of("lastModified", "entryDateTime", "selection");

    static final List<HrResource> ALL = List.of(
            new HrResource("persons", "hr.Person", Map.of()),
            new HrResource("employments", "hr.Employment", Map.of("personCode", "personCode", "personId", "personId")),
            new HrResource("employees", "hr.Person", Map.of()),
            new HrResource("costAllocations", "hr.CostAllocation", Map.of("personCode", "personCode")),
            new HrResource("organizationUnits", "hr.OrganizationUnit", Map.of("shortName", "shortName")),
            new HrResource("roleAssignments", "hr.RoleAssignment", Map.of("personId", "personId", "shortName", "shortName")),
            new HrResource("jobProfiles", "hr.JobProfile", Map.of("shortName", "shortName")),
            new HrResource("companies", "hr.Company", Map.of("shortName", "shortName")),
            new HrResource("contractTypes", "hr.ContractType", Map.of("shortName", "shortName")),
            // the names Visma's own Postman collection of the Learning API requests
            new HrResource("assignments", "hr.Employment", Map.of("personCode", "personCode", "personId", "personId")),
            new HrResource("costAllocation", "hr.CostAllocation", Map.of("personCode", "personCode")));

    /** Resources with a single-record route ({@code persons/{id}}). */
    static final List<String> WITH_DETAIL = List.of("persons", "employees", "costAllocations", "organizationUnits", "jobProfiles",
            "costAllocation");
}
