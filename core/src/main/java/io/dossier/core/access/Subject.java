package io.dossier.core.access;

/** Who a grant is for: a user, or a group whose members all hold it. */
public sealed interface Subject {

    long id();

    record User(long id) implements Subject {
    }

    record Group(long id) implements Subject {
    }
}
