package io.dossier.core.identity;

import java.util.List;

/** A named set of users of one tenant (Opus 2 team, LogicalDOC group). */
public record Group(long id, long tenantId, String name, List<Long> memberIds) {

    public Group {
        memberIds = List.copyOf(memberIds);
    }
}
