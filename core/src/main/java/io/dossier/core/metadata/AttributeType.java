package io.dossier.core.metadata;

/** The type of an attribute's values; each value is stored as text in a canonical form. */
public enum AttributeType {
    STRING, INT, DOUBLE, DATE, USER, BOOLEAN, FOLDER, DOCUMENT
}
