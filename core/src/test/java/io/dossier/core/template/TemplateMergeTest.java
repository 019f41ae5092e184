package io.dossier.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateMergeTest {

    final Map<String, Map<String, Object>> sources = Map.of(
            "Candidate", Map.of("Person", Map.of("firstName", "Anna <b>", "lastName", "O'Neill")),
            "Vacancy", Map.of("title", "Welder & fitter"),
            TemplateMerge.ANSWERS, Map.of("password", "s3cret"));

    @Test
    void fillsFieldsOfRecordsAndAnswers() {
        assertThat(TemplateMerge.merge("Dear {{Candidate.Person.firstName}} {{ Candidate.Person.lastName }}, {{Vacancy.title}}: {{answers.password}}",
                sources, false)).isEqualTo("Dear Anna <b> O'Neill, Welder & fitter: s3cret");
    }

    @Test
    void escapesValuesInHtmlButNotTheTemplate() {
        assertThat(TemplateMerge.merge("<p>{{Candidate.Person.firstName}}</p>", sources, true)).isEqualTo("<p>Anna &lt;b&gt;</p>");
    }

    @Test
    void placeholdersWithNothingToFillBecomeEmpty() {
        assertThat(TemplateMerge.merge("[{{Relation.name}}][{{Candidate.Person}}][{{Candidate.nothing.here}}][{{answers.none}}]", sources, true))
                .isEqualTo("[][][][]");
        assertThat(TemplateMerge.merge("no {placeholders} {{here", sources, true)).isEqualTo("no {placeholders} {{here");
        assertThat(TemplateMerge.merge("$1 \\ {{answers.password}}", Map.of(TemplateMerge.ANSWERS, Map.of("password", "$2\\")), false))
                .isEqualTo("$1 \\ $2\\");
    }

    @Test
    void aQuestionInGuillemetsTakesTheAnswerOfItsCode() {
        assertThat(TemplateMerge.merge("<p>Your new password is: «password»</p><a href=\"&laquo;password&raquo;\">", sources, true))
                .isEqualTo("<p>Your new password is: s3cret</p><a href=\"s3cret\">");
        assertThat(TemplateMerge.merge("« Bonjour » «unknown» «password»", sources, false)).isEqualTo("« Bonjour » «unknown» s3cret");
        // one pass: a value filled in is not read again, so a record cannot pull an answer into the text
        var tricky = Map.<String, Map<String, Object>>of("Candidate", Map.of("name", "«password»"), TemplateMerge.ANSWERS, Map.of("password", "x"));
        assertThat(TemplateMerge.merge("{{Candidate.name}}", tricky, false)).isEqualTo("«password»");
    }
}
