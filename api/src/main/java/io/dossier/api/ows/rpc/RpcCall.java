package io.dossier.api.ows.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An XML-RPC {@code methodCall}: the method name and its parameters as plain Java values
 * (see {@link XmlRpc} for the mapping). The list is unmodifiable and may hold {@code null}s.
 */
public record RpcCall(String method, List<Object> params) {
    public RpcCall {
        Objects.requireNonNull(method, "method");
        params = Collections.unmodifiableList(new ArrayList<>(params));
    }
}
