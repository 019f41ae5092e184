package io.dossier.core.change;

/**
 * The entity types the change feed names, core words only: a dialect maps them to its own wire
 * names (an OWS webhook event, a Youforce resource) and never the other way round.
 *
 * <p>Besides entities, the feed holds two kinds of entries about records that say what an update
 * was ({@link #recordStatus}, {@link #recordDocument}), for webhooks. A reader that wants
 * entities only names the types it reads instead of reading all of them.
 */
public final class EntityTypes {

    public static final String DOCUMENT = "document";
    public static final String FILE = "file";
    public static final String DELIVERY = "delivery";
    public static final String TEMPLATE = "template";
    public static final String ATTRIBUTE_SET = "attribute-set";
    public static final String GRANT = "grant";

    private static final String RECORD_PREFIX = "record:";
    private static final String RECORD_STATUS_PREFIX = "record-status:";
    private static final String RECORD_DOCUMENT_PREFIX = "record-document:";

    private EntityTypes() {
    }

    /**
     * The entity type of records of a declared type, by its storage name ({@code record:Candidate}):
     * unique in the installation, as record filters name types too.
     */
    public static String record(String storageName) {
        return RECORD_PREFIX + storageName;
    }

    /**
     * The status of a record of this type took another value ({@code record-status:Candidate}):
     * written beside the record's own update, so that a reader can tell a status change from any
     * other update without the fields' history.
     */
    public static String recordStatus(String storageName) {
        return RECORD_STATUS_PREFIX + storageName;
    }

    /** A document was attached to a record of this type ({@code record-document:Candidate}); the entity id is the record's uid. */
    public static String recordDocument(String storageName) {
        return RECORD_DOCUMENT_PREFIX + storageName;
    }

    /**
     * The storage name of the record type an entity type is about: {@code Candidate} for
     * {@code record:Candidate}, {@code record-status:Candidate} and {@code record-document:Candidate};
     * null for any other entity type.
     */
    public static String recordTypeOf(String entityType) {
        for (var prefix : new String[] {RECORD_PREFIX, RECORD_STATUS_PREFIX, RECORD_DOCUMENT_PREFIX}) {
            if (entityType.startsWith(prefix)) {
                return entityType.substring(prefix.length());
            }
        }
        return null;
    }
}
