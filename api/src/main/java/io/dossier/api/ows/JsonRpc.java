package io.dossier.api.ows;

import com.fasterxml.jackson.core.JacksonException;
import io.dossier.api.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-RPC 2.0 as OWS speaks it: one request or a batch in, {@code {"result":…,"id":…}} or
 * {@code {"error":{"message":…,"code":…},"id":…}} out, always with HTTP 200.
 */
final class JsonRpc {

    private final OwsService service;

    JsonRpc(OwsService service) {
        this.service = service;
    }

    /** The response document for a request body. */
    Object handle(byte[] body) {
        Object request;
        try {
            request = Json.MAPPER.readValue(body, Object.class);
        } catch (JacksonException malformed) {
            return error(null, new OwsError(OwsError.PARSE_ERROR, "Parse error: " + malformed.getOriginalMessage()));
        } catch (java.io.IOException e) {
            return error(null, new OwsError(OwsError.PARSE_ERROR, "Parse error: " + e.getMessage()));
        }
        if (request instanceof List<?> batch) {
            if (batch.isEmpty()) {
                return error(null, new OwsError(OwsError.INVALID_REQUEST, "Invalid Request: empty batch"));
            }
            var responses = new ArrayList<Object>(batch.size());
            for (var one : batch) {
                responses.add(single(one));
            }
            return responses;
        }
        return single(request);
    }

    private Map<String, Object> single(Object request) {
        if (!(request instanceof Map<?, ?> call)) {
            return error(null, new OwsError(OwsError.INVALID_REQUEST, "Invalid Request: expected an object"));
        }
        var id = call.get("id");
        if (!(call.get("method") instanceof String method) || method.isBlank()) {
            return error(id, new OwsError(OwsError.INVALID_REQUEST, "Invalid Request: 'method' must be a string"));
        }
        var params = call.get("params");
        var positional = params == null ? List.<Object>of() : Params.positional(params);
        if (positional == null) {
            return error(id, new OwsError(OwsError.INVALID_PARAMS, "Invalid params: 'params' must be an array (or an object keyed 0, 1, …)"));
        }
        try {
            var out = new LinkedHashMap<String, Object>();
            out.put("result", OwsValues.wire(service.call(method, positional, null)));
            out.put("id", id);
            return out;
        } catch (OwsError error) {
            return error(id, error);
        }
    }

    static Map<String, Object> error(Object id, OwsError error) {
        var body = new LinkedHashMap<String, Object>();
        body.put("message", error.getMessage());
        body.put("code", error.code());
        var out = new LinkedHashMap<String, Object>();
        out.put("error", body);
        out.put("id", id);
        return out;
    }
}
