package io.dossier.core.record;

import java.util.List;

/** One page of rows, and the number of all matching rows when it was asked for (else null). */
public record RowPage(List<RecordRow> rows, Long total) {
}
