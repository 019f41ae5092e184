package io.dossier.core.access;

/**
 * What a user or group may do with a resource. The set is the one document systems grant (the
 * LogicalDOC dialect maps its 21 permissions onto it one to one); each has a fixed bit, by its
 * position here, so a {@link Permissions} value is stored and compared as one number. Never
 * reorder: append.
 */
public enum Permission {
    READ, DOWNLOAD, WRITE, ADD, SECURITY, IMMUTABLE, DELETE, RENAME, IMPORT, EXPORT, SIGN, ARCHIVE, WORKFLOW, CALENDAR,
    SUBSCRIPTION, PRINT, PASSWORD, MOVE, EMAIL, AUTOMATION, STORAGE;

    /** This permission's bit: {@code 1 << ordinal()}. */
    public long bit() {
        return 1L << ordinal();
    }
}
