package io.dossier.core.change;

/**
 * The entity types the change feed names, core words only: a dialect maps them to its own wire
 * names (an OWS webhook event, a Youforce resource) and never the other way round.
 */
public final class EntityTypes {

    public static final String DOCUMENT = "document";
    public static final String FILE = "file";
    public static final String DELIVERY = "delivery";
    public static final String TEMPLATE = "template";
    public static final String ATTRIBUTE_SET = "attribute-set";
    public static final String GRANT = "grant";

    private static final String RECORD_PREFIX = "record:";

    private EntityTypes() {
    }

    /**
     * The entity type of records of a declared type, by its storage name ({@code record:Candidate}):
     * unique in the installation, as record filters name types too.
     */
    public static String record(String storageName) {
        return RECORD_PREFIX + storageName;
    }
}
