package io.dossier.api.fileapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dossier.api.fileapi.FileFilter.FilterException;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Condition.And;
import io.dossier.core.query.Condition.Compare;
import io.dossier.core.query.Condition.Not;
import io.dossier.core.query.Condition.Op;
import io.dossier.core.query.Condition.Or;
import io.dossier.core.query.SortKey;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FileFilterTest {

    private static Compare cmp(String path, Op op, Object value) {
        return new Compare(path, op, value);
    }

    private static And and(Condition... items) {
        return new And(List.of(items));
    }

    private static Or or(Condition... items) {
        return new Or(List.of(items));
    }

    private static FilterException error(String filter) {
        var e = catchThrowableOfType(FilterException.class, () -> FileFilter.parse(filter));
        assertThat(e).as("error for %s", filter).isNotNull();
        return e;
    }

    private static FilterException orderError(String orderBy) {
        var e = catchThrowableOfType(FilterException.class, () -> FileFilter.parseOrderBy(orderBy));
        assertThat(e).as("error for %s", orderBy).isNotNull();
        return e;
    }

    private static final String T1 = "2020-05-19T08:42:47.400Z";
    private static final String T2 = "2020-05-19T16:42:47.400Z";

    /** Every example of the spec's "Search for files" table. */
    @Nested
    class SpecExamples {

        @Test
        void filesGreaterThanADate() {
            assertThat(FileFilter.parse("uploadDate gt 2020-05-19T08:42:47.400Z"))
                    .isEqualTo(cmp("uploadDate", Op.GT, T1));
        }

        @Test
        void filesBetweenTwoDates() {
            assertThat(FileFilter.parse("uploadDate gt 2020-05-19T08:42:47.400Z and uploadDate lt 2020-05-19T16:42:47.400Z"))
                    .isEqualTo(and(cmp("uploadDate", Op.GT, T1), cmp("uploadDate", Op.LT, T2)));
        }

        @Test
        void allFilesDownloadedAndAvailable() {
            assertThat(FileFilter.parse("status eq 'all'")).isEqualTo(cmp("status", Op.EQ, "all"));
        }

        @Test
        void downloadedFiles() {
            assertThat(FileFilter.parse("status eq 'downloaded'")).isEqualTo(cmp("status", Op.EQ, "downloaded"));
        }

        @Test
        void availableFiles() {
            assertThat(FileFilter.parse("status eq 'available'")).isEqualTo(cmp("status", Op.EQ, "available"));
        }

        @Test
        void filesOfOneBusinessType() {
            assertThat(FileFilter.parse("businessType eq 7101")).isEqualTo(cmp("businessType", Op.EQ, 7101L));
        }

        @Test
        void filesOfTwoBusinessTypes() {
            assertThat(FileFilter.parse("businessType eq 7100 or businessType eq 7101"))
                    .isEqualTo(or(cmp("businessType", Op.EQ, 7100L), cmp("businessType", Op.EQ, 7101L)));
        }

        @Test
        void downloadedFilesOfTwoBusinessTypes() {
            assertThat(FileFilter.parse("status eq 'downloaded' and (businessType eq 7100 or businessType eq 7101)"))
                    .isEqualTo(and(
                            cmp("status", Op.EQ, "downloaded"),
                            or(cmp("businessType", Op.EQ, 7100L), cmp("businessType", Op.EQ, 7101L))));
        }

        @Test
        void allFilesAfterADateOfOneBusinessType() {
            assertThat(FileFilter.parse("uploadDate gt 2020-05-19T08:42:47.400Z and businessType eq 7101 and status eq 'all'"))
                    .isEqualTo(and(
                            cmp("uploadDate", Op.GT, T1),
                            cmp("businessType", Op.EQ, 7101L),
                            cmp("status", Op.EQ, "all")));
        }

        @Test
        void filesWhoseNameStartsWith() {
            assertThat(FileFilter.parse("startsWith(FileName, 'payroll')"))
                    .isEqualTo(cmp("fileName", Op.STARTS_WITH, "payroll"));
        }

        @Test
        void filesWhoseNameEndsWith() {
            assertThat(FileFilter.parse("endsWith(FileName, 'holidays')"))
                    .isEqualTo(cmp("fileName", Op.ENDS_WITH, "holidays"));
        }

        @Test
        void filesWhoseNameContains() {
            assertThat(FileFilter.parse("contains(fileName, 'test')"))
                    .isEqualTo(cmp("fileName", Op.CONTAINS, "test"));
        }

        @Test
        void filesWhoseNameStartsWithOfOneBusinessType() {
            assertThat(FileFilter.parse("startsWith(FileName, 'payroll') and businessType eq 7101"))
                    .isEqualTo(and(cmp("fileName", Op.STARTS_WITH, "payroll"), cmp("businessType", Op.EQ, 7101L)));
        }

        /** "Sort files" examples: the filter halves. */
        @Test
        void latestFunctionFile() {
            assertThat(FileFilter.parse("businessType eq 101002")).isEqualTo(cmp("businessType", Op.EQ, 101002L));
        }

        @Test
        void employeeMutationsOldToNew() {
            assertThat(FileFilter.parse("businessType eq 101100")).isEqualTo(cmp("businessType", Op.EQ, 101100L));
            assertThat(FileFilter.parseOrderBy("uploadDate asc")).containsExactly(new SortKey("uploadDate", false));
        }

        @Test
        void listExampleOfTheSpec() {
            assertThat(FileFilter.parse("businessType eq 8000")).isEqualTo(cmp("businessType", Op.EQ, 8000L));
            assertThat(FileFilter.parseOrderBy("uploadDate desc")).containsExactly(new SortKey("uploadDate", true));
        }
    }

    /** Filters seen in real clients (specs/README.md). */
    @Nested
    class ClientFilters {

        @Test
        void statusDownloaded() {
            assertThat(FileFilter.parse("status eq 'downloaded'")).isEqualTo(cmp("status", Op.EQ, "downloaded"));
        }

        @Test
        void businessType8003() {
            assertThat(FileFilter.parse("businessType eq 8003")).isEqualTo(cmp("businessType", Op.EQ, 8003L));
        }

        @Test
        void uploadedAfter() {
            assertThat(FileFilter.parse("uploadDate gt 2022-02-15T16:42:30.000Z"))
                    .isEqualTo(cmp("uploadDate", Op.GT, "2022-02-15T16:42:30.000Z"));
        }

        @Test
        void startsWithEqFalseIsNot() {
            assertThat(FileFilter.parse("startsWith(FileName,'x') eq false"))
                    .isEqualTo(new Not(cmp("fileName", Op.STARTS_WITH, "x")));
        }

        @Test
        void combinedAsAClientSendsIt() {
            assertThat(FileFilter.parse("(status eq 'downloaded' or status eq 'available') and businessType eq 8003"
                    + " and startsWith(FileName,'x') eq false and uploadDate gt 2022-02-15T16:42:30.000Z"))
                    .isEqualTo(and(
                            or(cmp("status", Op.EQ, "downloaded"), cmp("status", Op.EQ, "available")),
                            cmp("businessType", Op.EQ, 8003L),
                            new Not(cmp("fileName", Op.STARTS_WITH, "x")),
                            cmp("uploadDate", Op.GT, "2022-02-15T16:42:30.000Z")));
        }
    }

    @Nested
    class Syntax {

        @Test
        void fieldsKeywordsAndFunctionsAreCaseInsensitive() {
            assertThat(FileFilter.parse("STATUS EQ 'all' AND BusinessType Eq 7101 Or FILENAME ne 'a'"))
                    .isEqualTo(or(
                            and(cmp("status", Op.EQ, "all"), cmp("businessType", Op.EQ, 7101L)),
                            cmp("fileName", Op.NE, "a")));
            assertThat(FileFilter.parse("STARTSWITH(filename,'a') or EndsWith(FILENAME,'b') or CONTAINS(FileName,'c')"))
                    .isEqualTo(or(
                            cmp("fileName", Op.STARTS_WITH, "a"),
                            cmp("fileName", Op.ENDS_WITH, "b"),
                            cmp("fileName", Op.CONTAINS, "c")));
            assertThat(FileFilter.parse("UPLOADDATE GE DATETIME'2020-05-19T08:42:47.400Z'"))
                    .isEqualTo(cmp("uploadDate", Op.GE, T1));
            assertThat(FileFilter.parse("contains(fileName,'x') EQ TRUE")).isEqualTo(cmp("fileName", Op.CONTAINS, "x"));
        }

        @Test
        void everyOperator() {
            assertThat(FileFilter.parse("businessType gt 1")).isEqualTo(cmp("businessType", Op.GT, 1L));
            assertThat(FileFilter.parse("businessType lt 1")).isEqualTo(cmp("businessType", Op.LT, 1L));
            assertThat(FileFilter.parse("businessType ge 1")).isEqualTo(cmp("businessType", Op.GE, 1L));
            assertThat(FileFilter.parse("businessType le 1")).isEqualTo(cmp("businessType", Op.LE, 1L));
            assertThat(FileFilter.parse("businessType eq 1")).isEqualTo(cmp("businessType", Op.EQ, 1L));
            assertThat(FileFilter.parse("businessType ne -1")).isEqualTo(cmp("businessType", Op.NE, -1L));
        }

        @Test
        void functionComparedWithBooleans() {
            var fn = cmp("fileName", Op.ENDS_WITH, ".csv");
            assertThat(FileFilter.parse("endsWith(fileName,'.csv') eq true")).isEqualTo(fn);
            assertThat(FileFilter.parse("endsWith(fileName,'.csv') ne false")).isEqualTo(fn);
            assertThat(FileFilter.parse("endsWith(fileName,'.csv') eq false")).isEqualTo(new Not(fn));
            assertThat(FileFilter.parse("endsWith(fileName,'.csv') ne true")).isEqualTo(new Not(fn));
        }

        @Test
        void booleanValues() {
            assertThat(FileFilter.parse("status eq true")).isEqualTo(cmp("status", Op.EQ, true));
            assertThat(FileFilter.parse("status ne False")).isEqualTo(cmp("status", Op.NE, false));
        }

        @Test
        void andBindsTighterThanOr() {
            var a = cmp("status", Op.EQ, "a");
            var b = cmp("businessType", Op.EQ, 1L);
            var c = cmp("fileName", Op.EQ, "c");
            assertThat(FileFilter.parse("status eq 'a' or businessType eq 1 and fileName eq 'c'"))
                    .isEqualTo(or(a, and(b, c)));
            assertThat(FileFilter.parse("status eq 'a' and businessType eq 1 or fileName eq 'c'"))
                    .isEqualTo(or(and(a, b), c));
            assertThat(FileFilter.parse("(status eq 'a' or businessType eq 1) and fileName eq 'c'"))
                    .isEqualTo(and(or(a, b), c));
        }

        @Test
        void nestedParenthesesAndFlattening() {
            var a = cmp("status", Op.EQ, "a");
            var b = cmp("businessType", Op.EQ, 1L);
            var c = cmp("fileName", Op.EQ, "c");
            assertThat(FileFilter.parse("((((status eq 'a'))))")).isEqualTo(a);
            assertThat(FileFilter.parse("(status eq 'a' and (businessType eq 1 and (fileName eq 'c')))"))
                    .isEqualTo(and(a, b, c));
            assertThat(FileFilter.parse("((status eq 'a') or ((businessType eq 1 and fileName eq 'c') or status eq 'a'))"))
                    .isEqualTo(or(a, and(b, c), a));
            assertThat(FileFilter.parse("(" .repeat(FileFilter.MAX_DEPTH) + "status eq 'a'" + ")".repeat(FileFilter.MAX_DEPTH)))
                    .isEqualTo(a);
        }

        @Test
        void whitespaceAnywhereBetweenTokens() {
            assertThat(FileFilter.parse("  status\teq\n'all'  ")).isEqualTo(cmp("status", Op.EQ, "all"));
            assertThat(FileFilter.parse("( businessType eq 1 )or(status eq'x')"))
                    .isEqualTo(or(cmp("businessType", Op.EQ, 1L), cmp("status", Op.EQ, "x")));
            assertThat(FileFilter.parse("startsWith ( fileName , 'p' ) eq false"))
                    .isEqualTo(new Not(cmp("fileName", Op.STARTS_WITH, "p")));
        }

        @Test
        void plusIsNotASpace() {
            assertThat(error("status+eq+'all'").getMessage()).isEqualTo("$filter: unknown field 'status+eq+' at position 0");
        }

        @Test
        void quotesAndDoubledQuotes() {
            assertThat(FileFilter.parse("fileName eq 'O''Brien.csv'")).isEqualTo(cmp("fileName", Op.EQ, "O'Brien.csv"));
            assertThat(FileFilter.parse("fileName eq ''''")).isEqualTo(cmp("fileName", Op.EQ, "'"));
            assertThat(FileFilter.parse("fileName eq ''")).isEqualTo(cmp("fileName", Op.EQ, ""));
            assertThat(FileFilter.parse("contains(fileName, 'a and b or (c)')"))
                    .isEqualTo(cmp("fileName", Op.CONTAINS, "a and b or (c)"));
            assertThat(FileFilter.parse("startsWith(fileName,'it''s') eq true"))
                    .isEqualTo(cmp("fileName", Op.STARTS_WITH, "it's"));
        }

        @Test
        void dateForms() {
            assertThat(FileFilter.parse("uploadDate gt '2020-05-19T08:42:47.400Z'")).isEqualTo(cmp("uploadDate", Op.GT, T1));
            assertThat(FileFilter.parse("uploadDate gt datetime'2020-05-19T08:42:47'"))
                    .isEqualTo(cmp("uploadDate", Op.GT, "2020-05-19T08:42:47"));
            assertThat(FileFilter.parse("uploadDate lt 2020-05-19T08:42:47+02:00"))
                    .isEqualTo(cmp("uploadDate", Op.LT, "2020-05-19T08:42:47+02:00"));
            assertThat(FileFilter.parse("uploadDate ge 2020-05-19")).isEqualTo(cmp("uploadDate", Op.GE, "2020-05-19"));
        }

        @Test
        void blankFilterIsNoCondition() {
            assertThat(FileFilter.parse(null)).isNull();
            assertThat(FileFilter.parse("")).isNull();
            assertThat(FileFilter.parse("   ")).isNull();
        }
    }

    @Nested
    class Errors {

        @Test
        void unknownField() {
            var e = error("size gt 10");
            assertThat(e.getMessage()).isEqualTo("$filter: unknown field 'size' at position 0");
            assertThat(e.position()).isZero();
            assertThat(error("status eq 'a' and sizes eq 1").position()).isEqualTo(18);
        }

        @Test
        void unknownFunction() {
            var e = error("status eq 'a' or substringof('x', fileName)");
            assertThat(e.getMessage()).isEqualTo("$filter: unknown function 'substringof' at position 17");
        }

        @Test
        void functionOnAnotherField() {
            var e = error("startsWith(status, 'x')");
            assertThat(e.getMessage()).isEqualTo("$filter: function 'startsWith' applies only to fileName, not 'status' at position 11");
            assertThat(error("contains(size, 'x')").getMessage()).isEqualTo("$filter: unknown field 'size' at position 9");
        }

        @Test
        void functionMalformed() {
            assertThat(error("startsWith fileName").getMessage()).isEqualTo("$filter: expected '(' after 'startsWith' at position 11");
            assertThat(error("startsWith(fileName 'x')").getMessage()).isEqualTo("$filter: expected ',' after 'fileName' at position 20");
            assertThat(error("startsWith(fileName, x)").getMessage())
                    .isEqualTo("$filter: expected a quoted string after ',' at position 21");
            assertThat(error("startsWith(fileName, 'x'").getMessage())
                    .isEqualTo("$filter: unclosed parenthesis opened at position 10");
            assertThat(error("startsWith(fileName, 'x') gt true").getMessage())
                    .isEqualTo("$filter: function 'startsWith' can only be compared with eq or ne, not 'gt' at position 26");
            assertThat(error("startsWith(fileName, 'x') eq 'yes'").getMessage())
                    .isEqualTo("$filter: expected true or false after 'eq' at position 29");
        }

        @Test
        void missingValue() {
            var e = error("businessType eq");
            assertThat(e.getMessage()).isEqualTo("$filter: expected a value after 'eq' at position 15");
            assertThat(error("status eq  ) ").getMessage()).isEqualTo("$filter: expected a value after 'eq' at position 11");
            assertThat(error("status eq downloaded").getMessage()).startsWith(
                    "$filter: expected a value after 'eq' but found 'downloaded'").endsWith("at position 10");
        }

        @Test
        void missingOperator() {
            assertThat(error("status 'a'").getMessage())
                    .isEqualTo("$filter: expected an operator (eq, ne, gt, ge, lt, le) after 'status' at position 7");
            assertThat(error("status = 'a'").position()).isEqualTo(7);
            assertThat(error("status").position()).isEqualTo(6);
        }

        @Test
        void missingCondition() {
            assertThat(error("status eq 'a' and").getMessage()).isEqualTo("$filter: expected a condition after 'and' at position 17");
            assertThat(error("status eq 'a' or ").getMessage()).isEqualTo("$filter: expected a condition after 'or' at position 17");
            assertThat(error("()").getMessage()).isEqualTo("$filter: expected a condition after '(' at position 1");
            assertThat(error("(").getMessage()).isEqualTo("$filter: expected a condition at position 1");
            assertThat(error("'all' eq status").getMessage()).isEqualTo("$filter: unexpected 'all' at position 0");
        }

        @Test
        void unclosedParenthesis() {
            var e = error("   (status eq 'a' or (businessType eq 1)");
            assertThat(e.getMessage()).isEqualTo("$filter: unclosed parenthesis opened at position 3");
            assertThat(e.position()).isEqualTo(3);
            assertThat(error("(status eq 'a' (").getMessage()).isEqualTo("$filter: unexpected '(' at position 15");
        }

        @Test
        void unexpectedTrailingToken() {
            var filter = "status eq 'all' and businessType eq 1 xyz";
            var e = error(filter);
            assertThat(e.getMessage()).isEqualTo("$filter: unexpected 'xyz' at position " + filter.indexOf("xyz"));
            assertThat(error("status eq 'a')").getMessage()).isEqualTo("$filter: unexpected ')' at position 13");
            assertThat(error("status eq 'a' not businessType eq 1").position()).isEqualTo(14);
        }

        @Test
        void unterminatedString() {
            var e = error("status eq 'downloaded");
            assertThat(e.getMessage()).isEqualTo("$filter: unterminated string at position 10");
            assertThat(error("fileName eq 'it''s").position()).isEqualTo(12);
            assertThat(error("startsWith(fileName, 'x)").position()).isEqualTo(21);
            assertThat(error("uploadDate gt datetime'2020").getMessage())
                    .isEqualTo("$filter: unterminated string at position 22");
        }

        @Test
        void invalidDate() {
            var e = error("uploadDate gt 2020-13-01");
            assertThat(e.getMessage()).isEqualTo("$filter: invalid date '2020-13-01' at position 14");
            assertThat(e.position()).isEqualTo(14);
            assertThat(error("uploadDate gt 2020-05-19T25:00:00Z").getMessage())
                    .isEqualTo("$filter: invalid date '2020-05-19T25:00:00Z' at position 14");
            assertThat(error("uploadDate gt 'yesterday'").getMessage())
                    .isEqualTo("$filter: invalid date 'yesterday' at position 14");
            assertThat(error("uploadDate gt datetime'2020-02-30T00:00:00'").position()).isEqualTo(14);
        }

        @Test
        void invalidNumber() {
            assertThat(error("businessType eq 99999999999999999999").getMessage())
                    .isEqualTo("$filter: invalid number '99999999999999999999' at position 16");
            assertThat(error("businessType eq 101002.").getMessage())
                    .isEqualTo("$filter: invalid number '101002.' at position 16");
        }

        @Test
        void tooDeep() {
            var filter = "(".repeat(FileFilter.MAX_DEPTH + 1) + "status eq 'a'" + ")".repeat(FileFilter.MAX_DEPTH + 1);
            var e = error(filter);
            assertThat(e.getMessage()).isEqualTo("$filter: parentheses nested deeper than 50 at position 50");
            var deep = "(".repeat(100_000);
            assertThat(error(deep).position()).isEqualTo(FileFilter.MAX_LENGTH);
        }

        @Test
        void tooLong() {
            var filter = "status eq '" + "x".repeat(FileFilter.MAX_LENGTH) + "'";
            var e = error(filter);
            assertThat(e.getMessage()).isEqualTo("$filter: longer than 4096 characters at position 4096");
            var justRight = "fileName eq '" + "x".repeat(FileFilter.MAX_LENGTH - 14) + "'";
            assertThat(justRight).hasSize(FileFilter.MAX_LENGTH);
            assertThat(FileFilter.parse(justRight)).isEqualTo(cmp("fileName", Op.EQ, "x".repeat(FileFilter.MAX_LENGTH - 14)));
        }
    }

    @Nested
    class OrderBy {

        @Test
        void oneKeyDescending() {
            assertThat(FileFilter.parseOrderBy("uploadDate desc")).containsExactly(new SortKey("uploadDate", true));
        }

        @Test
        void severalKeys() {
            assertThat(FileFilter.parseOrderBy("fileName asc, uploadDate desc"))
                    .containsExactly(new SortKey("fileName", false), new SortKey("uploadDate", true));
            assertThat(FileFilter.parseOrderBy("status,businessType DESC , fileName"))
                    .containsExactly(new SortKey("status", false), new SortKey("businessType", true), new SortKey("fileName", false));
        }

        @Test
        void caseInsensitiveAndAscendingByDefault() {
            assertThat(FileFilter.parseOrderBy("UPLOADDATE")).containsExactly(new SortKey("uploadDate", false));
            assertThat(FileFilter.parseOrderBy("FileName DESC")).containsExactly(new SortKey("fileName", true));
            assertThat(FileFilter.parseOrderBy("  businesstype   Asc  ")).containsExactly(new SortKey("businessType", false));
        }

        @Test
        void blankIsTheDefaultUploadDateDescending() {
            assertThat(FileFilter.parseOrderBy(null)).isEqualTo(FileFilter.DEFAULT_ORDER);
            assertThat(FileFilter.parseOrderBy(" ")).containsExactly(new SortKey("uploadDate", true));
        }

        @Test
        void errors() {
            assertThat(orderError("size desc").getMessage()).isEqualTo("$orderBy: unknown field 'size' at position 0");
            var e = orderError("uploadDate up");
            assertThat(e.getMessage()).isEqualTo("$orderBy: unknown direction 'up' (asc or desc) at position 11");
            assertThat(e.position()).isEqualTo(11);
            assertThat(orderError("uploadDate desc, ").getMessage()).isEqualTo("$orderBy: expected a field at position 17");
            assertThat(orderError(",uploadDate").position()).isZero();
            assertThat(orderError("uploadDate desc fileName").getMessage())
                    .isEqualTo("$orderBy: unexpected 'fileName' at position 16");
            assertThat(orderError("uploadDate, UploadDate desc").getMessage())
                    .isEqualTo("$orderBy: field 'UploadDate' is sorted on twice at position 12");
            assertThat(orderError("x".repeat(5000)).position()).isEqualTo(FileFilter.MAX_LENGTH);
        }
    }

    @Test
    void theSameTextTwiceGivesTheSameTreeAndABadOneFailsEachTime() {
        var first = FileFilter.parse("businessType eq 7101 and uploadDate gt " + T1);
        var again = FileFilter.parse("businessType eq 7101 and uploadDate gt " + T1);
        var other = FileFilter.parse("businessType eq 7101 and uploadDate gt " + T2);

        assertThat(again).as("kept, not parsed again").isSameAs(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(other).isEqualTo(and(cmp("businessType", Op.EQ, 7101L), cmp("uploadDate", Op.GT, T2)));
        assertThat(error("businessType eq").position()).isEqualTo(error("businessType eq").position());
    }
}
