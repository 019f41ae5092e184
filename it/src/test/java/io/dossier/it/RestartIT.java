package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.content.ByteRange;
import io.dossier.it.support.StorageSetup;
import io.dossier.it.support.TestServer;
import io.dossier.server.Server;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Everything written survives a restart: tenants, users, clients, tokens, blobs, demo credentials. */
class RestartIT {

    TestServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void dataAndCredentialsSurviveARestart() throws Exception {
        server = TestServer.start();
        var token = server.adminToken();
        var admin = server.http().bearer(token);
        assertThat(admin.post("/admin/api/tenants", "{\"slug\":\"keep\"}").status()).isEqualTo(201);
        var user = admin.post("/admin/api/tenants/keep/users", "{\"username\":\"keep.user\",\"password\":\"a long password\"}").json();
        var client = admin.post("/admin/api/tenants/keep/clients", "{\"kind\":\"oauth\",\"scopes\":[\"Get_Basic\"]}").json();
        var tenantId = server.server().dossier().tenants().bySlug("keep").id();
        var session = server.server().dossier().sessions().open(tenantId, user.path("id").asLong(), null, java.time.Duration.ofHours(1));
        var blob = server.server().dossier().blobs().write(
                new ByteArrayInputStream("kept across restarts".getBytes(StandardCharsets.UTF_8)), 1024);

        server.restart();

        admin = server.http().bearer(token);
        assertThat(admin.get("/admin/api/tenants/keep").status()).isEqualTo(200);
        assertThat(admin.get("/admin/api/tenants/keep/users").json().path("users").get(0).path("username").asText())
                .isEqualTo("keep.user");
        var dossier = server.server().dossier();
        assertThat(dossier.identities().authenticatePassword("keep.user", "a long password").username()).isEqualTo("keep.user");
        assertThat(dossier.identities().authenticateOAuth(client.path("clientId").asText(), client.path("secret").asText()).scopes())
                .containsExactly("Get_Basic");
        assertThat(dossier.sessions().resolve(session.token()).userId()).isEqualTo(user.path("id").asLong());
        try (var in = dossier.blobs().read(blob.id(), ByteRange.Resolved.whole(blob.size()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("kept across restarts");
        }
    }

    @Test
    void aCredentialsFileWhoseDemoNeverCommittedIsWrittenAnew() throws Exception {
        // the file is written before the seed commits: a start stopped between the two leaves it without its demo
        var storage = StorageSetup.create();
        try {
            var file = storage.folder().resolve("demo-credentials.json");
            Files.writeString(file, "{\"tenant\":\"demo\",\"adminToken\":\"never-committed\"}");
            try (var started = Server.start(storage.settings(0, Map.of(), true))) {
                var token = started.demo().adminToken();
                assertThat(token).isNotEqualTo("never-committed");
                assertThat(Files.readString(file)).contains(token);
                assertThat(started.dossier().identities().authenticateAdmin(token)).isNotNull();
            }
        } finally {
            storage.close();
        }
    }

    @Test
    void theDemoTenantKeepsItsCredentialsAcrossRestarts() throws Exception {
        server = TestServer.start(Map.of(), true);
        var file = server.storage().folder().resolve("demo-credentials.json");
        var first = Files.readString(file);
        var demo = server.server().demo();
        assertThat(demo.tenant()).isEqualTo("demo");
        assertThat(demo.users()).isNotEmpty();
        assertThat(server.http().bearer(demo.adminToken()).get("/admin/api/tenants/demo").status()).isEqualTo(200);
        // Opus 2: the read-write token owns both demo projects, the read-only one may read them but not write
        var opus2 = demo.dialects().get("opus2");
        var readWrite = new io.dossier.it.support.Opus2Client(server, (String) opus2.get("readWriteToken"));
        var readOnly = new io.dossier.it.support.Opus2Client(server, (String) opus2.get("readOnlyToken"));
        var projects = readWrite.get("/projects").json();
        assertThat(projects.findValuesAsText("name")).containsExactly("Smith v Jones", "Internal review");
        var smith = projects.get(0).path("projectId").asText();
        assertThat(readWrite.get("/projects/" + smith + "/documents").json().findValuesAsText("version")).contains("3", "2", "1");
        assertThat(readOnly.get("/projects").json().size()).isEqualTo(2);
        assertThat(readOnly.post("/projects/" + smith + "/folders", "{\"name\":\"Mine\"}").status()).isEqualTo(403);

        server.restart();

        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(server.server().demo().adminToken()).isEqualTo(demo.adminToken());
        assertThat(server.http().bearer(demo.adminToken()).get("/admin/api/tenants/demo/users").json().path("users"))
                .hasSize(demo.users().size());
        var user = demo.users().getFirst();
        assertThat(server.server().dossier().identities().authenticatePassword(user.username(), user.password()).username())
                .isEqualTo(user.username());
        assertThat(server.server().dossier().tenants().list()).hasSize(1);
    }
}
