package io.dossier.api.ows.rpc;

/** An XML-RPC {@code methodResponse}: either one value or a fault. */
public sealed interface RpcResponse {

    /** A successful response carrying one value (plain Java, see {@link XmlRpc}); may be {@code null}. */
    record Value(Object value) implements RpcResponse {}

    /** A {@code <fault>}: its {@code faultCode} and {@code faultString}. */
    record Fault(int code, String message) implements RpcResponse {}
}
