package io.dossier.server.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.Failure;
import io.dossier.core.query.Condition;
import io.dossier.core.query.ConditionValues;

/** A record filter's condition as the JSON an operator types on the command line and the admin API takes. */
final class ConditionJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConditionJson() {
    }

    static Condition read(String json) {
        try {
            return ConditionValues.fromPlain(JSON.readValue(json, Object.class));
        } catch (JacksonException e) {
            throw Failure.invalid("the condition is not JSON: " + e.getOriginalMessage());
        }
    }

    static String write(Condition condition) {
        try {
            return JSON.writeValueAsString(ConditionValues.toPlain(condition));
        } catch (JacksonException e) {
            throw new IllegalStateException("a condition did not serialise", e);
        }
    }
}
