package io.dossier.server;

import java.util.List;
import java.util.Map;

/**
 * What {@code dossier dev} writes to {@code <data>/demo-credentials.json}: the demo tenant and every
 * credential of it, so a newcomer can call each dialect at once. {@code dialects} holds one entry per
 * dialect ({@code "ows": {"apiKey": …}}, …), filled as dialects are added.
 */
public record DemoCredentials(String tenant, String adminToken, List<DemoUser> users, Map<String, Map<String, Object>> dialects) {

    public record DemoUser(String username, String password) {
    }
}
