package io.dossier.it.support;

import io.dossier.server.Server;
import io.dossier.server.config.Settings;
import java.net.URI;
import java.util.Map;

/**
 * A Dossier server started in this JVM on a free port, on its own fresh storage, spoken to over
 * real HTTP. {@link #shared()} is one server for the whole run (tests keep apart by creating their
 * own tenants); tests that restart or stop a server start their own.
 */
public final class TestServer implements AutoCloseable {

    private static TestServer shared;

    private final StorageSetup storage;
    private final Map<String, Integer> dialectPorts;
    private final boolean seedDemo;
    private final Settings.HttpLimits httpLimits;
    private final java.util.function.UnaryOperator<Settings> adjust;
    private Server server;
    private String adminToken;

    private TestServer(StorageSetup storage, Map<String, Integer> dialectPorts, boolean seedDemo, Settings.HttpLimits httpLimits,
                       java.util.function.UnaryOperator<Settings> adjust) {
        this.storage = storage;
        this.dialectPorts = dialectPorts;
        this.seedDemo = seedDemo;
        this.httpLimits = httpLimits;
        this.adjust = adjust;
        this.server = Server.start(settings());
    }

    private Settings settings() {
        return adjust.apply(storage.settings(0, dialectPorts, seedDemo, httpLimits));
    }

    /** A server whose settings {@code adjust} changes (a mail server, a shorter background period). */
    public static TestServer start(java.util.function.UnaryOperator<Settings> adjust) {
        return start(Map.of(), false, Settings.HttpLimits.defaults(), adjust);
    }

    public static TestServer start() {
        return start(Map.of(), false);
    }

    public static TestServer start(Map<String, Integer> dialectPorts, boolean seedDemo) {
        return start(dialectPorts, seedDemo, Settings.HttpLimits.defaults());
    }

    /** A server with HTTP limits of its own (short deadlines, low ceilings). */
    public static TestServer start(Settings.HttpLimits httpLimits) {
        return start(Map.of(), false, httpLimits);
    }

    private static TestServer start(Map<String, Integer> dialectPorts, boolean seedDemo, Settings.HttpLimits httpLimits) {
        return start(dialectPorts, seedDemo, httpLimits, settings -> settings);
    }

    private static TestServer start(Map<String, Integer> dialectPorts, boolean seedDemo, Settings.HttpLimits httpLimits,
                                    java.util.function.UnaryOperator<Settings> adjust) {
        var storage = StorageSetup.create();
        try {
            return new TestServer(storage, dialectPorts, seedDemo, httpLimits, adjust);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** The run's shared server, started on first use and closed when the JVM exits. */
    public static synchronized TestServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "dossier-it-shutdown"));
        }
        return shared;
    }

    /** Stops the server and starts a new one on the same storage (the port may change). */
    public void restart() {
        server.close();
        server = Server.start(settings());
    }

    /** Stops the server, keeping its storage, for tests that look at what it left behind. */
    public void stop() {
        server.close();
    }

    public Server server() {
        return server;
    }

    public StorageSetup storage() {
        return storage;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public Http http() {
        return new Http(this);
    }

    /** An admin token, made as an operator would with {@code dossier admin-token create}. */
    public synchronized String adminToken() {
        if (adminToken == null) {
            adminToken = server.dossier().identities().createAdminToken("it").secret();
        }
        return adminToken;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            storage.close();
        }
    }
}
