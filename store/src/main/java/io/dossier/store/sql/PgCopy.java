package io.dossier.store.sql;

import io.dossier.core.Failure;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.StringJoiner;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * New rows written with PostgreSQL's {@code COPY … FROM STDIN} (text format) on the connection of
 * the caller's transaction, so they are kept or rolled back with it as an insert's would be. For
 * bulk writes: a multi-row insert of a thousand records was tens of thousands of values to render
 * (jOOQ), bind and send one by one (pgjdbc), and a statement of that size for PostgreSQL to parse
 * and plan; a COPY streams the rows as lines of text while PostgreSQL stores them.
 *
 * <p>A refusal comes back as a statement's would: a constraint violated is an
 * {@link IntegrityConstraintViolationException}, any other error of the database a
 * {@link DataAccessException}, and text with the NUL character (which PostgreSQL cannot store) is
 * {@code INVALID} with the message {@link Database} gives it.
 */
final class PgCopy {

    private static final int BUFFER = 64 * 1024;

    private PgCopy() {
    }

    /** Copies {@code rows} (values in the order of {@code columns}; null, String, Number, Boolean or java.time values) into {@code table}. */
    static void copy(DSLContext sql, String table, List<? extends Field<?>> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        var names = new StringJoiner(", ", " (", ")");
        columns.forEach(c -> names.add(sql.render(DSL.name(c.getName()))));
        var statement = "COPY " + sql.render(DSL.name(table)) + names + " FROM STDIN";
        sql.connection(connection -> {
            PGCopyOutputStream out;
            try {
                out = new PGCopyOutputStream(connection.unwrap(PGConnection.class), statement, BUFFER);
            } catch (SQLException e) {
                throw translated(e);
            }
            try {
                Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER);
                var line = new StringBuilder(1024);
                for (var row : rows) {
                    line.setLength(0);
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) {
                            line.append('\t');
                        }
                        value(line, row[i]);
                    }
                    text.append(line).append('\n');
                }
                text.flush();
                out.endCopy();
            } catch (SQLException e) {
                throw translated(e);
            } catch (IOException e) {
                throw e.getCause() instanceof SQLException cause ? translated(cause) : new DataAccessException("COPY into " + table, e);
            } finally {
                if (out.isActive()) {
                    // refused before its end (bad text, or an error of the database): PostgreSQL drops what it was sent
                    try {
                        out.cancelCopy();
                    } catch (SQLException ignored) {
                        // the transaction fails with the first error anyway
                    }
                }
            }
        });
    }

    /** One value as COPY's text format has it: {@code \N} for null, text with backslash, tab, newline and return escaped. */
    static void value(StringBuilder line, Object value) {
        switch (value) {
            case null -> line.append("\\N");
            case Boolean b -> line.append(b ? 't' : 'f');
            case Long n -> line.append(n.longValue());
            case Integer n -> line.append(n.intValue());
            case Double d -> line.append(d.doubleValue());
            case java.math.BigDecimal d -> line.append(d.toPlainString());
            case OffsetDateTime t -> date(line, t.getYear(), DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t));
            case java.time.LocalDate d -> date(line, d.getYear(), d.toString());
            default -> text(line, value.toString());
        }
    }

    /**
     * An ISO date (and time) of {@code year} as PostgreSQL reads it: the year without a sign, and
     * for a year before 1 the year counted back with "BC" after it (year 0 is 1 BC), as pgjdbc
     * sends a bound date.
     */
    private static void date(StringBuilder line, int year, String iso) {
        if (year >= 1) {
            line.append(iso, iso.charAt(0) == '+' ? 1 : 0, iso.length());
            return;
        }
        var bc = Integer.toString(1 - year);
        line.append("0".repeat(Math.max(0, 4 - bc.length()))).append(bc).append(iso, iso.indexOf('-', 1), iso.length()).append(" BC");
    }

    private static void text(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\0' -> throw Failure.invalid(Database.NUL_REFUSED);
                default -> line.append(c);
            }
        }
    }

    private static RuntimeException translated(SQLException e) {
        var state = e.getSQLState();
        if (state != null && state.startsWith("23")) {
            return new IntegrityConstraintViolationException(e.getMessage(), e);
        }
        if ("22021".equals(state)) {
            return Failure.invalid(Database.NUL_REFUSED);
        }
        if (Database.busy(e)) {
            return Database.busyFailure(e);
        }
        return new DataAccessException(e.getMessage(), e);
    }
}
