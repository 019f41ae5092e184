package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.identity.ClientKind;
import io.dossier.it.support.TestServer;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reads every text column of every table after issuing each kind of secret: none is there in clear. */
class SecretsAtRestIT {

    TestServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void noSecretIsStoredInClear() throws Exception {
        server = TestServer.start(java.util.Map.of(), true);
        var dossier = server.server().dossier();
        var demo = server.server().demo();
        var secrets = new ArrayList<String>();
        secrets.add(demo.adminToken());
        demo.users().forEach(u -> secrets.add(u.password()));

        var tenant = dossier.tenants().create("secrets", "Secrets");
        var user = dossier.identities().createUser(tenant.id(), "secrets.user", null, null, "my very own password");
        secrets.add(user.password());
        for (var kind : ClientKind.values()) {
            secrets.add(dossier.identities().createClient(tenant.id(), kind, kind.wireName(), user.user().id(), Set.of()).secret());
        }
        secrets.add(dossier.identities().createAdminToken("another").secret());
        var session = dossier.sessions().open(tenant.id(), user.user().id(), null, Duration.ofMinutes(5));
        secrets.add(session.token());
        dossier.sessions().setAttribute(session.session(), "language:VacancyService", "nl");

        var texts = allText(dossier.database().dataSource());
        assertThat(texts).isNotEmpty();
        for (var secret : secrets) {
            assertThat(texts).noneMatch(text -> text.contains(secret));
        }
        // and what is stored instead is there: hashes of the right shape
        assertThat(texts).anyMatch(text -> text.startsWith("pbkdf2-sha256$"));
    }

    private static List<String> allText(javax.sql.DataSource dataSource) throws Exception {
        var values = new ArrayList<String>();
        try (var connection = dataSource.getConnection()) {
            var meta = connection.getMetaData();
            var tables = new ArrayList<String>();
            try (var rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    var schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || schema.equalsIgnoreCase("public")) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            for (var table : tables) {
                try (var statement = connection.createStatement(); var rs = statement.executeQuery("SELECT * FROM " + table)) {
                    var columns = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            var type = columns.getColumnType(i);
                            if (type == Types.VARCHAR || type == Types.CHAR || type == Types.CLOB || type == Types.LONGVARCHAR
                                    || type == Types.NVARCHAR || type == Types.OTHER) {
                                var value = rs.getString(i);
                                if (value != null) {
                                    values.add(value);
                                }
                            }
                        }
                    }
                }
            }
        }
        return values;
    }
}
